import { randomUUID } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, a 12-bit counter so ids made in the same millisecond still sort in
 * creation order, then randomness. Time-ordered primary keys append to the B-tree instead of splitting random pages,
 * which matters when one ingest inserts 100,000 hits. The random half comes from randomUUID(), which draws from a
 * cached entropy pool (a randomBytes() call per id cost 8 µs, more than the insert itself).
 */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) { now = lastMs; seq++; } else { lastMs = now; seq = 0; }
  if (seq > 0x0fff) { lastMs = ++now; seq = 0; }
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V already the RFC 4122 variant
  const ts = now.toString(16).padStart(12, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-${(0x7000 | seq).toString(16)}-${random.slice(19)}`;
}
