// How the evaluator reads a field from a hit: canonical fields by name, raw Defender columns from the raw row (with
// the catalog's aliases standing in when a column is absent), and what counts as absent.
import type { ResolvedField } from './catalog.js';

/** A hit as the evaluator reads it: canonical fields by name, and the raw row for raw Defender columns. */
export interface HitView {
  fields: Readonly<Record<string, unknown>>;
  raw?: Readonly<Record<string, unknown>>;
}

/** Defender writes absent values as empty strings; an empty list is absent too (SPEC §3, §4). */
export const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The field's value as stored (not yet checked for absence). */
export type Read = (h: HitView) => unknown;

export function reader(f: ResolvedField): Read {
  const { kind, name, aliases = [] } = f;
  if (kind === 'canonical') return (h) => h.fields[name];
  if (aliases.length === 0) return (h) => h.raw?.[name];
  return (h) => {
    const raw = h.raw;
    if (raw === undefined) return undefined;
    let v = raw[name];
    for (let i = 0; i < aliases.length && absent(v); i++) v = raw[aliases[i]];
    return v;
  };
}

/**
 * The same read as a function of its own with the name as a constant key. reader()'s closures share one property
 * lookup site for every field, which V8 then serves from its global (megamorphic) cache; a function per field gets a
 * monomorphic inline cache. The only text that becomes code is the catalog's field name, quoted by JSON.stringify
 * (an inert JS string literal). Falls back to reader() where code generation is not allowed, and for aliased columns.
 */
export function fastReader(f: ResolvedField): Read {
  if (f.aliases?.length) return reader(f);
  const key = JSON.stringify(f.name);
  try {
    return new Function(`return (h) => ${f.kind === 'canonical' ? `h.fields[${key}]` : `h.raw?.[${key}]`};`)() as Read;
  } catch {
    return reader(f); // e.g. node --disallow-code-generation-from-strings
  }
}
