import { parse as parseYaml } from 'yaml';
import { HuntImportError, type ParsedHunt } from './hunt-import-error.js';
import { readLooseYaml, type LooseDoc } from './tolerant-yaml.js';
import { huntFromDoc } from './hunt-fields.js';
import { parseRulePage, looksLikeRulePage } from './rule-page.js';

export { HuntImportError, type ParsedHunt } from './hunt-import-error.js';

export const MAX_DOCUMENT_CHARS = 1_000_000;

function parseJson(text: string): ParsedHunt {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) {
    throw new HuntImportError('malformed-json', `the document is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HuntImportError('not-an-object', `a hunt must be a JSON object, not ${Array.isArray(doc) ? 'an array' : typeof doc}`);
  }
  return huntFromDoc(doc as LooseDoc, 'json');
}

function parseSentinelYaml(text: string): ParsedHunt {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: false, logLevel: 'error' });
  } catch {
    // Upstream files are often not valid YAML (see rmm_*.yaml requiredDataConnectors); read them field by field.
    doc = readLooseYaml(text);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HuntImportError('not-a-hunt', 'the document is not a hunting query (YAML or JSON object with name and query)');
  }
  return huntFromDoc(doc as LooseDoc, 'sentinel-yaml');
}

/** Reads a hunt from Sentinel hunting-query YAML, JSON, or an enriched rule page; detects which when no hint is given. */
export function parseHuntDocument(input: string, hint?: 'yaml' | 'json' | 'page'): ParsedHunt {
  const text = input.replace(/^\uFEFF/, '');
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new HuntImportError('too-large', `the document is ${text.length} characters; the limit is ${MAX_DOCUMENT_CHARS}`);
  }
  if (!text.trim()) throw new HuntImportError('empty', 'the document is empty');
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new HuntImportError('binary', 'the document is binary, not text');
  const placeholder = /%%[A-Z0-9_]+%%/.exec(text);
  if (placeholder) {
    throw new HuntImportError('template', `the document is a generator template with unfilled placeholders (${placeholder[0]}); fill them in first`);
  }
  // Sentinel fills `{{StartTimeISO}}`-style placeholders in when it runs a hunt from its own gallery; imported as they
  // are, they are string literals that silently match nothing, so the document is refused naming what to fill in.
  const sentinel = /\{\{\s*[A-Za-z_][\w.]*\s*\}\}/.exec(text);
  if (sentinel) {
    throw new HuntImportError('template', `the query has unfilled Sentinel placeholders (${sentinel[0]}), which Sentinel replaces when it runs the hunt; put in the values (e.g. a datetime for ${sentinel[0]}) first`);
  }
  const start = text.trimStart()[0];
  if (hint === 'json' || (!hint && (start === '{' || start === '['))) return parseJson(text);
  if (hint === 'page' || (!hint && looksLikeRulePage(text))) return parseRulePage(text);
  return parseSentinelYaml(text);
}
