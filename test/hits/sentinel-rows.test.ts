import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { hitIdentity } from '../../src/hits/hit-identity.js';
import { observe, rowTimes } from '../../src/hits/merge.js';
import { parseHitsBody, sentinelUtcDate } from '../../src/hits/body/parse-hits-body.js';
import { inferTable } from '../../src/fields/row-table.js';
import { normaliseRow } from '../../src/fields/normalise.js';
import { kqlColumnFor } from '../../src/fields/kql-columns.js';
import { CANONICAL_FIELDS } from '../../src/fields/catalog.js';
import { TABLE_FIELDS } from '../../src/fields/table-fields.js';
import { analyseKql, DEFENDER_TABLES } from '../../src/kusto/analyser.js';

describe('group keys: an empty string is a value', () => {
  const cases: [string, Record<string, unknown>, string | null][] = [
    ['an empty string key', { DeviceId: 'd1', CommandLineParsed: '' }, '["d1",""]'],
    ['a null key (as Log Analytics writes it)', { DeviceId: 'd1', CommandLineParsed: null }, '["d1",""]'],
    ['a key the row does not carry', { DeviceId: 'd1' }, null],
  ];
  for (const [what, raw, key] of cases) {
    it(`when the row has ${what}, then ${key ? `the key is ${key}` : 'it is rejected naming the key'}`, () => {
      const id = hitIdentity(['DeviceId', 'CommandLineParsed'], raw);
      if (key) expect(id).toMatchObject({ key });
      else expect(id).toMatchObject({ error: expect.stringMatching(/missing group key CommandLineParsed/) });
    });
  }
});

describe('times come from the row itself', () => {
  const cases: [string, Record<string, unknown>, { first: string; last: string } | null][] = [
    ['FirstSeen/LastSeen', { FirstSeen: '2026-07-01T00:00:00Z', LastSeen: '2026-07-02T00:00:00Z', StartTime: '2020-01-01T00:00:00Z' },
      { first: '2026-07-01T00:00:00.000Z', last: '2026-07-02T00:00:00.000Z' }],
    ['StartTime/EndTime', { StartTime: '2026-07-01T01:00:00Z', EndTime: '2026-07-01T02:00:00Z' }, { first: '2026-07-01T01:00:00.000Z', last: '2026-07-01T02:00:00.000Z' }],
    ['min_/max_ aggregates', { min_Timestamp: '2026-07-03T00:00:00Z', max_Timestamp: '2026-07-04T00:00:00Z' }, { first: '2026-07-03T00:00:00.000Z', last: '2026-07-04T00:00:00.000Z' }],
    ['only TimeGenerated', { TimeGenerated: '2026-07-05T00:00:00.1234567Z', Count: '5' }, { first: '2026-07-05T00:00:00.123Z', last: '2026-07-05T00:00:00.123Z' }],
    ['a renamed time column', { EventTime10MinInterval: '2026-07-06T00:10:00Z', Computer: 'h' }, { first: '2026-07-06T00:10:00.000Z', last: '2026-07-06T00:10:00.000Z' }],
    ['no time at all (a number is no date)', { Computer: 'h', Count: 5 }, null],
  ];
  for (const [what, raw, times] of cases) {
    it(`when the row has ${what}, then first/last seen are ${times ? `${times.first}..${times.last}` : 'absent'}`, () => {
      expect(rowTimes({}, raw)).toEqual(times);
    });
  }

  it('when a row has no time, then the ingest time stands in and the observation says so', () => {
    expect(observe({}, { Computer: 'h' }, '2026-01-01T00:00:00.000Z')).toMatchObject({ firstSeen: '2026-01-01T00:00:00.000Z', timeless: true });
  });
});

