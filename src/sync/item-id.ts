import { createHash } from 'node:crypto';

/**
 * SearchKeys compare as KQL's `in~` compares them (the tuned query excludes with `!in~`): case-insensitively, and, as
 * Kusto's case-insensitive operators do, for ASCII letters only. Two keys that differ in any other way are two items.
 */
export const foldKey = (key: string) => key.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/** A name-based UUID (RFC 9562 version 5: SHA-1 of namespace and name, version and variant bits set). */
export function uuidv5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Quell's namespace for watchlist item ids (a random UUID, fixed forever: changing it would re-create every item).
const ITEM_NAMESPACE = '3b0f6a52-8c1e-4d7a-9f25-6e4c1d8b7a90';

/**
 * The watchlist item id of a key in a list. Deterministic, so a sync that dies after a PUT and is run again writes the
 * same item instead of a duplicate, and no mapping from keys to Sentinel's ids has to be kept.
 */
export const watchlistItemId = (listId: string, searchKey: string) => uuidv5(ITEM_NAMESPACE, `${listId}\n${foldKey(searchKey)}`);
