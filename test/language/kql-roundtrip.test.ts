import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkRule, compileEvaluator, compileToKql, printRule } from '../../src/language/index.js';
import { FIELD_CATALOG, kqlColumnFor, normaliseRow } from '../../src/fields/index.js';
import { parse } from './support.js';
import { analyseKql } from '../../src/kusto/analyser.js';
import { compileKql, whereNot } from './kql-interpreter.js';

// Small pools so random rows and random rules meet often: equal values, case changes, absent and empty cells.
const NAMES = ['ammyy.exe', 'AMMYY.EXE', 'schtasks.exe', 'msiexec.exe', 'chrome.exe', 'ÉCOLE.exe', 'école.EXE', ''];
const IPS = ['10.1.2.3', '10.255.255.255', '11.0.0.0', '172.16.0.1', '192.168.1.1', '8.8.8.8', '::ffff:10.9.9.9', '2001:db8::1', '::1', ''];
const PORTS = [443, 80, 5931, null];
const URLS = ['rl.ammyy.com', 'https://rl.ammyy.com:443/x', 'example.org', ''];
const USERS = [['CORP', 'bob'], ['', 'Administrator'], ['Domain', 'Administrator'], ['', '']];
// Saturday 23:59:59, Sunday midnight, a Wednesday morning, an absent time: event.hour and event.weekday at their edges.
const TIMES = ['2026-11-21T23:59:59Z', '2026-11-22T00:00:00Z', '2026-11-25T08:30:00Z', ''];

const rawRow = fc.record({
  p: fc.constantFrom(...NAMES), pp: fc.constantFrom(...NAMES), ip: fc.constantFrom(...IPS), port: fc.constantFrom(...PORTS),
  url: fc.constantFrom(...URLS), user: fc.constantFrom(...USERS), host: fc.constantFrom('WS-1', 'ws-1', 'srv-2', ''),
  time: fc.constantFrom(...TIMES),
}).map((r) => {
  const row: Record<string, unknown> = {
    Timestamp: r.time, DeviceId: 'd1', DeviceName: r.host, InitiatingProcessFileName: r.p,
    InitiatingProcessParentFileName: r.pp, RemoteIP: r.ip, RemoteUrl: r.url, InitiatingProcessAccountDomain: r.user[0], InitiatingProcessAccountName: r.user[1],
  };
  if (r.port !== null) row.RemotePort = r.port;
  return row;
});

const strField = fc.constantFrom('process.name', 'process.parent.name', 'host.name', 'user.name', 'destination.domain', 'InitiatingProcessFileName');
const str = fc.constantFrom('ammyy.exe', 'Schtasks.exe', 'ws-1', 'Domain\\Administrator', 'administrator', 'rl.ammyy.com', 'ammyy', 'a"b', '');
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(strField, fc.constantFrom('==', '!=', 'contains', 'startswith', 'endswith'), str).map(([f, o, v]) => `${f} ${o} ${q(v)}`),
  fc.tuple(strField, fc.boolean(), fc.array(str, { minLength: 1, maxLength: 3 })).map(([f, n, vs]) => `${f} ${n ? 'not in' : 'in'} (${vs.map(q).join(', ')})`),
  fc.tuple(strField, fc.constantFrom('^ammyy', 'exe$', 'sch.*')).map(([f, re]) => `${f} matches ${q(re)}`),
  fc.tuple(fc.constantFrom('destination.ip', 'source.ip'), fc.boolean(), fc.array(fc.constantFrom('10.0.0.0/8', '172.16.0.0/12', '10.1.2.3', '2001:db8::/32', '::1', '0.0.0.0/0'), { minLength: 1, maxLength: 3 }))
    .map(([f, n, vs]) => `${f} ${n ? 'not in' : 'in'} (${vs.map(q).join(', ')})`),
  fc.tuple(fc.constantFrom('destination.port', 'RemotePort'), fc.constantFrom('==', '!='), fc.constantFrom(443, 80, 22)).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(fc.boolean(), fc.array(fc.constantFrom(0, 8, 23), { minLength: 1, maxLength: 3 })).map(([n, hs]) => `event.hour ${n ? 'not in' : 'in'} (${hs.join(', ')})`),
  fc.tuple(fc.constantFrom('==', '!='), fc.constantFrom('Saturday', 'sunday', 'Wednesday', 'Monday')).map(([o, d]) => `event.weekday ${o} ${q(d)}`),
  fc.constantFrom('process.name', 'destination.port', 'user.name', 'RemoteIP', 'event.hour').map((f) => `exists(${f})`),
);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e') as fc.Arbitrary<string>, fc.constantFrom('and', 'or'), tie('e') as fc.Arbitrary<string>).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    (tie('e') as fc.Arbitrary<string>).map((a) => `not (${a})`)),
})).e;

