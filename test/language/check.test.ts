import { describe, it, expect } from 'vitest';
import { ERROR_CODES, checkRule, parseRule, type Checked, type CheckedLeaf } from '../../src/language/index.js';
import { FIELD_CATALOG } from '../../src/fields/index.js';
import { check, errorOf, parse } from './support.js';

/** The single leaf of a one-comparison rule. */
function leafOf(text: string): CheckedLeaf {
  const e: Checked = check(text).expr;
  if (e.kind === 'and' || e.kind === 'or' || e.kind === 'not') throw new Error(`${text} is not one comparison`);
  return e;
}

describe('checkRule: one entry point, fields resolved and values typed once', () => {
  it('when a canonical field is written in another case, then the leaf keeps the spelling and carries what it resolves to', () => {
    const leaf = leafOf('Process.Name == "x"');
    expect(leaf.field.name).toBe('Process.Name');
    expect(leaf.field.resolved).toEqual({ kind: 'canonical', name: 'process.name', type: 'string' });
  });

  it('when a raw Defender column is named, then it resolves to the raw column with its type (and Timestamp to TimeGenerated too)', () => {
    expect(leafOf('remoteip == "10.0.0.1"').field.resolved).toEqual({ kind: 'raw', name: 'RemoteIP', type: 'ip' });
    expect(leafOf('RemotePort == 1').field.resolved).toEqual({ kind: 'raw', name: 'RemotePort', type: 'int' });
    expect(leafOf('Timestamp == "2026-11-20T10:00:00Z"').field.resolved).toEqual({ kind: 'raw', name: 'Timestamp', type: 'date', aliases: ['TimeGenerated'] });
  });

  it('when string values are checked, then each is lower-cased once', () => {
    const leaf = leafOf('process.name in ("AMMYY.exe", "MsiExec.EXE")');
    expect(leaf.kind === 'compare' && leaf.family === 'equality' && leaf.operand.type).toBe('text');
    if (leaf.kind !== 'compare' || leaf.family !== 'equality' || leaf.operand.type !== 'text') return;
    expect(leaf.operand.values.map((v) => [v.text, v.lower])).toEqual([['AMMYY.exe', 'ammyy.exe'], ['MsiExec.EXE', 'msiexec.exe']]);
    const contains = leafOf('process.name contains "AmMy"');
    expect(contains.kind === 'compare' && contains.family === 'text' && contains.value.lower).toBe('ammy');
  });

  it('when IP values are checked, then they are parsed blocks (a mapped ::ffff: block is the IPv4 block)', () => {
    const leaf = leafOf('destination.ip in ("10.0.0.0/8", "::ffff:192.168.0.0/112", "2001:db8::/32", "10.4.2.9")');
    if (leaf.kind !== 'compare' || leaf.family !== 'equality' || leaf.operand.type !== 'ip') throw new Error('not an IP operand');
    expect(leaf.operand.values.map(({ block: b }) => [b.v, b.prefix, b.v === 4 ? b.start : b.start.toString(16)])).toEqual([
      [4, 8, 10 * 2 ** 24], [4, 16, (192 * 256 + 168) * 2 ** 16], [6, 32, '20010db8000000000000000000000000'], [4, 32, ((10 * 256 + 4) * 256 + 2) * 256 + 9],
    ]);
  });

  it('when integer and date values are checked, then they are numbers and milliseconds', () => {
    const port = leafOf('destination.port in (443, "5931")');
    if (port.kind !== 'compare' || port.family !== 'equality' || port.operand.type !== 'int') throw new Error('not an int operand');
    expect(port.operand.values.map((v) => v.int)).toEqual([443, 5931]);
    const at = leafOf('@timestamp == "2026-11-20T10:00:00Z"');
    if (at.kind !== 'compare' || at.family !== 'equality' || at.operand.type !== 'date') throw new Error('not a date operand');
    expect(at.operand.values[0].ms).toBe(Date.UTC(2026, 10, 20, 10));
  });

  it('when a regular expression is checked, then it is compiled (re2js, case-insensitive)', () => {
    const leaf = leafOf('process.name matches "^aa_v[0-9]+"');
    if (leaf.kind !== 'compare' || leaf.family !== 'regex') throw new Error('not a regex leaf');
    expect(leaf.value.regex.matcher('AA_V3.EXE').find()).toBe(true);
  });

  it('when a rule is checked, then its fields are listed once each, as written, in order', () => {
    expect([...check('process.name == "a" or host.name == "b" or process.name != "c" or exists(RemoteIP)').fields.keys()])
      .toEqual(['process.name', 'host.name', 'RemoteIP']);
  });

  it('when a rule has several check errors, then all are reported, in order, each with its position', () => {
    const c = checkRule('proces.name == "x" and destination.ip == "300.1.1.1" and destination.port in (1, "x") and process.name matches "("', FIELD_CATALOG);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.errors.map((e) => e.code)).toEqual(['unknown-field', 'invalid-ip', 'not-an-integer', 'invalid-regex']);
    expect(c.errors[0].message).toMatch(/did you mean `process\.name`/);
  });
});

