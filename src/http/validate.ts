import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema, Static } from '@sinclair/typebox';
import { badRequest, type ProblemFieldError } from './errors.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as
  unknown as (ajv: Ajv) => Ajv;

const bodyAjv = addFormats(new Ajv({ allErrors: true, strict: false }));
// Query strings arrive as text; coerce "20" to 20 and "true" to true, and a single value to an array.
const queryAjv = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true }));

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

/** Validates (a copy of) data against schema; throws a 400 problem naming every failing path. */
export function check<S extends TSchema>(schema: S, data: unknown, where: 'body' | 'query'): Static<S> {
  const value = where === 'query' ? structuredClone(data ?? {}) : data;
  const validate = compiled(schema, where);
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map(describe);
    throw badRequest(`the request ${where} is invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`, errors);
  }
  return value as Static<S>;
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
