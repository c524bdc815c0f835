import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseHuntDocument, HuntImportError } from '../../src/hunts/document/parse-hunt-document.js';
import { deriveQueryShape, checkHuntQuery } from '../../src/hunts/shape/query-shape.js';

const RMM = 'test/fixtures/rmm-hunts';
const seed = (f: string) => readFileSync(`prisma/seeds/${f}`, 'utf8');
const dedent = (s: string) => s.split('\n').map((l) => l.trim()).join('\n').trim();

describe('hunt documents: the two seed pages, verbatim', () => {
  it('when the netconn page (indented YAML) is read, then every field, the query and the group keys are right, with no scenarios', () => {
    const text = seed('000_78db759ae67d431c.txt');
    const h = parseHuntDocument(text);
    expect(h).toMatchObject({ sourceId: '0e92144a-d108-45dd-abb4-b0200c8c8cd0', format: 'page',
      name: 'Remote Management and Monitoring tool - Ammyy - Network Connection',
      tactics: ['CommandAndControl'], techniques: ['T1219'], dataTypes: ['DeviceNetworkEvents'], scenarios: [] });
    expect(h.description).toMatch(/^Remote Monitoring and Management \(RMM\) programs.*\nhttps:\/\/github.com\/jischell-msft\/RemoteManagementMonitoringTools$/s);
    expect(h.sourceUrl).toBe('https://github.com/Azure/Azure-Sentinel/blob/main/Hunting Queries/Microsoft 365 Defender/RemoteManagementMonitoring/rmm_Ammyy_netconn.yaml');
    const block = text.split('KQL Query')[1]!.split('Analytic Rule Definition')[0]!;
    expect(dedent(h.query)).toBe(dedent(block));
    expect(deriveQueryShape(h.query)).toMatchObject({ table: 'DeviceNetworkEvents', groupKeys: ['DeviceId', 'DeviceName', 'RemoteUrl'] });
    expect(checkHuntQuery(h.query)).toEqual([]);
  });

  it('when the filesig page (flattened YAML) is read, then its fields come out field by field with five scenarios exactly as written', () => {
    const text = seed('001_363380a14f57d69c.txt');
    const h = parseHuntDocument(text);
    expect(h).toMatchObject({ sourceId: '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59', format: 'page',
      name: 'Remote Management and Monitoring tool - Ammyy - File Signature',
      tactics: ['CommandAndControl'], techniques: ['T1219'], dataTypes: ['DeviceFileCertificateInfo'] });
    expect(h.description).toContain('https://github.com/jischell-msft/RemoteManagementMonitoringTools');
    expect(h.query.startsWith('let Time_start = now(-5d);')).toBe(true);
    expect(h.query.endsWith('Count=count() by DeviceId, DeviceName')).toBe(true);
    expect(deriveQueryShape(h.query)).toMatchObject({ table: 'DeviceFileCertificateInfo', groupKeys: ['DeviceId', 'DeviceName'] });
    expect(checkHuntQuery(h.query)).toEqual([]);
    expect(h.scenarios).toEqual([
      { title: 'Legitimate use of Ammyy for remote desktop support by IT staff', filterText: 'process.name != "ammyy.exe" or process.parent.name != "ammyy.exe"' },
      { title: 'Scheduled maintenance tasks using Ammyy for system updates', filterText: 'process.name == "schtasks.exe" or process.parent.name == "schtasks.exe"' },
      { title: 'Admins using Ammyy to monitor and manage endpoint devices during routine audits', filterText: 'user.name == "Domain\\Administrator" or user.group == "Domain Admins"' },
      { title: 'Ammyy used for remote file transfers between servers in a secure internal network', filterText: 'destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")' },
      { title: 'Ammyy being used by a third-party service provider for managed services', filterText: 'process.name == "ammyy.exe" and process.parent.name == "msiexec.exe" (if the tool is deployed via MSI)' },
    ]);
  });
});

// An independent reading of the expected group keys: the words after the last " by " of the query block.
function expectedKeys(yaml: string): string[] {
  const q = yaml.replace(/\r/g, '').split(/^query: \|/m)[1]!;
  const tail = q.slice(q.lastIndexOf(' by ') + 4);
  return tail.split(',').map((s) => s.trim()).filter(Boolean);
}

