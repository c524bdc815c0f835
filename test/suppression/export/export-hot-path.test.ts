import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkKeyValues, csvField, searchKeyFor } from '../../../src/suppression/export/index.js';
import { isSpaceUnit } from '../../../src/suppression/export/csv-cells.js';
import { keyValuesOk } from '../../../src/suppression/export/watchlist-keys.js';

// The export's per-entry loop uses hand-written checks in place of regular expressions and problem lists (a list can
// hold 100,000 entries); these tests hold them to the rules they replace.

describe('the export hot path agrees with the rules it stands for', () => {
  it('when every code unit is tested, then isSpaceUnit is exactly JavaScript\'s \\s', () => {
    for (let c = 0; c <= 0xffff; c++) expect(isSpaceUnit(c), c.toString(16)).toBe(/\s/.test(String.fromCharCode(c)));
  });

  it('when any value is quoted, then csvField quotes exactly what the RFC 4180 rule with ^\\s|\\s$ quotes', () => {
    const unit = fc.oneof(fc.constantFrom(',', '"', '\r', '\n', ' ', '\t', '\u00a0', '\u2028', '\ufeff', 'a', 'é', '😀'), fc.string({ minLength: 1, maxLength: 1 }));
    fc.assert(fc.property(fc.string({ unit, maxLength: 8 }), (v) => {
      const expected = /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      expect(csvField(v)).toBe(expected);
    }), { numRuns: 3000 });
  });

  it('when any key values are checked, then keyValuesOk is true exactly when checkKeyValues finds no problem', () => {
    const cell = fc.oneof(fc.string({ unit: fc.constantFrom('a', '|', '\r', '\n', '=', '+', '-', '@', '\t', ' ', 'é'), maxLength: 4 }),
      fc.constant(undefined), fc.constant(null), fc.integer());
    const columns = fc.constantFrom(['A'], ['A', 'B'], ['A', 'B', 'C'], [] as string[]);
    fc.assert(fc.property(columns, fc.record({ A: cell, B: cell, C: cell }, { requiredKeys: [] }), (cols, values) => {
      expect(keyValuesOk(cols, values)).toBe(checkKeyValues(cols, values).length === 0);
    }), { numRuns: 3000 });
    for (const odd of [null, 'x', ['a'], 7]) expect(keyValuesOk(['A'], odd)).toBe(checkKeyValues(['A'], odd).length === 0);
  });

  it('when a key is joined, then searchKeyFor gives what mapping and joining with "|" gave', () => {
    const cell = fc.oneof(fc.string({ maxLength: 3 }), fc.constant(undefined), fc.constant(null));
    fc.assert(fc.property(fc.constantFrom(['A'], ['A', 'B'], ['B', 'A', 'C']), fc.record({ A: cell, B: cell, C: cell }, { requiredKeys: [] }), (cols, values) => {
      const v = values as Record<string, string>;
      expect(searchKeyFor(cols, v)).toBe(cols.map((c) => (Object.hasOwn(v, c) ? v[c] : '')).join('|'));
    }), { numRuns: 1000 });
  });
});
