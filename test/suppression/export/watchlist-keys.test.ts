import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkKeyColumns, checkKeyValues, searchKeyFor } from '../../../src/suppression/export/index.js';

const ONE = ['DeviceName'];
const THREE = ['DeviceId', 'DeviceName', 'RemoteUrl'];
const ok3 = { DeviceId: 'd1', DeviceName: 'h1', RemoteUrl: 'ammyy.com' };

describe('searchKeyFor', () => {
  it('when the key has one column, then the SearchKey is its value', () => {
    expect(searchKeyFor(ONE, { DeviceName: 'Host|1' })).toBe('Host|1');
  });
  it('when the key has several columns, then they are joined with | in key-column order, whatever the object order', () => {
    expect(searchKeyFor(THREE, { RemoteUrl: 'u', DeviceName: 'n', DeviceId: 'i' })).toBe('i|n|u');
  });
  it('when the values are given, then they are not changed', () => {
    const values = Object.freeze({ ...ok3 });
    searchKeyFor(THREE, values);
    expect(values).toEqual(ok3);
  });
});

describe('checkKeyValues', () => {
  it('when every key column has a plain value, then there is no problem', () => {
    expect(checkKeyValues(THREE, ok3)).toEqual([]);
    expect(checkKeyValues(ONE, { DeviceName: 'a|b', Extra: '=ignored' })).toEqual([]);
  });

  const refused: [string, string[], Record<string, unknown>, string, RegExp][] = [
    ['a key column is missing', THREE, { DeviceId: 'd', DeviceName: 'n' }, '/values/RemoteUrl', /required/],
    ['a key column is empty', THREE, { ...ok3, DeviceName: '' }, '/values/DeviceName', /empty/],
    ['a key value is not a string', THREE, { ...ok3, DeviceId: 7 }, '/values/DeviceId', /string/],
    ['a key value is null', ONE, { DeviceName: null }, '/values/DeviceName', /required/],
    ['the SearchKey would begin with =', THREE, { ...ok3, DeviceId: '=cmd' }, '/values/DeviceId', /begins with "=".*formula/],
    ['the SearchKey would begin with +', ONE, { DeviceName: '+1' }, '/values/DeviceName', /"\+"/],
    ['the SearchKey would begin with -', ONE, { DeviceName: '-2' }, '/values/DeviceName', /"-"/],
    ['the SearchKey would begin with @', ONE, { DeviceName: '@SUM(A1)' }, '/values/DeviceName', /"@"/],
    ['a later key cell begins with = (it is its own CSV cell)', THREE, { ...ok3, RemoteUrl: '=HYPERLINK("x")' }, '/values/RemoteUrl', /formula/],
    ['a key cell begins with TAB', ONE, { DeviceName: '\t=1' }, '/values/DeviceName', /formula/],
    ['a key value holds LF', ONE, { DeviceName: 'a\nb' }, '/values/DeviceName', /line break/],
    ['a key value holds CR', THREE, { ...ok3, RemoteUrl: 'a\rb' }, '/values/RemoteUrl', /line break/],
    ['a composite key value holds |', THREE, { ...ok3, DeviceName: 'a|b' }, '/values/DeviceName', /ambiguous/],
    ['a key column name needs pointer escaping', ['a/b~c'], { 'a/b~c': '' }, '/values/a~1b~0c', /empty/],
    ['a key column is an inherited property name', ['constructor'], {}, '/values/constructor', /required/],
  ];
  it.each(refused)('when %s, then the key is refused at that column', (_case, columns, values, pointer, message) => {
    const problems = checkKeyValues(columns, values);
    expect(problems.map((p) => p.pointer)).toEqual([pointer]);
    expect(problems[0]!.message).toMatch(message);
  });

  it('when several columns are wrong, then each is named', () => {
    const problems = checkKeyValues(THREE, { DeviceId: '=x', DeviceName: '' });
    expect(problems.map((p) => p.pointer)).toEqual(['/values/DeviceId', '/values/DeviceName', '/values/RemoteUrl']);
  });

  it('when values is not an object, then it is refused as a whole', () => {
    for (const bad of [null, 'x', ['a']]) expect(checkKeyValues(ONE, bad)[0]!.pointer).toBe('/values');
  });

  it('when a key is accepted, then its SearchKey cannot start a formula or a new line and splits back into its values', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', ' ', '=', '+', '-', '@', '\t', '|', '\r', '\n', 'é', '😀'), maxLength: 6 });
    fc.assert(fc.property(fc.tuple(cell, cell, cell), ([a, b, c]) => {
      const values = { DeviceId: a, DeviceName: b, RemoteUrl: c };
      if (checkKeyValues(THREE, values).length) return;
      const key = searchKeyFor(THREE, values);
      expect(key).not.toMatch(/^[=+\-@\t]/);
      expect(key).not.toMatch(/[\r\n]/);
      expect(key.split('|')).toEqual([a, b, c]);
    }), { numRuns: 500 });
  });
});

describe('checkKeyColumns', () => {
  it('when the key columns are column names, then there is no problem', () => {
    expect(checkKeyColumns(THREE)).toEqual([]);
  });
  const refused: [string, unknown[], string, RegExp][] = [
    ['there are none', [], '/keyColumns', /at least one/],
    ['one is not an identifier', ['DeviceName', 'Remote Url'], '/keyColumns/1', /column name/],
    ['one would start a formula in the header', ['=cmd'], '/keyColumns/0', /column name/],
    ['one is Quell\'s own column', ['DeviceName', 'reason'], '/keyColumns/1', /clashes/],
    ['one is listed twice', ['DeviceName', 'devicename'], '/keyColumns/1', /twice/],
  ];
  it.each(refused)('when %s, then it is refused', (_case, columns, pointer, message) => {
    const problems = checkKeyColumns(columns);
    expect(problems.map((p) => p.pointer)).toEqual([pointer]);
    expect(problems[0]!.message).toMatch(message);
  });
});
