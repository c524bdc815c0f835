import { badRequest } from '../http/errors.js';
import type { HitCursor } from './hits-store.js';
import { SORT_COLUMNS, type HitOrder, type HitSort } from './schemas.js';

/** An opaque cursor: the sort and order it was read in, the last hit's sort value and its id. */
export const encodeCursor = (c: HitCursor) => Buffer.from(JSON.stringify([c.sort, c.order, c.value, c.id])).toString('base64url');

const invalid = (message: string) => badRequest(`cursor is not valid: ${message}`, [{ pointer: '/cursor', message }]);

/**
 * Reads a cursor for a request with this sort and order. A cursor from a listing in another sort or order would seek to
 * a value of another column, silently skipping or repeating hits, so it is refused with what to do instead.
 */
export function decodeCursor(s: string, sort: HitSort, order: HitOrder): HitCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw invalid('use nextCursor from a previous page');
  }
  if (!Array.isArray(parts) || parts.length !== 4) throw invalid('use nextCursor from a previous page');
  const [cSort, cOrder, value, id] = parts as unknown[];
  if (typeof cSort !== 'string' || !Object.hasOwn(SORT_COLUMNS, cSort) || (cOrder !== 'asc' && cOrder !== 'desc') || typeof id !== 'string') {
    throw invalid('use nextCursor from a previous page');
  }
  if (cSort !== sort || cOrder !== order) {
    throw invalid(`it continues a listing sorted by ${cSort} ${cOrder}, not ${sort} ${order}; drop the cursor to start that sort from its first page`);
  }
  const numeric = sort === 'count';
  if (value !== null && typeof value !== (numeric ? 'number' : 'string')) throw invalid('use nextCursor from a previous page');
  return { sort, order, value: value as string | number | null, id };
}
