import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Syntax } from '../../src/language/index.js';
import { parseIp, parseBlock } from '../../src/language/ip.js';
import { compileText, parse } from './support.js';

// A straightforward reference interpretation of the AST, written independently of the compiled evaluator:
// recursion, no precompilation, a linear scan over blocks.
type T = boolean | null;
function reference(e: Syntax, fields: Record<string, unknown>): T {
  switch (e.kind) {
    case 'and': { const a = reference(e.left, fields), b = reference(e.right, fields); return a === false || b === false ? false : a === null || b === null ? null : true; }
    case 'or': { const a = reference(e.left, fields), b = reference(e.right, fields); return a === true || b === true ? true : a === null || b === null ? null : false; }
    case 'not': { const a = reference(e.operand, fields); return a === null ? null : !a; }
    default: break;
  }
  const v = fields[e.field.name];
  const values = v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];
  if (e.kind === 'exists') return values.length > 0;
  if (!values.length) return null;
  const isIp = e.field.name === 'destination.ip';
  const eqOne = (x: unknown, lit: string) => {
    if (isIp) { const ip = parseIp(String(x)); const b = parseBlock(lit)!; return !!ip && ip.v === b.v && ip.n >= b.start && ip.n <= b.end; }
    if (e.field.name === 'destination.port') return Number(x) === Number(lit);
    return String(x).toLowerCase() === lit.toLowerCase();
  };
  if (e.op.name === 'in' || e.op.name === 'not in') { const any = values.some((x) => e.values.some((l) => eqOne(x, l.text))); return e.op.name === 'not in' ? !any : any; }
  const lit = e.values[0].text;
  const s = (x: unknown) => String(x).toLowerCase();
  switch (e.op.name) {
    case '==': return values.some((x) => eqOne(x, lit));
    case '!=': return !values.some((x) => eqOne(x, lit));
    case 'contains': return values.some((x) => s(x).includes(lit.toLowerCase()));
    case 'startswith': return values.some((x) => s(x).startsWith(lit.toLowerCase()));
    case 'endswith': return values.some((x) => s(x).endsWith(lit.toLowerCase()));
    case 'matches': return values.some((x) => new RegExp(lit, 'i').test(String(x)));
  }
}

const names = fc.constantFrom('ammyy.exe', 'AMMYY.exe', 'msiexec.exe', 'schtasks.exe', '');
const hitArb = fc.record({
  'process.name': fc.option(names, { nil: undefined }),
  'process.parent.name': fc.option(names, { nil: undefined }),
  'user.group': fc.option(fc.array(fc.constantFrom('Domain Admins', 'IT', 'domain admins'), { maxLength: 3 }), { nil: undefined }),
  'destination.ip': fc.option(fc.constantFrom('10.0.0.0', '10.255.255.255', '11.0.0.0', '::ffff:10.1.1.1', '2001:db8::9', '192.168.0.1'), { nil: undefined }),
  'destination.port': fc.option(fc.constantFrom(443, 80), { nil: undefined }),
}, { requiredKeys: [] });
const field = fc.constantFrom('process.name', 'process.parent.name', 'user.group');
const lit = fc.constantFrom('ammyy.exe', 'MSIEXEC.EXE', 'Domain Admins', 'it', 'amm', '.exe');
const leaf = fc.oneof(
  fc.tuple(field, fc.constantFrom('==', '!=', 'contains', 'startswith', 'endswith'), lit).map(([f, o, v]) => `${f} ${o} "${v}"`),
  fc.tuple(field, fc.boolean(), fc.array(lit, { minLength: 1, maxLength: 3 })).map(([f, n, vs]) => `${f} ${n ? 'not in' : 'in'} (${vs.map((v) => `"${v}"`).join(', ')})`),
  fc.tuple(field, fc.constantFrom('^amm', 'exe$', 'i.*a')).map(([f, r]) => `${f} matches "${r}"`),
  fc.tuple(fc.boolean(), fc.array(fc.constantFrom('10.0.0.0/8', '10.0.0.0', '2001:db8::/32', '0.0.0.0/0'), { minLength: 1, maxLength: 2 }))
    .map(([n, vs]) => `destination.ip ${n ? 'not in' : 'in'} (${vs.map((v) => `"${v}"`).join(', ')})`),
  fc.constantFrom('destination.port == 443', 'destination.port != 80', 'exists(process.name)', 'exists(user.group)'),
);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small' }, leaf,
    fc.tuple(tie('e') as fc.Arbitrary<string>, fc.constantFrom('and', 'or', 'AND', 'Or'), tie('e') as fc.Arbitrary<string>).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    (tie('e') as fc.Arbitrary<string>).map((a) => `not (${a})`)),
})).e;

describe('compiled evaluator against a reference interpretation', () => {
  it('when random expressions meet random hits, then the compiled predicate and the reference agree (true / false / unknown)', () => {
    fc.assert(fc.property(expr, fc.array(hitArb, { minLength: 1, maxLength: 6 }), (text, hits) => {
      const ast = parse(text);
      const compiled = compileText(text)!;
      for (const fields of hits) expect(compiled.test({ fields }), `${text} ${JSON.stringify(fields)}`).toBe(reference(ast, fields));
    }), { numRuns: 1000 });
  });
});

describe('the seed filters on hits that should and should not match', () => {
  const cases: [string, Record<string, unknown>, boolean | null][] = [
    ['process.name != "ammyy.exe" or process.parent.name != "ammyy.exe"', { 'process.name': 'ammyy.exe', 'process.parent.name': 'explorer.exe' }, true],
    ['process.name != "ammyy.exe" or process.parent.name != "ammyy.exe"', { 'process.name': 'AMMYY.EXE', 'process.parent.name': 'ammyy.exe' }, false],
    ['process.name == "schtasks.exe" or process.parent.name == "schtasks.exe"', { 'process.name': 'x.exe', 'process.parent.name': 'SchTasks.exe' }, true],
    ['process.name == "schtasks.exe" or process.parent.name == "schtasks.exe"', { 'process.name': 'x.exe', 'process.parent.name': 'cmd.exe' }, false],
    ['user.name == "Domain\\Administrator" or user.group == "Domain Admins"', { 'user.name': 'DOMAIN\\administrator' }, true],
    ['user.name == "Domain\\Administrator" or user.group == "Domain Admins"', { 'user.name': 'CORP\\bob', 'user.group': ['IT'] }, false],
    ['user.name == "Domain\\Administrator" or user.group == "Domain Admins"', { 'user.name': 'CORP\\bob' }, null],
    ['destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")', { 'destination.ip': '172.20.1.1' }, true],
    ['destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")', { 'destination.ip': '203.0.113.9' }, false],
    ['process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"', { 'process.name': 'ammyy.exe', 'process.parent.name': 'MSIEXEC.exe' }, true],
    ['process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"', { 'process.name': 'ammyy.exe', 'process.parent.name': 'explorer.exe' }, false],
    ['process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"', { 'host.name': 'summarised-row' }, null],
  ];
  for (const [f, fields, expected] of cases) {
    it(`when ${f} meets ${JSON.stringify(fields)}, then it is ${expected}`, () => {
      expect(compileText(f)!.test({ fields })).toBe(expected);
    });
  }
});
