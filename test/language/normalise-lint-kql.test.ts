import { describe, it, expect } from 'vitest';
import { lintRule } from '../../src/language/index.js';
import { FIELD_CATALOG, normaliseRow } from '../../src/fields/index.js';
import { validateRule } from '../../src/rules/language.js';
import { check, kqlOf } from './support.js';
import { analyseKql } from '../../src/kusto/analyser.js';
import { SEED_FILTERS } from '../support/seed-filters.js';

const NET = 'DeviceNetworkEvents';

describe('normaliseRow: canonical fields from one raw row (SPEC §3)', () => {
  it('when a raw netconn row is normalised, then every mapped field has its canonical value', () => {
    const { fields, errors } = normaliseRow(NET, {
      TimeGenerated: '2026-11-20T10:00:00Z', DeviceId: 'd1', DeviceName: 'ws1', RemoteIP: '10.4.2.9', RemotePort: '443',
      RemoteUrl: 'https://user@rl.ammyy.com:8443/path?q', LocalIP: '', InitiatingProcessFileName: 'AA_v3.exe',
      InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'bob', ReportId: 77, Report: '["1","2"]',
    });
    expect(errors).toEqual([]);
    expect(fields).toEqual({
      '@timestamp': '2026-11-20T10:00:00.000Z', 'host.id': 'd1', 'host.name': 'ws1', 'process.name': 'AA_v3.exe',
      'user.name': 'CORP\\bob', 'destination.ip': '10.4.2.9', 'destination.port': 443, 'destination.domain': 'rl.ammyy.com',
      'event.ids': ['77', '1', '2'], 'event.hour': 10, 'event.weekday': 'Friday',
    });
  });

  const cases: [string, Record<string, unknown>, string, unknown][] = [
    ['an account without a domain', { InitiatingProcessAccountName: 'bob' }, 'user.name', 'bob'],
    ['a bare RemoteUrl host', { RemoteUrl: 'rl.ammyy.com' }, 'destination.domain', 'rl.ammyy.com'],
    ['a host:port RemoteUrl', { RemoteUrl: 'rl.ammyy.com:443' }, 'destination.domain', 'rl.ammyy.com'],
    ['an empty cell', { RemoteIP: '' }, 'destination.ip', undefined],
    ['a Report array', { Report: ['5', '6'] }, 'event.ids', ['5', '6']],
    ['an IPv6 address', { RemoteIP: '2001:db8::1' }, 'destination.ip', '2001:db8::1'],
  ];
  for (const [what, raw, field, value] of cases) {
    it(`when the row has ${what}, then ${field} is ${JSON.stringify(value)}`, () => {
      expect(normaliseRow(NET, raw).fields[field]).toEqual(value);
    });
  }

  const bad: [Record<string, unknown>, string][] = [
    [{ RemoteIP: '300.1.1.1' }, 'RemoteIP'], [{ Timestamp: 'yesterday' }, 'Timestamp'], [{ RemotePort: '44x' }, 'RemotePort'],
    [{ FirstSeen: 'not a date' }, 'FirstSeen'], [{ Count: 'many' }, 'Count'], [{ Report: '[broken' }, 'Report'],
  ];
  for (const [raw, column] of bad) {
    it(`when ${column} holds ${JSON.stringify(Object.values(raw)[0])}, then the row has an error naming ${column}`, () => {
      expect(normaliseRow(NET, raw).errors.map((e) => e.column)).toEqual([column]);
    });
  }

  it('when the table has no such column, then the field is simply absent', () => {
    expect(normaliseRow('DeviceFileCertificateInfo', { RemoteIP: '10.1.1.1', Signer: 'Ammyy LLC' }).fields)
      .toEqual({ 'file.code_signature.subject_name': 'Ammyy LLC' });
  });
});

describe('lint (SPEC §5)', () => {
  const SEEDS = SEED_FILTERS;
  it('when the seed filters are linted for DeviceNetworkEvents, then only the first warns, for holding on almost everything', () => {
    expect(SEEDS.map((s) => validateRule(s, [NET], null).warnings.map((w) => w.code))).toEqual([['only-negations'], [], [], [], []]);
  });

  const cases: [string, string[], string][] = [
    ['process.name == "x" and process.name != "x"', [NET], 'contradiction'],
    ['process.name == "x" or process.name != "x"', [NET], 'tautology'],
    ['process.name == "x"', ['DeviceFileCertificateInfo'], 'field-not-in-scope'],
    ['destination.ip in ("10.0.0.0/8")', ['DeviceProcessEvents'], 'field-not-in-scope'],
    ['destination.ip in ("10.1.2.3/8")', [NET], 'cidr-host-bits'],
    ['process.name in ("a", "A")', [NET], 'duplicate-value'],
    ['not process.name == "x"', [NET], 'only-negations'],
  ];
  for (const [expr, tables, code] of cases) {
    it(`when ${expr} is linted for ${tables.join(',')}, then it warns ${code} with a position`, () => {
      const w = lintRule(check(expr), tables, FIELD_CATALOG).find((x) => x.code === code);
      expect(w).toBeDefined();
      expect(w!.length).toBeGreaterThan(0);
    });
  }
  it('when a rule is scoped to both seed tables, then a field present in one of them does not warn', () => {
    expect(lintRule(check(SEEDS[4]), [NET, 'DeviceFileCertificateInfo'], FIELD_CATALOG)).toEqual([]);
  });
});

describe('KQL for the seed filters', () => {
  it('when the seed filters compile for DeviceNetworkEvents, then each analyses cleanly, except user.group which says why it cannot', () => {
    const SEEDS = SEED_FILTERS;
    for (const s of SEEDS) {
      const r = kqlOf(s, NET);
      if (s.includes('user.group')) { expect(r).toEqual({ notCompilable: expect.stringMatching(/group directory/) }); continue; }
      expect('kql' in r, s).toBe(true);
      expect(analyseKql(`${NET} | where not(${(r as { kql: string }).kql})`), s).toEqual([]);
    }
    const ip = kqlOf(SEEDS[3], NET) as { kql: string };
    expect(ip.kql).toContain('ipv4_is_in_range');
    const user = kqlOf('user.name == "Domain\\Administrator"', NET) as { kql: string };
    expect(user.kql).toContain('"Domain\\\\Administrator"');
  });

  it('when a field has no column in the table, then the rule is not compilable, with the reason', () => {
    expect(kqlOf('destination.ip == "10.0.0.1"', 'DeviceFileCertificateInfo'))
      .toEqual({ notCompilable: 'destination.ip is never present in DeviceFileCertificateInfo' });
  });
});
