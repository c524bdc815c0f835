import { analyseKql, type KqlDiagnostic } from '../../kusto/analyser.js';
import { scanKql, topLevel, type Scan } from './kql-scan.js';

export interface QueryShape {
  /** The source table of the main statement, or null when it does not start with one (union, search, …). */
  table: string | null;
  /** Output columns of the final summarize's `by` clause, in order. */
  groupKeys: string[];
  /** The final summarize: `start` is the offset of its `|`, `end` where the operator ends. */
  summarize: { start: number; end: number } | null;
}

const NOT_TABLES = new Set(['union', 'search', 'find', 'print', 'range', 'datatable', 'externaldata', 'evaluate', 'let', 'set', 'declare', 'alias']);

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

/** The output name of one `by` expression: `Name = expr` → Name, `bin(Col, 1h)` → Col, a column → itself. */
export function outputName(expr: string, position: number): string {
  const e = expr.trim();
  const assigned = /^\[?['"]?([A-Za-z_][\w]*)['"]?\]?\s*=(?!=)/.exec(e);
  if (assigned) return assigned[1]!;
  const bin = /^(?:bin|floor|bin_at)\s*\(\s*([A-Za-z_][\w]*)/.exec(e);
  if (bin) return bin[1]!;
  const column = /^\[?['"]?([A-Za-z_][\w]*)['"]?\]?$/.exec(e);
  if (column) return column[1]!;
  const dotted = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*|\[['"][^'"]+['"]\])+$/.exec(e);
  if (dotted) return e.replace(/\W+/g, '_').replace(/^_+|_+$/g, '');
  return `Column${position + 1}`;
}

export function deriveQueryShape(query: string): QueryShape {
  const scan = scanKql(query);
  const main = mainStatement(query, scan);
  const head = /^\s*([A-Za-z_][\w]*)/.exec(scan.code.slice(main.from, main.to));
  const table = head && !NOT_TABLES.has(head[1]!.toLowerCase()) ? head[1]! : null;
  const pipes = topLevel(scan, '|', main.from, main.to);
  let summarize: QueryShape['summarize'] = null;
  let groupKeys: string[] = [];
  for (let k = pipes.length - 1; k >= 0; k--) {
    const at = pipes[k]!;
    if (!/^\|\s*summarize\b/.test(scan.code.slice(at, at + 40))) continue;
    const endRaw = k + 1 < pipes.length ? pipes[k + 1]! : main.to;
    let end = endRaw;
    while (end > at && /\s/.test(query[end - 1]!)) end--;
    summarize = { start: at, end };
    const body = scan.code.slice(at, endRaw);
    const by = [...body.matchAll(/\bby\b/g)].find((m) => scan.depth[at + m.index!] === 0);
    if (by) {
      const from = at + by.index! + 2;
      const commas = topLevel(scan, ',', from, endRaw);
      const cuts = [from - 1, ...commas, endRaw];
      groupKeys = cuts.slice(0, -1).map((c, i) => outputName(query.slice(c + 1, cuts[i + 1]!).replace(/\/\/[^\n]*/g, ''), i))
        .filter((name, i, all) => name && all.indexOf(name) === i);
    }
    break;
  }
  return { table, groupKeys, summarize };
}

/** Microsoft's Kusto analyser over the Defender tables: the query's diagnostics, stored with the hunt as warnings. */
export function checkHuntQuery(query: string): KqlDiagnostic[] {
  return analyseKql(query);
}
