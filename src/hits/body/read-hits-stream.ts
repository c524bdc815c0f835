import { parse as parseCsvStream } from 'csv-parse';
import { JsonArraySplitter } from './json-array-stream.js';
import { parseHitsBody, HitsFormatError, csvRecordsToBatch, ndjsonLineToRow, type ParsedBatch, type ParsedRow } from './parse-hits-body.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) { super(`the body exceeds the ingest limit of ${limit} bytes`); }
}

async function* limited(chunks: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    total += b.length;
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
    yield b;
  }
}

/**
 * Reads a hit body as it arrives. NDJSON, CSV and JSON arrays of rows are parsed row by row from the stream, so a large
 * upload is never held as one buffer and one string besides its rows; other JSON documents (query-API results) are
 * collected up to the limit and parsed whole. Nothing is written until the whole body has been read, so a body that fails half-way writes nothing.
 */
export async function readHitsStream(chunks: AsyncIterable<Buffer | string>, contentType: string | undefined,
  opts: { maxRows?: number; maxBytes: number }): Promise<ParsedBatch> {
  const max = opts.maxRows ?? 1_000_000;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const body = limited(chunks, opts.maxBytes);
  if (type.includes('ndjson') || type.includes('jsonl') || type.includes('jsonlines')) {
    const rows: ParsedRow[] = [];
    let rest = '';
    const take = (line: string) => {
      if (!line.trim()) return;
      if (rows.length >= max) throw new HitsFormatError('too-many-rows', `the body has more than ${max} rows; the limit is ${max}`);
      rows.push(ndjsonLineToRow(line, rows.length));
    };
    let first = true;
    // A streaming decoder: a character whose UTF-8 bytes fall across two chunks is decoded whole, not as two U+FFFD.
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of body) {
      let text = rest + decoder.decode(chunk, { stream: true });
      if (first) { text = text.replace(/^\uFEFF/, ''); first = false; }
      const lines = text.split('\n');
      rest = lines.pop()!;
      lines.forEach(take);
    }
    take(rest + decoder.decode());
    if (!rows.length) throw new HitsFormatError('empty', 'the body has no rows');
    return { format: 'ndjson', rows };
  }
  if (type === 'text/csv' || type === 'application/csv') {
    const parser = parseCsvStream({ bom: true, relax_column_count: true, skip_empty_lines: true });
    const records: string[][] = [];
    const done = (async () => { for await (const r of parser) { records.push(r as string[]); if (records.length > max + 1) throw new HitsFormatError('too-many-rows', `the body has more than ${max} rows; the limit is ${max}`); } })();
    // The parser fails asynchronously (an 'error' ends its iterator): handled here at once, or a bad CSV would both
    // hang the request (no 'drain' ever comes) and reject a promise nobody awaits yet.
    done.catch(() => undefined);
    try {
      for await (const chunk of body) {
        if (parser.errored || parser.destroyed) break;
        if (!parser.write(chunk)) await Promise.race([new Promise((r) => parser.once('drain', r)), done]);
      }
      if (!parser.errored && !parser.destroyed) parser.end();
      await done;
    } catch (e) {
      parser.destroy();
      await done.catch(() => undefined);
      if (e instanceof HitsFormatError || e instanceof BodyTooLargeError) throw e;
      throw new HitsFormatError('malformed-csv', `the CSV cannot be read: ${(e as Error).message}`);
    }
    return csvRecordsToBatch(records, max);
  }
  // JSON: an array of rows streams element by element; any other document (query-API results) is read whole.
  const decoder = new TextDecoder('utf-8');
  let splitter: JsonArraySplitter | null = null;
  const parts: Buffer[] = [];
  let head = '';
  for await (const chunk of body) {
    if (splitter) { splitter.push(decoder.decode(chunk, { stream: true })); continue; }
    parts.push(chunk);
    head += chunk.toString('utf8', 0, Math.min(chunk.length, 64));
    const first = head.replace(/^\uFEFF/, '').trimStart()[0];
    if (first === '[' && (type === '' || type.includes('json'))) {
      splitter = new JsonArraySplitter(max);
      splitter.push(decoder.decode(Buffer.concat(parts), { stream: true }).replace(/^\uFEFF/, ''));
      parts.length = 0;
    } else if (first !== undefined) {
      // Not an array: collect the rest as it comes.
      for await (const rest of body) parts.push(rest);
      break;
    }
  }
  if (splitter) {
    splitter.push(decoder.decode());
    return { format: 'json-rows', rows: splitter.end() };
  }
  return parseHitsBody(parts.length === 1 ? parts[0]! : Buffer.concat(parts), contentType, { maxRows: max });
}
