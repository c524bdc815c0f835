import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseRule, printRule, RuleError, LIMITS, splitTrailingRemark } from '../../src/language/index.js';
import { FIELD_CATALOG } from '../../src/fields/index.js';
import { validateRule } from '../../src/rules/language.js';
import { parse } from './support.js';
import { SEED_FILTERS } from '../support/seed-filters.js';

const SEEDS = SEED_FILTERS;

function errorOf(text: string): RuleError {
  const p = parseRule(text);
  if (p.ok) throw new Error(`expected ${text} to fail`);
  return p.errors[0];
}

describe('parser', () => {
  it('when the seed filter lines are parsed verbatim, then they parse and check without errors', () => {
    for (const s of SEEDS) expect(validateRule(s, [], null).errors, s).toEqual([]);
  });

  it('when the fifth seed line carries its prose remark, then the remark is split off and the rest parses', () => {
    expect(splitTrailingRemark(`${SEEDS[4]} (if the tool is deployed via MSI)`, FIELD_CATALOG)).toEqual({ expression: SEEDS[4], remark: 'if the tool is deployed via MSI' });
    expect(splitTrailingRemark(SEEDS[3], FIELD_CATALOG)).toEqual({ expression: SEEDS[3] });
    expect(splitTrailingRemark('a == "x" and (b == "y")', FIELD_CATALOG)).toEqual({ expression: 'a == "x" and (b == "y")' });
  });

  it('when the seed user filter is read, then "Domain\\Administrator" keeps its single backslash', () => {
    const e = parse(SEEDS[2]);
    expect(e.kind === 'or' && e.left.kind === 'compare' && e.left.values[0].text).toBe('Domain\\Administrator');
  });

  const precedence: [string, string][] = [
    ['a == "1" or b == "2" and c == "3"', 'a == "1" or b == "2" and c == "3"'],
    ['(a == "1" or b == "2") and c == "3"', '(a == "1" or b == "2") and c == "3"'],
    ['not a == "1" and b == "2"', 'not a == "1" and b == "2"'],
    ['NOT (a == "1" AND b == "2") Or c == "3"', 'not (a == "1" and b == "2") or c == "3"'],
    ["a == 'x' or a NOT IN ('y', \"z\")", 'a == "x" or a not in ("y", "z")'],
    ['exists(process.name) and process.name contains "amm"', 'exists(process.name) and process.name contains "amm"'],
  ];
  for (const [input, printed] of precedence) {
    it(`when ${input} is parsed, then it prints as ${printed}`, () => {
      expect(printRule(parse(input))).toBe(printed);
    });
  }

  it('when the operators bind, then not > and > or', () => {
    const e = parse('a == "1" or not b == "2" and c == "3"');
    expect(e.kind).toBe('or');
    expect(e.kind === 'or' && e.right.kind).toBe('and');
    expect(e.kind === 'or' && e.right.kind === 'and' && e.right.left.kind).toBe('not');
  });

  const strings: [string, string][] = [
    ['a == "x\\"y"', 'x"y'], ["a == 'x\\'y'", "x'y"], ['a == "x\\\\y"', 'x\\y'], ['a == "C:\\Users\\bob"', 'C:\\Users\\bob'], ['a == "\\n"', '\\n'],
  ];
  for (const [src, value] of strings) {
    it(`when the string in ${src} is read, then its value is ${JSON.stringify(value)}`, () => {
      const e = parse(src);
      expect(e.kind === 'compare' && e.values[0].text).toBe(value);
    });
  }

  const errors: [string, string, number, number, RegExp][] = [
    ['process.name ==', 'expected-value', 15, 1, /expected a value after `==`/],
    ['process.name == "ammyy', 'unclosed-string', 16, 6, /unclosed string/],
    ['process.name = "x"', 'bad-operator', 13, 1, /use `==`/],
    ['(process.name == "x"', 'unclosed-paren', 20, 1, /expected `\)`/],
    ['process.name == "x")', 'unexpected-token', 19, 1, /without its `\(`/],
    ['process.name "x"', 'expected-operator', 13, 3, /expected an operator/],
    ['process.name in ("a" "b")', 'unclosed-list', 21, 3, /expected `,` or `\)`/],
    ['== "x"', 'expected-field', 0, 2, /expected a field name/],
    ['process.name == ammyy', 'expected-value', 16, 5, /quote text values/],
    ['a == "x" b == "y"', 'unexpected-token', 9, 1, /join conditions/],
    ['a == "x" $', 'unexpected-character', 9, 1, /unexpected character/],
  ];
  for (const [src, code, offset, length, message] of errors) {
    it(`when the expression is ${JSON.stringify(src)}, then the error is ${code} at ${offset}+${length}`, () => {
      const e = errorOf(src);
      expect({ code: e.code, offset: e.offset, length: e.length }).toEqual({ code, offset, length });
      expect(e.message).toMatch(message);
    });
  }

  it('when an expression is at the length limit it parses; one character more is too-long', () => {
    const base = 'a == "';
    const at = `${base}${'x'.repeat(LIMITS.maxLength - base.length - 1)}"`;
    expect(at.length).toBe(LIMITS.maxLength);
    expect(parseRule(at).ok).toBe(true);
    expect(errorOf(`${at} `).code).toBe('too-long');
  });

  it('when nesting is at the depth limit it parses; one level more is too-deep', () => {
    const nest = (n: number) => `${'('.repeat(n)}a == "x"${')'.repeat(n)}`;
    expect(parseRule(nest(LIMITS.maxDepth)).ok).toBe(true);
    expect(errorOf(nest(LIMITS.maxDepth + 1)).code).toBe('too-deep');
    expect(errorOf(`${'not '.repeat(LIMITS.maxDepth + 1)}a == "x"`).code).toBe('too-deep');
  });

  it('when a list is at the size limit it parses; one value more is list-too-long', () => {
    const list = (n: number) => `destination.port in (${Array.from({ length: n }, (_, i) => i).join(',')})`;
    expect(parseRule(list(LIMITS.maxListSize)).ok).toBe(true);
    expect(errorOf(list(LIMITS.maxListSize + 1)).code).toBe('list-too-long');
  });

  it('when the parser reads arbitrary text, then it either parses or returns its own RuleError with a position inside the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
      const p = parseRule(s);
      if (p.ok) return;
      const f = p.errors[0];
      expect(f).toBeInstanceOf(RuleError);
      expect(f.offset).toBeGreaterThanOrEqual(0);
      expect(f.offset).toBeLessThanOrEqual(s.length);
    }), { numRuns: 2000 });
  });
});
