import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema, Static } from '@sinclair/typebox';
import { badRequest, type ProblemFieldError } from './errors.js';
import { pointerSegment } from './json-pointer.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as
  unknown as (ajv: Ajv) => Ajv;

// verbose: errors carry their schema, so a failed union can be described by its own description.
const bodyAjv = addFormats(new Ajv({ allErrors: true, strict: false, verbose: true }));
// Query strings arrive as text; coerce "20" to 20 and "true" to true, and a single value to an array.
const queryAjv = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true, verbose: true }));

const cache = new WeakMap<object, { body?: ValidateFunction; query?: ValidateFunction }>();

function compiled(schema: TSchema, where: 'body' | 'query'): ValidateFunction {
  let entry = cache.get(schema);
  if (!entry) { entry = {}; cache.set(schema, entry); }
  return (entry[where] ??= (where === 'body' ? bodyAjv : queryAjv).compile(schema));
}

function describe(e: ErrorObject): ProblemFieldError {
  let pointer = e.instancePath || '';
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    pointer = `${pointer}/${(e.params as { missingProperty: string }).missingProperty}`;
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    pointer = `${pointer}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    message = 'is not a known property';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { pointer: pointer || '/', message };
}

// Errors that say a value has the wrong shape for a union's branch, as opposed to a wrong detail inside the right shape.
const SHAPE_KEYWORDS = new Set(['required', 'additionalProperties', 'const', 'type']);

/**
 * ajv reports a failed union (anyOf) as every branch's errors plus "must match a schema in anyOf". When exactly one
 * branch has the value's shape, its errors are the ones that matter; otherwise one sentence says what the union takes.
 */
function describeAll(errors: readonly ErrorObject[]): ProblemFieldError[] {
  let rest = errors.filter((e) => e.keyword !== 'anyOf');
  const out: ProblemFieldError[] = [];
  const unions = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const u of unions) {
    const prefix = `${u.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of rest.filter((x) => x.schemaPath.startsWith(prefix))) {
      const b = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    rest = rest.filter((x) => !x.schemaPath.startsWith(prefix));
    const all = [...branches.values()];
    const fitting = all.filter((es) => es.every((e) => e.instancePath !== u.instancePath && !SHAPE_KEYWORDS.has(e.keyword)));
    if (fitting.length === 1 && fitting[0]) { out.push(...fitting[0].map(describe)); continue; }
    const consts = all.every((es) => es.length === 1 && es[0]?.keyword === 'const')
      ? all.map((es) => JSON.stringify((es[0]?.params as { allowedValue: unknown }).allowedValue)) : null;
    const description = (u.parentSchema as { description?: string } | undefined)?.description;
    out.push({ pointer: u.instancePath || '/',
      message: consts ? `must be one of ${consts.join(', ')}` : description ? `must be ${description}` : 'matches none of the allowed shapes' });
  }
  return [...rest.map(describe), ...out];
}

/** Validates (a copy of) data against schema; throws a 400 problem naming every failing path. */
export function check<S extends TSchema>(schema: S, data: unknown, where: 'body' | 'query'): Static<S> {
  const value = where === 'query' ? structuredClone(data ?? {}) : data;
  const validate = compiled(schema, where);
  if (!validate(value)) {
    const errors = describeAll(validate.errors ?? []);
    throw badRequest(`the request ${where} is invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`, errors);
  }
  const nul = nulAt(value, '');
  if (nul !== null) {
    throw badRequest(`the request ${where} holds a NUL character at ${nul || '/'}, which Quell does not store`, [{ pointer: nul || '/', message: 'contains U+0000' }]);
  }
  return value as Static<S>;
}

/**
 * The JSON pointer of the first string (or property name) holding U+0000, or null. PostgreSQL text cannot hold the
 * character, so it is refused up front with the same 400 on either database rather than failing in the store.
 */
export function nulAt(value: unknown, pointer: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? pointer : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) { const p = nulAt(value[i], `${pointer}/${i}`); if (p !== null) return p; }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${pointer}/${pointerSegment(k)}`;
      if (k.includes('\0')) return here;
      const p = nulAt(v, here);
      if (p !== null) return p;
    }
  }
  return null;
}

// The HTTP test suite sets this, so every response any test provokes is checked against its declared schema.
export const CHECK_RESPONSES = process.env.QUELL_CHECK_RESPONSES === '1';

const responseAjv = addFormats(new Ajv({ allErrors: true, strict: false }));
const responseCache = new WeakMap<object, ValidateFunction>();

/** Where a response body departs from its declared schema (empty when it conforms); for the test-mode check. */
export function responseErrors(schema: TSchema, body: unknown): string[] {
  let validate = responseCache.get(schema);
  if (!validate) { validate = responseAjv.compile(schema); responseCache.set(schema, validate); }
  // What the client receives: JSON text (dates as strings, undefined members gone).
  const sent = JSON.parse(JSON.stringify(body)) as unknown;
  return validate(sent) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
