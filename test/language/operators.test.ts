import { describe, it, expect } from 'vitest';
import { OPERATORS, OPERATOR_BY_NAME, compileEvaluator, compileToKql, parseRule, printRule, type OperatorName } from '../../src/language/index.js';
import { kqlColumnFor, normaliseRow } from '../../src/fields/index.js';
import { analyseKql } from '../../src/kusto/analyser.js';
import { compileKql } from './kql-interpreter.js';
import { check, errorOf } from './support.js';

const NET = 'DeviceNetworkEvents';

interface Case {
  /** The rule, in the printer's canonical form. */
  text: string;
  holds: Record<string, unknown>;
  fails: Record<string, unknown>;
  kql: string;
}

// One case per operator of the table; a raw DeviceNetworkEvents row where it holds and one where it does not.
const CASES: Record<OperatorName, Case> = {
  '==': { text: 'process.name == "ammyy.exe"', holds: { InitiatingProcessFileName: 'AMMYY.exe' }, fails: { InitiatingProcessFileName: 'chrome.exe' }, kql: 'InitiatingProcessFileName =~ "ammyy.exe"' },
  '!=': { text: 'process.name != "ammyy.exe"', holds: { InitiatingProcessFileName: 'chrome.exe' }, fails: { InitiatingProcessFileName: 'Ammyy.EXE' }, kql: 'not(InitiatingProcessFileName =~ "ammyy.exe")' },
  in: { text: 'destination.port in (443, 5931)', holds: { RemotePort: 5931 }, fails: { RemotePort: 80 }, kql: 'RemotePort in (443, 5931)' },
  'not in': {
    text: 'destination.ip not in ("10.0.0.0/8", "2001:db8::/32")', holds: { RemoteIP: '8.8.8.8' }, fails: { RemoteIP: '::ffff:10.1.2.3' },
    kql: 'ipv4_is_in_range(replace_regex(RemoteIP, @"(?i)^::ffff:", ""), "10.0.0.0/8")',
  },
  contains: { text: 'process.command_line contains "-connect"', holds: { InitiatingProcessCommandLine: 'AA_v3.exe -CONNECT 10.1.1.1' }, fails: { InitiatingProcessCommandLine: 'AA_v3.exe' }, kql: 'InitiatingProcessCommandLine contains "-connect"' },
  startswith: {
    text: 'process.executable startswith "C:\\\\Program Files\\\\"', holds: { InitiatingProcessFolderPath: 'c:\\program files\\ammyy\\aa_v3.exe' },
    fails: { InitiatingProcessFolderPath: 'C:\\Users\\bob\\aa_v3.exe' }, kql: 'InitiatingProcessFolderPath startswith "C:\\\\Program Files\\\\"',
  },
  endswith: { text: 'destination.domain endswith ".ammyy.com"', holds: { RemoteUrl: 'https://RL.Ammyy.com:443/x' }, fails: { RemoteUrl: 'example.org' }, kql: 'endswith ".ammyy.com"' },
  matches: { text: 'process.name matches "^aa_v\\\\d+\\\\.exe$"', holds: { InitiatingProcessFileName: 'AA_v3.exe' }, fails: { InitiatingProcessFileName: 'ammyy.exe' }, kql: 'InitiatingProcessFileName matches regex "(?i)^aa_v\\\\d+\\\\.exe$"' },
};

describe('the operator table: each operator parses, prints, evaluates and compiles', () => {
  it('when the table is listed, then every operator has a case here, and the names are unique', () => {
    expect(Object.keys(CASES).sort()).toEqual(OPERATORS.map((o) => o.name).sort());
    expect(OPERATOR_BY_NAME.size).toBe(OPERATORS.length);
  });

  for (const op of OPERATORS) {
    const c = CASES[op.name];
    describe(`${op.name} (${op.family}, ${op.arity}${op.negated ? ', negation' : ''})`, () => {
      it(`when ${c.text} is parsed, then the tree names this operator with ${op.arity === 'list' ? 'a list of values' : 'one value'}`, () => {
        const p = parseRule(c.text);
        if (!p.ok) throw p.errors[0];
        expect(p.syntax.kind).toBe('compare');
        if (p.syntax.kind !== 'compare') return;
        expect(p.syntax.op).toBe(op);
        expect(p.syntax.values.length > 1).toBe(op.arity === 'list');
      });

      it('when it is printed, then the text comes back, and it parses to the same operator', () => {
        const p = parseRule(c.text);
        if (!p.ok) throw p.errors[0];
        expect(printRule(p.syntax)).toBe(c.text);
        const upper = parseRule(c.text.replace(/ (not in|in|contains|startswith|endswith|matches) /, (m) => m.toUpperCase()));
        expect(upper.ok && upper.syntax.kind === 'compare' && upper.syntax.op).toBe(op);
      });

      it('when it is evaluated, then it is true, false and unknown on a matching, a non-matching and a summarised row', () => {
        const e = compileEvaluator(check(c.text));
        const hit = (raw: Record<string, unknown>) => ({ fields: normaliseRow(NET, raw).fields, raw });
        expect(e.test(hit(c.holds))).toBe(true);
        expect(e.test(hit(c.fails))).toBe(false);
        expect(e.test(hit({ DeviceName: 'summarised' }))).toBeNull();
        expect(e.explain(hit(c.holds)).clauses).toHaveLength(1);
      });

      it('when it is compiled to KQL, then it uses the operator\'s template, analyses cleanly and agrees with the evaluator', () => {
        const r = compileToKql(check(c.text), NET, kqlColumnFor);
        if (!('kql' in r)) throw new Error(r.notCompilable);
        expect(r.kql).toContain(c.kql);
        expect(analyseKql(`${NET} | where not(${r.kql})`)).toEqual([]);
        const predicate = compileKql(r.kql);
        expect([predicate(c.holds), predicate(c.fails), predicate({ DeviceName: 'summarised' })]).toEqual([true, false, false]);
      });
    });
  }

  it('when an operator is missing, then the message lists the table\'s operators in order', () => {
    expect(errorOf('process.name "x"').message).toContain('(==, !=, in, not in, contains, startswith, endswith, matches)');
  });

  it('when a list operator gets a single value without parentheses, or a single-value operator gets a list, then it says what it expected', () => {
    expect(errorOf('process.name in "x"').code).toBe('expected');
    expect(errorOf('process.name == ("x")').code).toBe('expected-value');
  });
});