describe('errors: typed codes, and line and column as well as offset and length', () => {
  it('when a multi-line expression has an error on its second line, then line and column point at it', () => {
    const text = 'process.name == "x"\n  and host.name = "y"';
    const e = errorOf(text);
    expect(e.toJSON()).toEqual({ code: 'bad-operator', message: expect.stringMatching(/use `==`/), offset: text.indexOf(' = ') + 1, length: 1, line: 2, column: 17 });
  });

  it('when lines end in CRLF, then the line count is the same and the column starts after the break', () => {
    const e = errorOf('process.name == "x"\r\nand\r\n   proces.name == "y"');
    expect({ code: e.code, line: e.line, column: e.column, length: e.length }).toEqual({ code: 'unknown-field', line: 3, column: 4, length: 11 });
  });

  it('when an error is on the first line, then it is line 1 and column offset + 1', () => {
    const e = errorOf('a == "x" $');
    expect({ line: e.line, column: e.column, offset: e.offset }).toEqual({ line: 1, column: 10, offset: 9 });
  });

  const bad = [
    'process.name == "x', 'process.name == 12ab', 'process.name = "x"', 'a == "x" $', 'process.name ==', 'process.name "x"', '== "x"',
    '(process.name == "x"', 'process.name == "x")', 'process.name in ("a" "b")', 'exists(process.name', 'proces.name == "x"',
    'process.name matches "("', 'destination.ip == "10.0.0.0/33"', 'process.name == "10.0.0.0/8"', 'destination.port == "x"', '@timestamp == "never"',
  ];
  it('when every kind of mistake is made, then each error code is one of ERROR_CODES and its JSON has the six members', () => {
    for (const text of bad) {
      const e = errorOf(text);
      expect(ERROR_CODES, text).toContain(e.code);
      expect(Object.keys(e.toJSON()).sort(), text).toEqual(['code', 'column', 'length', 'line', 'message', 'offset']);
    }
  });
});

describe('a string that ends in \\" (SPEC §4: only \\", \\\' and \\\\ are escapes)', () => {
  it('when a Windows path ends in a backslash before the closing quote, then the error says the backslash escaped it and how to write it', () => {
    const text = 'process.executable startswith "C:\\Program Files\\"';
    const e = errorOf(text);
    expect(e.code).toBe('unclosed-string');
    expect(e.message).toMatch(/the backslash before the closing quote escaped it/);
    expect(e.message).toContain('"C:\\Program Files\\\\"');
    expect(e.message).toContain(`line 1, column ${text.lastIndexOf('\\') + 1}`);
    expect({ offset: e.offset, length: e.length }).toEqual({ offset: text.indexOf('"'), length: text.length - text.indexOf('"') });
  });

  it('when the advice is followed, then the rule parses and the value ends in one backslash', () => {
    const e = parse('process.executable startswith "C:\\Program Files\\\\"');
    expect(e.kind === 'compare' && e.values[0].text).toBe('C:\\Program Files\\');
  });

  it('when the string is single-quoted, then the advice keeps single quotes', () => {
    expect(errorOf("process.executable startswith 'C:\\Temp\\'").message).toContain("'C:\\Temp\\\\'");
  });

  it('when a string is unclosed without an escaped quote, then the plain message stays', () => {
    expect(errorOf('process.name == "ammyy').message).toBe('unclosed string: the double quote opened here is never closed');
  });

  it('when other backslashes appear, then they stay literal', () => {
    const p = parseRule('user.name == "Domain\\Administrator" and process.executable == "C:\\Windows\\n"');
    expect(p.ok && p.syntax.kind === 'and' && p.syntax.left.kind === 'compare' && p.syntax.right.kind === 'compare'
      && [p.syntax.left.values[0].text, p.syntax.right.values[0].text]).toEqual(['Domain\\Administrator', 'C:\\Windows\\n']);
  });
});
