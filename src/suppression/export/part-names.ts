// Names of the numbered watchlists a list too large for one upload is cut into. Sentinel's rule for both the alias and
// the display name (reference/sentinel.md §1.2, watchlist-names.ts): 3–64 characters, alphanumeric at both ends, spaces,
// hyphens and underscores inside. A list's own alias and name already obey it; what is added here keeps them obeying it.

const MAX_NAME = 64;
const chars = (s: string) => [...s];

/** The first `n` characters of `s`, without the spaces, hyphens and underscores a cut can leave at its end. */
function cut(s: string, n: number): string {
  return chars(s).slice(0, n).join('').replace(/[ _-]+$/, '');
}

export interface PartAlias {
  alias: string;
  /** True when the list's alias was cut so that `_<k>` fits in Sentinel's 64 characters. */
  shortened: boolean;
}

/**
 * The alias of part `k`: the list's own alias for part 1 (so a list that grows past one watchlist keeps the watchlist
 * it had, and the tuned query keeps naming it), `<alias>_<k>` from part 2 on. It depends on `k` alone, not on how many
 * parts there are, so a list that grows from 9 to 10 parts does not rename parts 2 to 9. An alias too long for the
 * suffix loses characters at its end; it still starts with the list's alias, so the parts sort together in Sentinel.
 */
export function partAlias(alias: string, k: number): PartAlias {
  if (k === 1) return { alias, shortened: false };
  const suffix = `_${k}`;
  const room = MAX_NAME - suffix.length;
  return chars(alias).length <= room ? { alias: alias + suffix, shortened: false } : { alias: cut(alias, room) + suffix, shortened: true };
}

/**
 * The display name of part `k` of `n`: `<name> part k of n`. Not `<name> (k of n)`: a parenthesis is neither
 * alphanumeric nor a space, hyphen or underscore, so Sentinel's naming rule (which Quell checks names against) refuses
 * it, and a name would have to end in `)`. A name too long for the suffix loses characters at its end.
 */
export function partDisplayName(name: string, k: number, n: number): string {
  const suffix = ` part ${k} of ${n}`;
  const room = MAX_NAME - suffix.length;
  return (chars(name).length <= room ? name : cut(name, room)) + suffix;
}
