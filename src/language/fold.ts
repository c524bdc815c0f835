/**
 * Case folding as Kusto's case-insensitive operators do it (`=~`, `in~`, `contains`, `startswith`, `endswith`): ASCII
 * letters only. `É` and `é` differ there, so they differ here too; otherwise Quell would suppress a hit the tuned
 * query keeps (or the reverse). Allocates only when the text has an upper-case ASCII letter.
 */
export function foldAscii(s: string): string {
  let upper = false, ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c > 127) ascii = false;
  }
  if (!upper) return s;
  // On pure-ASCII text (nearly every Windows name) the engine's native toLowerCase folds exactly A–Z, several times
  // faster than a replace with a callback; text with other letters keeps them as they are.
  return ascii ? s.toLowerCase() : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