describe('Sentinel CSV dates labelled [UTC] are UTC whatever the server\'s zone', () => {
  const cases: [string, string | null][] = [
    ['7/18/2026, 1:58:42.666 PM', '2026-07-18T13:58:42.666Z'],
    ['7/18/2026, 12:05:00.000 AM', '2026-07-18T00:05:00.000Z'],
    ['12/31/2026, 11:59:59.9999999 PM', '2026-12-31T23:59:59.999Z'],
    ['2/30/2026, 1:00:00 PM', null],
    ['not a date', null],
  ];
  for (const [cell, iso] of cases) {
    it(`when the cell is ${JSON.stringify(cell)}, then it reads as ${iso}`, () => expect(sentinelUtcDate(cell)).toBe(iso));
  }

  it('when the CSV is read in a New York process, then the [UTC] column is the same instant', () => {
    const script = `import { parseHitsBody } from './src/hits/body/parse-hits-body.ts';
      const b = parseHitsBody('TimeGenerated [UTC],Computer\\n"7/18/2026, 1:58:42.666 PM",h\\n', 'text/csv');
      console.log(JSON.stringify([b.rows[0].raw, new Date(2026, 6, 18).getTimezoneOffset()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: 'America/New_York' } });
    expect(JSON.parse(String(out))).toEqual([{ TimeGenerated: '2026-07-18T13:58:42.666Z', Computer: 'h' }, 240]);
  });
});

describe('Defender "stream to storage" lines are read as streaming records', () => {
  it('when an NDJSON line is a streaming envelope, then the row is its properties from the category\'s table', () => {
    const line = JSON.stringify({ time: '2026-07-18T10:00:00Z', tenantId: 't', operationName: 'Publish', category: 'AdvancedHunting-DeviceFileEvents',
      properties: { Timestamp: '2026-07-18T10:00:00Z', DeviceId: 'd', FileName: 'a.exe' } });
    const batch = parseHitsBody(`${line}\n{"DeviceId":"x"}\n`, 'application/x-ndjson');
    expect(batch.rows).toEqual([
      { index: 0, raw: { Timestamp: '2026-07-18T10:00:00Z', DeviceId: 'd', FileName: 'a.exe' }, table: 'DeviceFileEvents' },
      { index: 1, raw: { DeviceId: 'x' } },
    ]);
  });
});

describe('canonical fields beyond the three tables', () => {
  it('when every table mapping is checked, then each column it reads exists in that table', () => {
    for (const [table, mapping] of Object.entries(TABLE_FIELDS)) {
      const columns = new Set((DEFENDER_TABLES[table] ?? []).map((c) => c.name));
      expect(columns.size, table).toBeGreaterThan(0);
      for (const [field, src] of Object.entries(mapping)) {
        const used = 'column' in src ? [src.column] : 'ip' in src ? [src.ip] : 'baseName' in src ? [src.baseName] : 'urlHost' in src ? [src.urlHost]
          : 'user' in src ? [src.user.domain, src.user.name] : [];
        for (const c of used) expect(columns.has(c), `${table} ${field} ${c}`).toBe(true);
      }
    }
  });

  const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['SecurityEvent', { TimeGenerated: '2026-07-18T10:00:00Z', Computer: 'dc1', Account: 'CORP\\bob', Process: 'cmd.exe',
      ParentProcessName: 'C:\\Windows\\explorer.exe', IpAddress: '-' },
    { '@timestamp': '2026-07-18T10:00:00.000Z', 'host.name': 'dc1', 'user.name': 'CORP\\bob', 'process.name': 'cmd.exe', 'process.parent.name': 'explorer.exe' }],
    ['OfficeActivity', { TimeGenerated: '2026-07-18T10:00:00Z', UserId: 'a@b.c', ClientIP: '20.1.2.3:443' },
      { 'user.name': 'a@b.c', 'source.ip': '20.1.2.3' }],
    ['DeviceFileEvents', { DeviceName: 'ws', InitiatingProcessFileName: 'w3wp.exe', FileName: 'x.aspx', FolderPath: 'C:\\inetpub\\x.aspx' },
      { 'host.name': 'ws', 'process.name': 'w3wp.exe', 'file.name': 'x.aspx', 'file.path': 'C:\\inetpub\\x.aspx' }],
  ];
  for (const [table, raw, fields] of rows) {
    it(`when a ${table} row is normalised, then it has its ECS fields and no errors`, () => {
      const r = normaliseRow(table, raw);
      expect(r.errors).toEqual([]);
      expect(r.fields).toMatchObject(fields);
      if (table === 'SecurityEvent') expect(r.fields).not.toHaveProperty('source.ip');
    });
  }

  it('when every canonical field of every new table is compiled to KQL, then the analyser finds nothing wrong', () => {
    for (const table of Object.keys(TABLE_FIELDS)) {
      for (const f of CANONICAL_FIELDS.filter((x) => table in x.sources)) {
        const col = kqlColumnFor({ kind: 'canonical', name: f.name, type: f.type }, table);
        if ('notCompilable' in col) continue;
        expect(analyseKql(`${table} | where ${col.present} | extend v = ${col.expr}`), `${table} ${f.name}`).toEqual([]);
      }
    }
  });

  it('when a union hunt\'s row carries columns of one of its tables, then that table is inferred even if another known table has them too', () => {
    const raw = { FileName: 'a.exe', FolderPath: 'C:\\a.exe', InitiatingProcessFileName: 'cmd.exe' };
    expect(inferTable(raw)).toBeNull();
    expect(inferTable({ RegistryKey: 'HKLM\\X', InitiatingProcessFileName: 'reg.exe' }, ['DeviceRegistryEvents', 'DeviceFileEvents'])).toBe('DeviceRegistryEvents');
    expect(inferTable(raw, ['DeviceRegistryEvents', 'DeviceFileEvents'])).toBe('DeviceFileEvents');
  });
});