describe('hunt documents: the 168 upstream RMM hunts', () => {
  const files = readdirSync(RMM).filter((f) => f.endsWith('.yaml')).sort();
  const parsed = files.map((f) => ({ f, text: readFileSync(`${RMM}/${f}`, 'utf8') }))
    .map(({ f, text }) => ({ f, text, hunt: parseHuntDocument(text) }));

  it('when each file is read, then it imports with the group keys its last by-clause names and its table', () => {
    expect(files).toHaveLength(168);
    for (const { f, text, hunt } of parsed) {
      const shape = deriveQueryShape(hunt.query);
      expect(shape.groupKeys, f).toEqual(expectedKeys(text));
      expect(['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'], f).toContain(shape.table);
      expect(hunt.dataTypes, f).toContain(shape.table);
      expect(hunt.format).toBe('sentinel-yaml');
    }
  });

  it('when each query is analysed, then exactly 62 have diagnostics, each explained by AccountUpn or a syntax error', () => {
    const withDiagnostics = parsed.map(({ f, hunt }) => ({ f, hunt, d: checkHuntQuery(hunt.query) })).filter((x) => x.d.length);
    expect(withDiagnostics).toHaveLength(62);
    const reasons = withDiagnostics.map(({ f, hunt, d }) => {
      if (d.some((x) => /AccountUpn/.test(x.message)) && deriveQueryShape(hunt.query).table === 'DeviceNetworkEvents') return 'AccountUpn';
      if (d.some((x) => x.severity === 'Error' && /expected|syntax|missing/i.test(x.message))) return 'syntax';
      return `unexplained: ${f} ${d[0]!.message}`;
    });
    expect(reasons.filter((r) => r.startsWith('unexplained'))).toEqual([]);
    expect(reasons.filter((r) => r === 'syntax').length).toBeGreaterThanOrEqual(1);
    const level = withDiagnostics.find((x) => x.f === 'rmm_Level_createproc.yaml');
    expect(level?.d[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it('when a generator template is imported, then it is refused and the placeholder is named', () => {
    for (const f of readdirSync(`${RMM}/templates`)) {
      expect(() => parseHuntDocument(readFileSync(`${RMM}/templates/${f}`, 'utf8'))).toThrow(/placeholders \(%%GUID%%\)/);
    }
  });
});

describe('hunt documents: bad input is a HuntImportError with a clear message', () => {
  const cases: [string, string, string | undefined, RegExp][] = [
    ['malformed YAML', 'id: x\nname: [unclosed\nquery: |\n  T', undefined, /not valid YAML/],
    ['YAML with no query', 'id: a\nname: b\n', undefined, /no query/],
    ['YAML with an empty query', 'id: a\nname: b\nquery: |\n\n', undefined, /empty/],
    ['JSON with no query', '{"id":"a","name":"b"}', undefined, /no query/],
    ['a JSON array', '[{"query":"T"}]', undefined, /not an array/],
    ['malformed JSON', '{"id": ', 'json', /not valid JSON/],
    ['an empty body', '   \n', undefined, /empty/],
    ['binary junk', '\u0000\u0001PK\u0003\u0004', undefined, /binary/],
    ['a YAML scalar', 'just words', undefined, /not a hunting query/],
  ];
  for (const [what, text, hint, message] of cases) {
    it(`when the document is ${what}, then it throws HuntImportError (${message})`, () => {
      let err: unknown;
      try { parseHuntDocument(text, hint as 'json' | undefined); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(HuntImportError);
      expect((err as Error).message).toMatch(message);
    });
  }
});

describe('query shape, read from Microsoft\'s analyser', () => {
  const cases: [string, string | null, string[]][] = [
    ['T | summarize count() by A, B', 'T', ['A', 'B']],
    ['let x = 1;\n// c\nDeviceProcessEvents\n| summarize by bin(Timestamp, 1h), N = tolower(DeviceName)', 'DeviceProcessEvents', ['Timestamp', 'N']],
    ['T | summarize by A | where A != "by x" | summarize count() by B // by C', 'T', ['B']],
    ['T | where x == "| summarize by Z"', 'T', []],
    ['union A, B | summarize by C', null, ['C']],
    // The let-bound source is its table; a key the final project drops is no key.
    ['let t = T | summarize by Q;\nt | project A', 'T', []],
  ];
  for (const [q, table, keys] of cases) {
    it(`when the query is ${JSON.stringify(q)}, then table ${table} and keys ${keys.join(',') || 'none'}`, () => {
      const s = deriveQueryShape(q);
      expect(s.table).toBe(table);
      expect(s.groupKeys).toEqual(keys);
      if (keys.length) expect(q.slice(s.summarize!.start, s.summarize!.start + 1)).toBe('|');
    });
  }
  it('when a by-expression has no name, then it gets the name Kusto gives it in the result', () => {
    expect(deriveQueryShape('DeviceProcessEvents | summarize by tolower(DeviceName), strcat(DeviceId, "x")').groupKeys)
      .toEqual(deriveQueryShape('DeviceProcessEvents | summarize by tolower(DeviceName), strcat(DeviceId, "x")').columns.map((c) => c.name));
  });
});
