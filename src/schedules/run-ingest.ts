import type { Actor } from '../core/actor.js';
import type { IngestService } from '../hits/ingest-service.js';
import type { IngestResult } from '../hits/schemas.js';
import { chunks, type QueryDocument } from './query-document.js';

/**
 * Feeds a query result through the same ingest as POST /hunts/:id/hits. A result larger than `chunkRows` goes in
 * several bodies (a 500,000-row result would pass the ingest body limit), their results summed and rejected
 * indexes kept relative to the whole result. A key that spans two chunks counts once per chunk in suppressed,
 * flagged and open; inserted and merged stay exact.
 */
export async function ingestDocument(ingest: IngestService, actor: Actor, huntId: string, document: QueryDocument,
  chunkRows: number): Promise<IngestResult> {
  const total: IngestResult = { received: 0, inserted: 0, merged: 0, rejected: [], suppressed: 0, flagged: 0, open: 0 };
  let offset = 0;
  for (const doc of chunks(document, chunkRows)) {
    const r = await ingest.ingest(actor, huntId, JSON.stringify(doc), 'application/json');
    total.received += r.received;
    total.inserted += r.inserted;
    total.merged += r.merged;
    total.suppressed += r.suppressed;
    total.flagged += r.flagged;
    total.open += r.open;
    total.rejected.push(...r.rejected.map((x) => ({ index: x.index + offset, error: x.error })));
    offset += r.received;
  }
  return total;
}
