import type { KqlDiagnostic } from '../../kusto/analyser.js';
import { resultShape, type ResultColumn } from '../../kusto/result-shape.js';
import { scanKql, topLevel, type Scan } from './kql-scan.js';

export interface QueryShape {
  /** The source table when the result rows come from exactly one, else null (a union, an unknown source). */
  table: string | null;
  /** Every source table of the result rows, through `let` bindings and `union` (SPEC §2). */
  tables: string[];
  /**
   * The final summarize's `by` columns as named in the query's result (Kusto's naming: `tostring(OS)` is `OS`), minus
   * those a later operator removes; empty when the query has no summarize or a later join/union/mv-expand makes a
   * row something else than a group (identity then falls back as SPEC §3 says).
   */
  groupKeys: string[];
  /** The query's result columns, from Microsoft's analyser. */
  columns: ResultColumn[];
  /** The final summarize of the main statement (for the tuned query): `start` is its `|`, `end` where it ends. */
  summarize: { start: number; end: number } | null;
  /** The analyser's diagnostics, errors and warnings (SPEC §2). */
  diagnostics: KqlDiagnostic[];
}

/** The last statement that is not a `let`/`set`/`declare`: the query's result. */
function mainStatement(text: string, scan: Scan): { from: number; to: number } {
  const semis = topLevel(scan, ';');
  const bounds = [-1, ...semis, text.length];
  for (let k = bounds.length - 2; k >= 0; k--) {
    const from = bounds[k]! + 1, to = bounds[k + 1]!;
    const head = scan.code.slice(from, to).trimStart();
    if (!head) continue;
    if (/^(let|set|declare|alias)\b/.test(head)) continue;
    return { from, to };
  }
  return { from: 0, to: text.length };
}

/**
 * Where the tuned query inserts its filters: the main statement's last `| summarize` (offsets into the text, which
 * the analyser's tree does not keep across CRLF the same way). Lexical on purpose: it only places text.
 */
export function finalSummarizeSpan(query: string): QueryShape['summarize'] {
  const scan = scanKql(query);
  const main = mainStatement(query, scan);
  const pipes = topLevel(scan, '|', main.from, main.to);
  for (let k = pipes.length - 1; k >= 0; k--) {
    const at = pipes[k]!;
    if (!/^\|\s*summarize\b/.test(scan.code.slice(at, at + 40))) continue;
    let end = k + 1 < pipes.length ? pipes[k + 1]! : main.to;
    while (end > at && /\s/.test(query[end - 1]!)) end--;
    return { start: at, end };
  }
  return null;
}

/**
 * The names after the last `by` of the final summarize, read from the text: only for a query the analyser cannot
 * parse (it is still what the SOC runs, so its rows still need an identity). Plain columns and `Name = …` only.
 */
function lexicalKeys(query: string, span: QueryShape['summarize']): string[] {
  if (!span) return [];
  const scan = scanKql(query);
  const body = scan.code.slice(span.start, span.end);
  const by = [...body.matchAll(/\bby\b/g)].filter((m) => scan.depth[span.start + m.index!] === 0).pop();
  if (!by) return [];
  const from = span.start + by.index! + 2;
  const cuts = [from - 1, ...topLevel(scan, ',', from, span.end), span.end];
  return cuts.slice(0, -1).map((c, i) => query.slice(c + 1, cuts[i + 1]!).replace(/\/\/[^\n]*/g, '').trim())
    .map((e) => /^([A-Za-z_]\w*)\s*(?:=(?!=)|$)/.exec(e)?.[1] ?? '').filter((n, i, all) => n && all.indexOf(n) === i);
}

// Diagnostics that mean the text did not parse, as opposed to a name or type the analyser does not know.
const NOT_SYNTAX = new Set(['KS142', 'KS204']);

/** Table, group keys and result columns of a hunt query, read from Microsoft's Kusto analyser (SPEC §2). */
export function deriveQueryShape(query: string): QueryShape {
  const shape = resultShape(query);
  const summarize = finalSummarizeSpan(query);
  const unparsed = shape.diagnostics.some((d) => d.severity === 'Error' && !NOT_SYNTAX.has(d.code));
  return {
    table: shape.tables.length === 1 ? shape.tables[0]! : null,
    tables: shape.tables,
    groupKeys: shape.groupKeys ?? (unparsed ? lexicalKeys(query, summarize) : []),
    columns: shape.columns,
    summarize,
    diagnostics: shape.diagnostics,
  };
}

/** Microsoft's Kusto analyser over the known tables: the query's diagnostics, stored with the hunt as warnings. */
export function checkHuntQuery(query: string): KqlDiagnostic[] {
  return resultShape(query).diagnostics;
}
