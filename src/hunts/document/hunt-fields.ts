import { HuntImportError, type ParsedHunt } from './hunt-import-error.js';
import type { LooseDoc } from './tolerant-yaml.js';

const asList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' && v.trim() ? v.split(',') : []).map((x) => String(x).trim()).filter(Boolean);

function dataTypesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c) => (c && typeof c === 'object' ? asList((c as Record<string, unknown>).dataTypes) : []));
}

/** The hunt fields of a YAML or JSON document, checked; `format` says which it was. */
export function huntFromDoc(doc: LooseDoc, format: ParsedHunt['format']): ParsedHunt {
  const query = typeof doc.query === 'string' ? doc.query.replace(/\r\n?/g, '\n').replace(/\s+$/, '') : '';
  if (doc.query === undefined) throw new HuntImportError('missing-query', 'the hunt has no query field', '/query');
  if (typeof doc.query !== 'string' || !query.trim()) throw new HuntImportError('empty-query', 'the hunt query is empty', '/query');
  const name = typeof doc.name === 'string' ? doc.name.trim() : '';
  if (!name) throw new HuntImportError('missing-name', 'the hunt has no name', '/name');
  const id = doc.id === undefined || doc.id === null ? undefined : String(doc.id).trim();
  if (id !== undefined && !/^[\w.-]{1,128}$/.test(id)) {
    throw new HuntImportError('bad-id', 'the hunt id must be 1–128 letters, digits, dots, hyphens or underscores', '/id');
  }
  return {
    ...(id ? { sourceId: id } : {}),
    name,
    description: typeof doc.description === 'string' ? doc.description.replace(/\r\n?/g, '\n').trim() : '',
    query,
    tactics: asList(doc.tactics),
    techniques: asList(doc.relevantTechniques),
    dataTypes: dataTypesOf(doc.requiredDataConnectors),
    format,
    scenarios: [],
  };
}

