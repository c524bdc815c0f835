import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { foldAscii, prepareHit, type Evaluator, type HitView } from '../../src/language/index.js';
import { MAX_GENERATED_LEAVES } from '../../src/language/codegen.js';
import { compileRule, prepareRuleHit } from '../../src/rules/language.js';
import { compileText } from './support.js';

// Three ways to test a hit — the closure tree (what explain() walks), the generated test on the hit as it is, and the
// generated test on the hit prepared lazily or up front — must always agree, on every kind of value a hit can hold.
const texts = fc.constantFrom('ammyy.exe', 'AMMYY.EXE', 'Ammyy.exe', 'msiexec.exe', 'ÉCOLE.exe', 'école.exe', 'k\u212aelvin', 'Domain Admins', 'it', '');
const anyValue = fc.oneof(
  texts,
  fc.constantFrom('10.0.0.1', '10.255.255.255', '11.0.0.0', '::ffff:10.1.2.3', '::FFFF:0a01:0203', '2001:db8::9', ' 10.0.0.1 ', 'fe80::1%eth0', '300.1.1.1', 'x'),
  fc.constantFrom(443, 80, 0, '443', ' 443 ', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z', true),
  fc.constantFrom(null, undefined, [], [''], [null, ''], { a: 1 }),
);
const listValue = fc.array(fc.oneof(texts, anyValue, fc.constant([] as unknown[]), fc.constant(['it'])), { maxLength: 4 });
const valueArb = fc.oneof(anyValue, listValue);
const hitArb: fc.Arbitrary<HitView> = fc.record({
  fields: fc.record({
    'process.name': valueArb, 'process.parent.name': valueArb, 'user.group': valueArb, 'event.ids': valueArb,
    'destination.ip': valueArb, 'destination.port': valueArb, '@timestamp': valueArb,
  }, { requiredKeys: [] }),
  raw: fc.record({ InitiatingProcessFileName: valueArb, TimeGenerated: valueArb, Timestamp: valueArb, RemotePort: valueArb }, { requiredKeys: [] }),
});

const textField = fc.constantFrom('process.name', 'process.parent.name', 'user.group', 'event.ids', 'InitiatingProcessFileName');
const lit = fc.constantFrom('ammyy.exe', 'AMMYY.EXE', 'école.exe', 'ÉCOLE.EXE', 'Domain Admins', 'it', 'amm', '.EXE', 'K', '\\"); throw 1; //');
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const leaf = fc.oneof(
  fc.tuple(textField, fc.constantFrom('==', '!=', 'contains', 'startswith', 'endswith'), lit).map(([f, o, v]) => `${f} ${o} ${q(v)}`),
  fc.tuple(textField, fc.boolean(), fc.array(lit, { minLength: 1, maxLength: 3 })).map(([f, n, vs]) => `${f} ${n ? 'not in' : 'in'} (${vs.map(q).join(', ')})`),
  fc.tuple(textField, fc.constantFrom('^amm', 'exe$', 'é', '\\\\d')).map(([f, r]) => `${f} matches ${q(r)}`),
  fc.tuple(fc.constantFrom('==', '!=', 'in', 'not in'), fc.array(fc.constantFrom('10.0.0.0/8', '10.0.0.1', '2001:db8::/32', '0.0.0.0/0', '::ffff:10.0.0.0/104'), { minLength: 1, maxLength: 3 }))
    .map(([o, vs]) => (o.includes('in') ? `destination.ip ${o} (${vs.map(q).join(', ')})` : `destination.ip ${o} ${q(vs[0])}`)),
  fc.constantFrom('destination.port == 443', 'destination.port in (80, 443)', 'RemotePort != 80', 'Timestamp == "2026-11-20T10:00:00Z"',
    '@timestamp != "2026-11-20T10:00:00Z"', 'destination.port contains "4"', 'destination.ip endswith ".1"'),
  fc.constantFrom('process.name', 'user.group', 'destination.ip', 'Timestamp', 'RemotePort').map((f) => `exists(${f})`),
);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small' }, leaf,
    fc.tuple(tie('e') as fc.Arbitrary<string>, fc.constantFrom('and', 'or'), tie('e') as fc.Arbitrary<string>).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    (tie('e') as fc.Arbitrary<string>).map((a) => `not (${a})`)),
})).e;

function compiled(text: string): Evaluator {
  const c = compileText(text);
  if (!c) throw new Error(`does not compile: ${text}`);
  return c;
}

