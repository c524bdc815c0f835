import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HuntQuery { name: string; query: string }

const ROOT = join(import.meta.dirname, '../../..');

/**
 * The `query: |` block of a Sentinel hunting-query YAML, de-indented, keeping the file's line ends: a YAML parser would
 * turn CRLF into LF, and these hunts are kept CRLF precisely so that the CRLF path of the tuned query is exercised.
 */
export function yamlQueryBlock(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^query:\s*\|[-+]?\s*$/.test(l));
  if (at < 0) throw new Error('no query block');
  const block: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() !== '' && !/^\s/.test(line)) break;
    block.push(line);
  }
  while (block.length && block[block.length - 1]!.trim() === '') block.pop();
  const indent = Math.min(...block.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return block.map((l) => l.slice(indent)).join(eol) + eol;
}

/** The KQL of a seed rule page: the lines after `KQL Query` (blank lines skipped) up to a blank line or the YAML that follows. */
export function seedQuery(text: string): string {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim() === 'KQL Query');
  const block: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '' && block.length === 0) continue;
    if (line.trim() === '' || /^(id:|Analytic Rule Definition)/.test(line)) break;
    block.push(line);
  }
  return block.join('\n');
}

export function rmmHunts(): HuntQuery[] {
  const dir = join(ROOT, 'test/fixtures/rmm-hunts');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: f, query: yamlQueryBlock(readFileSync(join(dir, f), 'utf8')) }));
}

export function seedHunts(): HuntQuery[] {
  const dir = join(ROOT, 'prisma/seeds');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()
    .map((f) => ({ name: f, query: seedQuery(readFileSync(join(dir, f), 'utf8')) }));
}

/** The final summarize, found the simple way: the last `| summarize`, running to the end of the query's code. */
export function finalSummarize(query: string): { start: number; end: number } | null {
  const all = [...query.matchAll(/\|\s*summarize\b/g)];
  const last = all[all.length - 1];
  return last ? { start: last.index!, end: query.trimEnd().length } : null;
}

/** The group keys after `by` in the final summarize (plain column names only). */
export function groupKeys(query: string): string[] {
  const s = finalSummarize(query);
  if (!s) return [];
  const by = /\bby\b([\s\S]*)$/.exec(query.slice(s.start, s.end));
  return by ? by[1]!.split(',').map((k) => k.trim()).filter((k) => /^[A-Za-z_]\w*$/.test(k)) : [];
}
