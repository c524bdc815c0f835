import { DEFENDER_TABLES } from '../../kusto/analyser.js';
import { commentText, kqlColumn, kqlString } from './kql-text.js';

export interface TunedRule {
  id: string;
  name: string;
  version: number;
  action: 'suppress' | 'flag' | (string & {});
  /** The rule compiled to a KQL predicate that is true for the rows it suppresses. */
  kql?: string;
  /** Why the rule has no KQL form (e.g. `user.group` needs the group directory). */
  notCompilable?: string;
}

export interface TunedList {
  alias: string;
  keyColumns: readonly string[];
  entryCount: number;
  /**
   * The aliases of every numbered watchlist, the list's own first, when the list is too large for one (SPEC §7); absent
   * or of one alias for a list in one watchlist, whose filter is then exactly what it was before parts existed.
   */
  partAliases?: readonly string[];
}

/** The watchlists holding a list's keys: its own alias, or each numbered part's. */
const watchlistsOf = (list: TunedList) => (list.partAliases && list.partAliases.length > 1 ? list.partAliases : [list.alias]);

export type Placement = 'before' | 'after' | 'end';

const isStringColumn = (table: string, column: string) =>
  (DEFENDER_TABLES[table] ?? []).some((c) => c.name === column && c.type === 'string');

/**
 * The expression a list's SearchKey is compared with. One column is used bare when it is a string column of the table
 * (`in~` wants a string, and a bare column keeps Sentinel's index usable); anything else goes through `tostring`, since a
 * watchlist holds text. A composite key is rebuilt the way Quell builds SearchKey: the columns joined with `|`.
 */
export function keyExpression(list: TunedList, table: string, placement: Placement): string {
  const columns = list.keyColumns.map(kqlColumn);
  if (columns.length > 1) return `strcat(${columns.join(', "|", ')})`;
  return placement !== 'after' && isStringColumn(table, list.keyColumns[0]!) ? columns[0]! : `tostring(${columns[0]})`;
}

/**
 * `where not(<rule>)` alone would also drop rows where the rule is null (in KQL `not(null)` is null and `where` keeps only
 * true), e.g. when `ipv4_is_in_range` meets an unparsable address. SPEC §4 suppresses only on true, so null counts as
 * "rule does not hold" and the row is kept: a hunt must not lose a hit because a field was odd.
 */
export function ruleFilter(kql: string, eol: string): string {
  return `| where not(coalesce(${kql.replace(/\r\n|\r|\n/g, eol)}, false))`;
}

/**
 * The watchlist exclusion. A list in several numbered watchlists excludes the keys of all of them through one `union`
 * (Kusto applies the `| project` after it to the whole union), so a key is excluded whichever part holds it; a part
 * not yet deployed is an empty `_GetWatchlist`, never an error.
 */
export function listFilter(list: TunedList, table: string, placement: Placement): string {
  const calls = watchlistsOf(list).map((alias) => `_GetWatchlist(${kqlString(alias)})`);
  const source = calls.length > 1 ? `union ${calls.join(', ')}` : calls[0]!;
  return `| where ${keyExpression(list, table, placement)} !in~ ((${source} | project SearchKey))`;
}

const ruleLabel = (r: TunedRule) => `${commentText(r.name)} (rule ${commentText(r.id)}, version ${r.version})`;

const WHERE: Record<Placement, string> = {
  before: 'before the final summarize',
  after: 'after the final summarize (a key column is not a column of the source table)',
  end: 'at the end (the query has no summarize)',
};

export interface CommentInput {
  applied: TunedRule[]; notFiltered: TunedRule[]; notCompiled: TunedRule[];
  lists: { list: TunedList; placement: Placement | null }[]; rulePlacement: Placement;
}

/** The `//` block naming every rule and list considered, so nothing is dropped silently. */
export function headerComment(input: CommentInput): string[] {
  const lines = ['// Quell tuned query (generated): the hunt query with its exclusions applied. Change rules and lists in Quell, not here.'];
  const section = (title: string, items: string[]) => { if (items.length) lines.push(`// ${title}`, ...items.map((i) => `//   ${i}`)); };
  section(`Suppress rules, filtered out ${WHERE[input.rulePlacement]}:`, input.applied.map(ruleLabel));
  section('Flag rules, not filtered (flagged hits stay in the queue):', input.notFiltered.map(ruleLabel));
  section('Rules NOT applied: they could not be compiled to KQL:',
    input.notCompiled.map((r) => `${ruleLabel(r)}: ${commentText(r.notCompilable || 'no KQL form was given')}`));
  section('Suppression lists (Sentinel watchlists), keys compared case-insensitively:', input.lists.map(({ list, placement }) => {
    const aliases = watchlistsOf(list);
    const names = aliases.map((a) => commentText(kqlString(a))).join(', ');
    const where = aliases.length > 1 ? `${names} (one list in ${aliases.length} numbered watchlists)` : names;
    const head = `${where} on ${commentText(list.keyColumns.join('|'))}, ${list.entryCount} active ${list.entryCount === 1 ? 'entry' : 'entries'}`;
    return placement ? `${head}, ${WHERE[placement]}` : `${head}: NOT applied, the list has no key columns`;
  }));
  if (lines.length === 1) lines.push('// No exclusion rule or suppression list applies to this hunt.');
  return lines;
}