/** Every path's result; they must be one value. */
function results(e: Evaluator, h: HitView): unknown[] {
  return [e.explain(h).result, e.test(h), e.test(prepareHit(h)), e.test(prepareHit(h, [e])), e.explain(prepareHit(h)).result];
}

describe('prepared hits and generated tests agree with the closure tree', () => {
  it('when random rules meet random hits, then the closure tree, the generated test and prepared hits give one result', () => {
    fc.assert(fc.property(expr, fc.array(hitArb, { minLength: 1, maxLength: 5 }), (text, hits) => {
      const e = compiled(text);
      for (const h of hits) {
        const r = results(e, h);
        expect(new Set(r).size, `${text} on ${JSON.stringify(h)}: ${JSON.stringify(r)}`).toBe(1);
      }
    }), { numRuns: 1500 });
  });

  it('when one prepared hit is tested by several rules, then each rule gets its own result', () => {
    fc.assert(fc.property(fc.array(expr, { minLength: 2, maxLength: 6 }), hitArb, (texts, h) => {
      const rules = texts.map(compiled);
      const lazy = prepareHit(h), eager = prepareHit(h, rules);
      for (const r of rules) {
        expect(r.test(lazy)).toBe(r.explain(h).result);
        expect(r.test(eager)).toBe(r.explain(h).result);
      }
    }), { numRuns: 300 });
  });

  it(`when a rule has more than ${MAX_GENERATED_LEAVES} clauses, then it keeps the closure tree and still agrees`, () => {
    const names = Array.from({ length: MAX_GENERATED_LEAVES + 1 }, (_, i) => `"p${i}.exe"`);
    const e = compiled(`${names.map((n) => `process.name == ${n}`).join(' or ')} or destination.ip in ("10.0.0.0/8")`);
    for (const h of [{ fields: { 'process.name': 'P256.EXE' } }, { fields: { 'process.name': 'x' } }, { fields: { 'destination.ip': '::ffff:10.0.0.1' } }, { fields: {} }]) {
      expect(new Set(results(e, h)).size).toBe(1);
    }
    expect(e.test(prepareHit({ fields: { 'process.name': 'P256.EXE' } }))).toBe(true);
  });

  it('when a literal looks like code, then it is compared as text', () => {
    const e = compiled('process.name == "\\"); throw new Error(1); //" or process.name == "x"');
    expect(e.test({ fields: { 'process.name': '"); THROW NEW ERROR(1); //' } })).toBe(true);
    expect(e.test(prepareHit({ fields: { 'process.name': 'y' } }))).toBe(false);
  });

  it('when hits are prepared and tested, then neither the hit nor its lists are changed', () => {
    const fields = Object.freeze({ 'process.name': 'AMMYY.exe', 'user.group': Object.freeze(['', 'IT', 'Domain Admins']), 'destination.ip': '::ffff:10.1.2.3' });
    const raw = Object.freeze({ RemotePort: 443 });
    const before = JSON.stringify({ fields, raw });
    const e = compiled('user.group == "it" and destination.ip in ("10.0.0.0/8") and RemotePort == 443 and process.name startswith "AMM"');
    expect(e.test(prepareHit({ fields, raw }, [e]))).toBe(true);
    expect(JSON.stringify({ fields, raw })).toBe(before);
  });
});

describe('the rules feature takes prepared hits', () => {
  it('when the seed rules hold or not for a hit, then they say the same of the hit prepared for them', () => {
    const rules = ['process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"', 'destination.ip in ("10.0.0.0/8")', 'user.group == "Domain Admins"']
      .map((t) => compileRule(t)!);
    const h = { fields: { 'process.name': 'AMMYY.EXE', 'process.parent.name': 'MsiExec.exe', 'destination.ip': '192.168.1.1' }, raw: {} };
    const p = prepareRuleHit(h, rules);
    expect(rules.map((r) => r.holds(p))).toEqual(rules.map((r) => r.holds(h)));
    expect(rules.map((r) => r.holds(p))).toEqual([true, false, false]);
    expect(rules[0].explain(p)).toEqual(rules[0].explain(h));
  });
});

describe('foldAscii', () => {
  const ascii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  it('when any text is folded, then exactly the ASCII letters A–Z are lower-cased, wherever other letters stand', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('A', 'z', 'É', 'é', 'İ', '\u212a', 'ß', '1', ' ', 'Ω', '\u{1F600}') }), (s) => {
      expect(foldAscii(s)).toBe(ascii(s));
    }), { numRuns: 2000 });
    expect(foldAscii('ÉA')).toBe('Éa');
    expect(foldAscii('abc')).toBe('abc');
  });
});