// The property tests skip a case that does not compile for the table; count the cases that really compared, so the
// tests cannot pass vacuously.
const MIN_COMPARED = 0.8;

describe('KQL compilation agrees with the evaluator (three-valued logic survives `| where not(…)`)', () => {
  it('when random rules meet random raw rows, then the compiled predicate is true exactly where Quell says true, and never null', () => {
    const runs = 400;
    let compared = 0;
    fc.assert(fc.property(expr, fc.array(rawRow, { minLength: 1, maxLength: 8 }), (text, rows) => {
      const checked = checkRule(text, FIELD_CATALOG);
      if (!checked.ok) throw new Error(`generator made an invalid rule: ${text}: ${checked.errors[0].message}`);
      const compiled = compileToKql(checked.rule, 'DeviceNetworkEvents', kqlColumnFor);
      if (!('kql' in compiled)) return;
      compared++;
      const predicate = compileKql(compiled.kql);
      const quell = compileEvaluator(checked.rule);
      for (const raw of rows) {
        const { fields } = normaliseRow('DeviceNetworkEvents', raw);
        const kqlValue = predicate(raw);
        expect(kqlValue, `${text}\n${compiled.kql}\n${JSON.stringify(raw)}`).not.toBeNull();
        expect(kqlValue, `${text}\n${compiled.kql}\n${JSON.stringify(raw)}`).toBe(quell.test({ fields, raw }) === true);
      }
      const kept = whereNot(compiled.kql, rows);
      expect(kept).toEqual(rows.filter((raw) => quell.test({ fields: normaliseRow('DeviceNetworkEvents', raw).fields, raw }) !== true));
    }), { numRuns: runs });
    expect(compared).toBeGreaterThanOrEqual(MIN_COMPARED * runs);
  });

  it('when random rules are compiled, then Microsoft\'s analyser finds no diagnostic in `DeviceNetworkEvents | where not(…)`', () => {
    const runs = 60;
    let compared = 0;
    fc.assert(fc.property(expr, (text) => {
      const checked = checkRule(text, FIELD_CATALOG);
      if (!checked.ok) return;
      const compiled = compileToKql(checked.rule, 'DeviceNetworkEvents', kqlColumnFor);
      if (!('kql' in compiled)) return;
      compared++;
      expect(analyseKql(`DeviceNetworkEvents | where not(${compiled.kql})`), compiled.kql).toEqual([]);
    }), { numRuns: runs });
    expect(compared).toBeGreaterThanOrEqual(MIN_COMPARED * runs);
  });

  it('when a random rule is printed and parsed again, then the tree is the same', () => {
    const strip = (e: unknown): unknown => JSON.parse(JSON.stringify(e, (k, v) => (k === 'range' ? undefined : v)));
    fc.assert(fc.property(expr, (text) => {
      const ast = parse(text);
      expect(strip(parse(printRule(ast)))).toEqual(strip(ast));
    }), { numRuns: 300 });
  });
});
