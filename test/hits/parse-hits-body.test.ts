import { describe, it, expect } from 'vitest';
import { parseHitsBody, HitsFormatError, tableFromStreamingCategory } from '../../src/hits/body/parse-hits-body.js';

const good = (b: ReturnType<typeof parseHitsBody>) => b.rows.filter((r) => 'raw' in r) as { index: number; raw: Record<string, unknown>; table?: string }[];
const bad = (b: ReturnType<typeof parseHitsBody>) => b.rows.filter((r) => 'error' in r) as { index: number; error: string }[];

describe('hit bodies: every SPEC §3 shape', () => {
  const shapes: [string, string, string, string][] = [
    ['a JSON array of rows', 'application/json', '[{"DeviceId":"a"},{"DeviceId":"b"}]', 'json-rows'],
    ['Log Analytics tables', 'application/json; charset=utf-8', '{"tables":[{"name":"PrimaryResult","columns":[{"name":"DeviceId","type":"string"}],"rows":[["a"],["b"]]}]}', 'log-analytics'],
    ['Defender Schema/Results', 'application/json', '{"Schema":[{"Name":"DeviceId","Type":"String"}],"Results":[{"DeviceId":"a"},{"DeviceId":"b"}]}', 'defender-api'],
    ['Graph schema/results', 'application/json', '{"schema":[{"name":"DeviceId","type":"String"}],"results":[{"DeviceId":"a"},{"DeviceId":"b"}]}', 'graph'],
    ['upper-case RESULTS', 'application/json', '{"SCHEMA":[],"RESULTS":[{"DeviceId":"a"},{"DeviceId":"b"}]}', 'graph'],
    ['NDJSON with blank lines and CRLF', 'application/x-ndjson', '{"DeviceId":"a"}\r\n\r\n{"DeviceId":"b"}\r\n', 'ndjson'],
    ['CSV with a BOM and CRLF', 'text/csv', '\uFEFFDeviceId\r\na\r\nb\r\n', 'csv'],
    ['a body without a content type', '', '[{"DeviceId":"a"},{"DeviceId":"b"}]', 'json-rows'],
  ];
  for (const [what, type, body, format] of shapes) {
    it(`when the body is ${what}, then two rows are read as ${format}`, () => {
      const b = parseHitsBody(Buffer.from(body), type || undefined);
      expect(b.format).toBe(format);
      expect(good(b).map((r) => r.raw.DeviceId)).toEqual(['a', 'b']);
    });
  }

  it('when streaming records arrive, then the category names the table and an unknown category is a bad row', () => {
    const b = parseHitsBody(JSON.stringify({ records: [
      { category: 'AdvancedHunting-DeviceNetworkEvents', properties: { DeviceId: 'a' } },
      { category: 'SignInLogs', properties: { DeviceId: 'b' } },
      { category: 'AdvancedHunting-DeviceProcessEvents' },
    ] }), 'application/json');
    expect(good(b)).toEqual([{ index: 0, raw: { DeviceId: 'a' }, table: 'DeviceNetworkEvents' }]);
    expect(bad(b).map((r) => r.index)).toEqual([1, 2]);
    expect(tableFromStreamingCategory('AdvancedHunting-DeviceFileCertificateInfo')).toBe('DeviceFileCertificateInfo');
  });

  it('when a CSV has quoted commas, doubled quotes, a newline in a cell and a Report JSON array, then the cells are exact', () => {
    const b = parseHitsBody('DeviceName,Cmd,Report,TimeGenerated [UTC]\n"ws,1","say ""hi""\nthere","[""1"",""2""]",2026-11-20T10:00:00Z\n', 'text/csv');
    expect(good(b)[0]!.raw).toEqual({ DeviceName: 'ws,1', Cmd: 'say "hi"\nthere', Report: ['1', '2'], TimeGenerated: '2026-11-20T10:00:00Z' });
  });

  it('when some rows are malformed, then each is a bad row with its index and the others are read', () => {
    expect(bad(parseHitsBody('[{"a":1}, 42, null, {"a":2}]', 'application/json')).map((r) => r.index)).toEqual([1, 2]);
    expect(bad(parseHitsBody('{"a":1}\n[1]\nnot json\n{"a":2}', 'application/x-ndjson')).map((r) => r.index)).toEqual([1, 2]);
    expect(bad(parseHitsBody('a,b\n1,2\n3\n4,5', 'text/csv')).map((r) => r.index)).toEqual([1]);
    expect(bad(parseHitsBody('{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y","z"],"q"]}]}', 'application/json')).map((r) => r.index)).toEqual([1, 2]);
  });

  const unreadable: [string, string, string][] = [
    ['an empty body', 'application/json', '   '],
    ['broken JSON', 'application/json', '{"rows": ['],
    ['JSON of an unknown shape', 'application/json', '{"foo": 1}'],
    ['a bare JSON string', 'application/json', '"hello"'],
    ['CSV without a header', 'text/csv', '\r\n\r\n'],
    ['an unsupported type', 'application/xml', '<rows/>'],
  ];
  for (const [what, type, body] of unreadable) {
    it(`when the body is ${what}, then it throws HitsFormatError`, () => {
      expect(() => parseHitsBody(body, type)).toThrow(HitsFormatError);
    });
  }

  it('when a body has more rows than the limit, then it is refused naming the limit', () => {
    expect(() => parseHitsBody('[{},{},{}]', 'application/json', { maxRows: 2 })).toThrow(/limit is 2/);
    expect(parseHitsBody('[{},{}]', 'application/json', { maxRows: 2 }).rows).toHaveLength(2);
  });
});
