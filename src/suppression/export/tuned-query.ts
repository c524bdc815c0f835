import { headerComment, listFilter, ruleFilter, type Placement, type TunedList, type TunedRule } from './tuned-query-parts.js';

export type { TunedList, TunedRule } from './tuned-query-parts.js';

export interface TunedQueryInput {
  /** The hunt's original KQL, returned byte-for-byte around the insertions. */
  query: string;
  /** The final summarize: `start` is the offset of its `|`, `end` where the operator ends (exclusive); null when none. */
  summarize: { start: number; end: number } | null;
  table: string;
  rules: readonly TunedRule[];
  lists: readonly TunedList[];
  /** The source table's column names: a list whose key columns are all among them is filtered before the summarize. */
  tableColumns: readonly string[];
}

/** The whitespace between the start of the line and `at`, or null when code precedes `at` on its line. */
function indentBefore(text: string, at: number): string | null {
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  const lead = text.slice(lineStart, at);
  return /^[ \t]*$/.test(lead) ? lead : null;
}

/** Where to append when there is no summarize: after the last code, before trailing blanks and a final `;`. */
function appendPoint(text: string): number {
  let p = text.trimEnd().length;
  if (text[p - 1] === ';') p = text.slice(0, p - 1).trimEnd().length;
  return p;
}

function checkSummarize(query: string, s: { start: number; end: number }) {
  const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= query.length
    && query[s.start] === '|';
  if (!ok) throw new RangeError(`summarize offsets ${s.start}..${s.end} do not point at a "|" in the query`);
}

/**
 * The tuned query: a `//` block naming every rule and list, then the original query with each compiled suppress rule as
 * `| where not(…)` before the final summarize and each list's watchlist exclusion before it (key columns of the table)
 * or after it (keys the summarize computes). Without a summarize everything is appended at the end.
 */
export function buildTunedQuery(input: TunedQueryInput): { kql: string } {
  const { query, summarize, table } = input;
  if (summarize) checkSummarize(query, summarize);
  const eol = query.includes('\r\n') ? '\r\n' : '\n';
  const applied = input.rules.filter((r) => r.action === 'suppress' && typeof r.kql === 'string' && r.kql.trim() !== '');
  const notCompiled = input.rules.filter((r) => r.action === 'suppress' && !applied.includes(r));
  const notFiltered = input.rules.filter((r) => r.action !== 'suppress');
  const rulePlacement: Placement = summarize ? 'before' : 'end';
  const lists = input.lists.map((list) => {
    const placement: Placement | null = list.keyColumns.length === 0 ? null
      : !summarize ? 'end'
      : list.keyColumns.every((c) => input.tableColumns.includes(c)) ? 'before' : 'after';
    return { list, placement };
  });
  const filtersAt = (p: Placement) => [
    ...(p === rulePlacement ? applied.map((r) => ruleFilter(r.kql!, eol)) : []),
    ...lists.filter((l) => l.placement === p).map((l) => listFilter(l.list, table, p)),
  ];

  let body: string;
  if (summarize) {
    const indent = indentBefore(query, summarize.start);
    const before = filtersAt('before').map((f) => (indent === null ? `${f} ` : `${f}${eol}${indent}`)).join('');
    // `end` may include trailing blanks; inserting before them keeps the summarize's own text intact either way.
    const end = summarize.start + query.slice(summarize.start, summarize.end).trimEnd().length;
    const after = filtersAt('after').map((f) => `${eol}${indent ?? ''}${f}`).join('');
    body = query.slice(0, summarize.start) + before + query.slice(summarize.start, end) + after + query.slice(end);
  } else {
    const at = appendPoint(query);
    // Appended lines take the indentation of a last line that is itself a `| operator` line.
    const lastLine = query.slice(0, at).replace(/^[\s\S]*[\r\n]/, '');
    const lead = /^[ \t]*(?=\|)/.exec(lastLine)?.[0] ?? '';
    body = query.slice(0, at) + filtersAt('end').map((f) => `${eol}${lead}${f}`).join('') + query.slice(at);
  }
  const header = headerComment({ applied, notFiltered, notCompiled, lists, rulePlacement });
  return { kql: header.map((l) => l + eol).join('') + body };
}
