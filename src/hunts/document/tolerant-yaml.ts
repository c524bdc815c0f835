import { parse as parseYaml } from 'yaml';
import { HuntImportError } from './hunt-import-error.js';

// The fields of a Sentinel hunting query Quell reads. Real files are sloppy (CRLF, tabs, a requiredDataConnectors
// block that is not valid YAML, pages whose YAML lost its indentation), so when the YAML parser refuses a document
// it is read field by field: a top-level key starts a line; its value runs until the next top-level key.
export const HUNT_KEYS = ['id', 'name', 'description', 'requiredDataConnectors', 'severity', 'tactics', 'relevantTechniques',
  'query', 'version', 'kind', 'entityMappings', 'metadata', 'tags'] as const;

const KEY_LINE = new RegExp(`^(${HUNT_KEYS.join('|')}):(.*)$`);

export type LooseDoc = Record<string, unknown>;

function scalar(raw: string, key: string, line: number): unknown {
  const v = raw.trim();
  if (v === '') return '';
  try {
    return parseYaml(v) as unknown;
  } catch {
    throw new HuntImportError('malformed-yaml', `line ${line}: the value of ${key} is not valid YAML: ${v.slice(0, 60)}`, `/${key}`);
  }
}

function blockText(lines: string[]): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const text = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n');
  return text.replace(/\s+$/, '');
}

function listItems(lines: string[]): string[] {
  return lines.map((l) => /^\s*-\s*(.+?)\s*$/.exec(l)?.[1]).filter((x): x is string => !!x && !x.includes(':'))
    .map((x) => x.replace(/^['"]|['"]$/g, ''));
}

/**
 * Reads the known top-level fields of a hunting-query document without a YAML parser's strictness.
 * `stopAt` ends the document early (a page's prose after its YAML).
 */
export function readLooseYaml(text: string, stopAt?: RegExp): LooseDoc {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const doc: LooseDoc = {};
  let i = 0;
  while (i < lines.length) {
    const m = KEY_LINE.exec(lines[i]!);
    if (!m) { i++; continue; }
    const [, key, rest] = m as unknown as [string, string, string];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !KEY_LINE.test(lines[j]!) && !(stopAt && stopAt.test(lines[j]!))) body.push(lines[j++]!);
    const value = rest.trim();
    if (value === '|' || value === '|-' || value === '>' || value === '|+') {
      doc[key] = blockText(body);
    } else if (value === '') {
      if (key === 'requiredDataConnectors') {
        const types: string[] = [];
        let inTypes = false;
        for (const l of body) {
          if (/^\s*-?\s*dataTypes:\s*$/.test(l)) { inTypes = true; continue; }
          if (/^\s*-?\s*\w+:/.test(l)) { inTypes = false; continue; }
          if (inTypes) types.push(...listItems([l]));
        }
        doc[key] = [{ dataTypes: types }];
      } else {
        doc[key] = listItems(body);
      }
    } else {
      doc[key] = scalar(value, key, i + 1);
    }
    i = j;
  }
  return doc;
}
