import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { HitView } from '../../src/language/index.js';
import { compileText } from './support.js';

const hit = (fields: Record<string, unknown>, raw: Record<string, unknown> = {}): HitView => ({ fields, raw });
const run = (expr: string, h: HitView) => {
  const c = compileText(expr);
  if (!c) throw new Error(`does not compile: ${expr}`);
  return c.test(h);
};

const BASE = { 'process.name': 'AMMYY.exe', 'user.group': ['Domain Admins', 'IT'], 'destination.ip': '10.4.2.9', 'destination.port': 443 };

const table: [string, Record<string, unknown>, boolean | null][] = [
  ['process.name == "ammyy.exe"', BASE, true],
  ['process.name == "AMMYY.EXE"', BASE, true],
  ['process.name != "ammyy.exe"', BASE, false],
  ['process.name != "chrome.exe"', BASE, true],
  ['process.name == "ammyy.exe"', {}, null],
  ['process.name != "ammyy.exe"', {}, null],
  ['process.name == "ammyy.exe"', { 'process.name': '' }, null],
  ['process.name in ("x.exe", "Ammyy.Exe")', BASE, true],
  ['process.name not in ("x.exe", "Ammyy.Exe")', BASE, false],
  ['process.name not in ("x.exe")', BASE, true],
  ['process.name not in ("x.exe")', {}, null],
  ['process.name contains "MMY"', BASE, true],
  ['process.name startswith "ammyy"', BASE, true],
  ['process.name endswith ".EXE"', BASE, true],
  ['process.name endswith ".dll"', BASE, false],
  ['process.name matches "^a+m{2}y+\\\\.exe$"', BASE, true],
  ['process.name matches "^chrome"', BASE, false],
  ['process.name contains "x"', {}, null],
  ['exists(process.name)', BASE, true],
  ['exists(process.name)', {}, false],
  ['not exists(process.name)', {}, true],
  ['user.group == "domain admins"', BASE, true],
  ['user.group == "Finance"', BASE, false],
  ['user.group != "IT"', BASE, false],
  ['user.group != "Finance"', BASE, true],
  ['user.group in ("Finance", "it")', BASE, true],
  ['user.group not in ("Finance", "it")', BASE, false],
  ['user.group == "IT"', { 'user.group': [] }, null],
  ['destination.port == 443', BASE, true],
  ['destination.port != 443', BASE, false],
  ['destination.port in (80, 8080)', BASE, false],
  ['destination.port == 443', {}, null],
  // IPv4 block boundaries: first, last, one past either end.
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '10.0.0.0' }, true],
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '10.255.255.255' }, true],
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '11.0.0.0' }, false],
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '9.255.255.255' }, false],
  ['destination.ip in ("172.16.0.0/12")', { 'destination.ip': '172.31.255.255' }, true],
  ['destination.ip in ("172.16.0.0/12")', { 'destination.ip': '172.32.0.0' }, false],
  ['destination.ip == "10.4.2.9"', BASE, true],
  ['destination.ip == "10.4.2.10"', BASE, false],
  ['destination.ip == "0.0.0.0/0"', BASE, true],
  ['destination.ip != "10.0.0.0/8"', BASE, false],
  ['destination.ip not in ("192.168.0.0/16")', BASE, true],
  // IPv4-mapped IPv6 addresses match IPv4 blocks.
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '::ffff:10.1.2.3' }, true],
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '::FFFF:0a01:0203' }, true],
  ['destination.ip in ("::ffff:10.0.0.0/104")', { 'destination.ip': '10.9.9.9' }, true],
  // IPv6 block boundaries.
  ['destination.ip in ("2001:db8::/32")', { 'destination.ip': '2001:db8::' }, true],
  ['destination.ip in ("2001:db8::/32")', { 'destination.ip': '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' }, true],
  ['destination.ip in ("2001:db8::/32")', { 'destination.ip': '2001:db9::' }, false],
  ['destination.ip in ("2001:db8::/32")', { 'destination.ip': '10.0.0.1' }, false],
  ['destination.ip in ("10.0.0.0/8")', { 'destination.ip': '2001:db8::1' }, false],
  ['destination.ip in ("10.0.0.0/8")', {}, null],
];

