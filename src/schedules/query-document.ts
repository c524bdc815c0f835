/**
 * What a query API returned, as the document POST /hunts/:id/hits reads: Log Analytics `{ tables: [...] }` (the
 * primary table only: it is the one the ingest reads) or Graph's `{ schema, results }` as it came.
 */
export type QueryDocument =
  | { kind: 'log-analytics'; doc: { tables: [{ name: string; columns: { name: string; type: string }[]; rows: unknown[][] }] } }
  | { kind: 'graph'; doc: Record<string, unknown>; resultsKey: string };

export interface SourceResult {
  document: QueryDocument;
  rows: number;
  truncated: boolean;
  truncationNote: string | null;
}

function rowsOf(d: QueryDocument): unknown[] {
  return d.kind === 'log-analytics' ? d.doc.tables[0].rows : (d.doc[d.resultsKey] as unknown[]);
}

/**
 * The document split into documents of at most `size` rows, each in the same shape. One chunk is the document
 * itself, untouched, so a small result is ingested exactly as POST /hits would take it.
 */
export function chunks(d: QueryDocument, size: number): unknown[] {
  const rows = rowsOf(d);
  if (rows.length <= size) return [d.doc];
  const out: unknown[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    out.push(d.kind === 'log-analytics'
      ? { tables: [{ ...d.doc.tables[0], rows: part }] }
      : { ...d.doc, [d.resultsKey]: part });
  }
  return out;
}
