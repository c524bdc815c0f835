import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { parseHitsBody, HitsFormatError } from '../../src/hits/body/parse-hits-body.js';
import request from 'supertest';
import { readHitsStream, BodyTooLargeError } from '../../src/hits/body/read-hits-stream.js';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
}

describe('streaming hit bodies', () => {
  it('when NDJSON lines and CSV quoted newlines fall across chunk boundaries, then every row is read whole', async () => {
    const nd = '\uFEFF{"DeviceId":"a","Note":"x"}\n{"DeviceId":"b"}\r\nnot json\n{"DeviceId":"c"}';
    for (const size of [1, 3, 7, 1000]) {
      const b = await readHitsStream(chunks(nd, size), 'application/x-ndjson', { maxBytes: 1e6 });
      expect(b.rows.map((r) => ('raw' in r ? r.raw.DeviceId : 'bad'))).toEqual(['a', 'b', 'bad', 'c']);
    }
    const csv = 'DeviceId,Note\r\na,"line one\r\nline two, with comma"\r\nb,plain\r\n';
    for (const size of [1, 5, 1000]) {
      const b = await readHitsStream(chunks(csv, size), 'text/csv', { maxBytes: 1e6 });
      expect(b.rows).toEqual([{ index: 0, raw: { DeviceId: 'a', Note: 'line one\r\nline two, with comma' } }, { index: 1, raw: { DeviceId: 'b', Note: 'plain' } }]);
    }
  });

  it('when a JSON array of rows arrives in arbitrary chunks, then the rows equal those of parsing it whole', async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
    const element = fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.string(), value, { maxKeys: 4 }) }, { weight: 1, arbitrary: value });
    await fc.assert(fc.asyncProperty(fc.array(element, { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (rows, size, pretty) => {
      const text = JSON.stringify(rows, null, pretty ? 2 : undefined);
      const streamed = await readHitsStream(chunks(text, size), 'application/json', { maxBytes: 1e7 });
      expect(streamed).toEqual(parseHitsBody(text, 'application/json'));
    }), { numRuns: 300 });
  });

  it('when strings hold escapes, quotes, brackets and commas and a chunk ends on a backslash, then every row is read whole', async () => {
    // The splitter skips string contents with indexOf: an escape split across chunks must not end the string.
    const rows = [{ p: 'C:\\Windows\\System32\\', q: 'say "hi", [x] {y}' }, { p: '\\', q: '\\"' }, { u: 'é/\n', n: 1 }];
    const text = JSON.stringify(rows).replace('"u":"é/\\n"', '"u":"\\u00e9\\/\\n"');
    for (const size of [1, 2, 3, 5, 8, 13, 1000]) {
      const b = await readHitsStream(chunks(text, size), 'application/json', { maxBytes: 1e6 });
      expect(b.rows).toEqual(parseHitsBody(text, 'application/json').rows);
      expect(b.rows).toHaveLength(3);
    }
  });

  it('when a multi-byte character falls across two chunks of NDJSON or a JSON array, then it is read whole', async () => {
    const rows = [{ DeviceName: 'poste-é-中-😀', n: 1 }, { DeviceName: 'ü', n: 2 }];
    async function* byteChunks(b: Buffer, size: number) { for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size); }
    for (const [text, type] of [[rows.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson'], [JSON.stringify(rows), 'application/json']] as const) {
      for (const size of [1, 2, 3, 5]) {
        const b = await readHitsStream(byteChunks(Buffer.from(text), size), type, { maxBytes: 1e6 });
        expect(b.rows.map((r) => ('raw' in r ? r.raw : r))).toEqual(rows);
      }
    }
  });

  const malformed = ['[{"a":1},]', '[{"a":1}', '[{"a":1}] x', '[{"a": tru}]', '[,{"a":1}]', '["unclosed]'];
  for (const text of malformed) {
    it(`when the JSON array ${JSON.stringify(text)} is malformed, then the whole body is refused`, async () => {
      await expect(readHitsStream(chunks(text, 3), 'application/json', { maxBytes: 1e6 })).rejects.toBeInstanceOf(HitsFormatError);
    });
  }

  it('when a stream passes the byte limit, then reading stops with BodyTooLargeError', async () => {
    await expect(readHitsStream(chunks('{"a":1}\n'.repeat(100), 10), 'application/x-ndjson', { maxBytes: 100 })).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});

describe('ingest limit over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ env: { INGEST_LIMIT: '2kb' } }); });
  afterAll(async () => { await t.close(); });

  it('when an ingest body is larger than INGEST_LIMIT, then it is a 413 and nothing is written', async () => {
    const before = await snapshotDatabase(t.services);
    const body = Array.from({ length: 40 }, () => JSON.stringify(summaryRow())).join('\n');
    const res = await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).set('Content-Type', 'application/x-ndjson').send(body);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    const small = await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([summaryRow()]);
    expect(small.body.inserted).toBe(1);
  });

  it('when a streamed CSV breaks mid-body (a bad quote after invalid UTF-8), then it is a 400 at once, not a hung request or a crash', async () => {
    const before = await snapshotDatabase(t.services);
    const body = Buffer.concat([Buffer.from(',  \r\n""'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(',""')]);
    const res = await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).set('Content-Type', 'text/csv').timeout(5_000).send(body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/the CSV cannot be read: Invalid Closing Quote/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });
});