describe('evaluator: operators × types × present / missing / multi-valued', () => {
  for (const [expr, fields, expected] of table) {
    it(`when ${expr} meets ${JSON.stringify(fields)}, then it is ${expected}`, () => {
      expect(run(expr, hit(fields))).toBe(expected);
    });
  }

  const logic: [string, boolean | null][] = [
    ['process.name == "ammyy.exe" and missing.x == "y"', null],
    ['process.name == "chrome.exe" and host.name == "y"', false],
    ['process.name == "ammyy.exe" or host.name == "y"', true],
    ['process.name == "chrome.exe" or host.name == "y"', null],
    ['not host.name == "y"', null],
    ['not (process.name == "chrome.exe")', true],
    ['process.name != "ammyy.exe" or process.parent.name != "ammyy.exe"', null],
  ];
  for (const [expr, expected] of logic) {
    it(`when three-valued logic meets ${expr}, then it is ${expected}`, () => {
      const text = expr.replace('missing.x', 'host.name');
      expect(run(text, hit({ 'process.name': 'ammyy.exe' }))).toBe(expected);
    });
  }

  it('when a rule names a raw Defender column, then the raw row is read (TimeGenerated standing in for Timestamp)', () => {
    expect(run('InitiatingProcessFileName == "ammyy.exe"', hit({}, { InitiatingProcessFileName: 'Ammyy.exe' }))).toBe(true);
    expect(run('RemotePort == 5931', hit({}, { RemotePort: 5931 }))).toBe(true);
    expect(run('Timestamp == "2026-11-20T10:00:00Z"', hit({}, { TimeGenerated: '2026-11-20T10:00:00.000Z' }))).toBe(true);
    expect(run('InitiatingProcessFileName == "x"', hit({}, { InitiatingProcessFileName: '' }))).toBeNull();
  });

  it('when a hit is evaluated and explained, then the hit is not changed', () => {
    const fields = Object.freeze({ ...BASE, 'user.group': Object.freeze(['IT']) });
    const raw = Object.freeze({ RemoteIP: '10.4.2.9' });
    const before = JSON.stringify({ fields, raw });
    const c = compileText('destination.ip in ("10.0.0.0/8") and user.group != "x" and not exists(host.name)')!;
    c.test({ fields, raw });
    c.explain({ fields, raw });
    expect(JSON.stringify({ fields, raw })).toBe(before);
  });

  it('when a rule holds, then the explanation names the value and the clause that matched', () => {
    const c = compileText('destination.ip in ("192.168.0.0/16", "10.0.0.0/8") and process.name == "ammyy.exe" and host.name == "x"')!;
    const { result, clauses } = c.explain(hit(BASE));
    expect(result).toBeNull();
    expect(clauses).toEqual(['destination.ip 10.4.2.9 in 10.0.0.0/8', 'process.name "AMMYY.exe" == "ammyy.exe"', 'host.name missing: host.name == … is unknown']);
  });

  it('when a 10,000-block CIDR list is checked, then it agrees with a block-by-block scan', () => {
    const blocks = Array.from({ length: 10_000 }, (_, i) => `${10 + (i >> 8)}.${i & 255}.${(i * 7) & 255}.0/24`);
    const c = compileText(`destination.ip in (${blocks.map((b) => `"${b}"`).join(', ')})`)!;
    const inBlock = (ip: string, b: string) => ip.split('.').slice(0, 3).join('.') === b.split('.').slice(0, 3).join('.');
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 8, max: 60 }), fc.nat(255), fc.nat(255), fc.nat(255)), ([a, b, c2, d]) => {
      const ip = `${a}.${b}.${c2}.${d}`;
      expect(c.test(hit({ 'destination.ip': ip }))).toBe(blocks.some((bl) => inBlock(ip, bl)));
    }), { numRuns: 300 });
  });
});

describe('case folding: the allocation-free comparison agrees with toLowerCase', () => {
  // Letters whose lower case is another length (İ → i̇), is not ASCII (K Kelvin sign → k), or is context-dependent (Σ).
  const chars = fc.constantFrom('a', 'A', 'i', 'I', 'k', 'K', '\u0130', 'i\u0307', '\u212a', 'ß', 'Σ', 'σ', 'ς', 'É', 'é', '.', '\\', ' ');
  const text = fc.array(chars, { maxLength: 6 }).map((xs) => xs.join(''));
  // Kusto's =~ and in~ fold ASCII letters only: the Kelvin sign is not k, İ is not i, É is not é.
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  it('when random values meet random literals under == and in, then the result is ASCII-folded equality, as Kusto\'s =~', () => {
    fc.assert(fc.property(text, text, text, (lit, other, value) => {
      const eq = compileText(`process.name == ${JSON.stringify(lit)}`);
      const list = compileText(`process.name in (${JSON.stringify(lit)}, ${JSON.stringify(other)})`);
      if (!eq || !list || value === '') return;
      const h = hit({ 'process.name': value });
      expect(eq.test(h), `${value} == ${lit}`).toBe(fold(value) === fold(lit));
      expect(list.test(h)).toBe(fold(value) === fold(lit) || fold(value) === fold(other));
    }), { numRuns: 2000 });
  });
});

describe('case folding matches Kusto (ASCII only)', () => {
  it.each([
    ['process.name == "EXPLORER.EXE"', 'explorer.exe', true],
    ['process.name == "ÉCOLE.EXE"', 'école.exe', false],
    ['process.name == "ÉCOLE.EXE"', 'École.exe', true],
    ['process.name in ("WS-Ä")', 'ws-Ä', true],
    ['process.name in ("WS-Ä")', 'ws-ä', false],
    ['process.name contains "KELVIN"', 'k\u212aelvin', false],
    ['process.name startswith "ÉC"', 'éc', false],
  ])('when %s meets %s, then it holds: %s', (expr, value, expected) => {
    expect(compileText(expr)?.test(hit({ 'process.name': value }))).toBe(expected);
  });
});

