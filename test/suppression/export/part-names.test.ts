import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { partAlias, partDisplayName, splitWatchlist, validateWatchlistName, type ExportEntry } from '../../../src/suppression/export/index.js';

const validName = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9 _-]{1,62})[A-Za-z0-9]$/);

describe('partAlias', () => {
  it('when part 1 is named, then it keeps the list\'s alias; later parts get _<k>', () => {
    expect(partAlias('rmm-ammyy-fp', 1)).toEqual({ alias: 'rmm-ammyy-fp', shortened: false });
    expect(partAlias('rmm-ammyy-fp', 2)).toEqual({ alias: 'rmm-ammyy-fp_2', shortened: false });
    expect(partAlias('rmm-ammyy-fp', 12).alias).toBe('rmm-ammyy-fp_12');
  });

  it('when the suffix would pass 64 characters, then the alias is shortened at its end, and only as much as that part needs', () => {
    const a62 = `a${'b'.repeat(60)}c`;
    expect(partAlias(a62, 9)).toEqual({ alias: `${a62}_9`, shortened: false });
    expect(partAlias(a62, 10)).toEqual({ alias: `${a62.slice(0, 61)}_10`, shortened: true });
    expect(partAlias(a62, 10).alias).toHaveLength(64);
  });

  it('when shortening leaves a hyphen, space or underscore at the cut, then it is dropped so the base still ends alphanumeric', () => {
    const alias = `${'x'.repeat(61)}- y`;
    expect(partAlias(alias, 2).alias).toBe(`${'x'.repeat(61)}_2`);
  });

  it('when any valid alias gets any part number, then the part alias obeys Sentinel\'s naming rule', () => {
    fc.assert(fc.property(validName, fc.integer({ min: 1, max: 100_000 }), (alias, k) => {
      const { alias: out } = partAlias(alias, k);
      expect(validateWatchlistName('alias', out)).toBeNull();
      expect(out.startsWith(alias.slice(0, 40))).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('partDisplayName', () => {
  it('when a part is named, then it reads "<name> part k of n" (a parenthesis would break Sentinel\'s naming rule)', () => {
    expect(partDisplayName('Ammyy hosts', 2, 3)).toBe('Ammyy hosts part 2 of 3');
    expect(validateWatchlistName('displayName', 'Ammyy hosts (2 of 3)')).not.toBeNull();
  });

  it('when any valid name is numbered, then the result obeys the rule and ends in its numbers', () => {
    fc.assert(fc.property(validName, fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }), (name, k, n) => {
      const out = partDisplayName(name, k, n);
      expect(validateWatchlistName('displayName', out)).toBeNull();
      expect(out.endsWith(` part ${k} of ${n}`)).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('splitWatchlist notes', () => {
  const entry = (i: number): ExportEntry => ({ searchKey: `h${i}`, values: { H: `h${i}` }, reason: 'r'.repeat(50), addedBy: 'a',
    addedAt: '2026-01-01T00:00:00.000Z', expiresAt: null });

  it('when a part\'s alias had to be shortened, then the split says so naming the alias, the first shortened part and the last', () => {
    const alias = `a${'b'.repeat(61)}c`; // 63 characters: "_2" already needs one
    const { parts, notes } = splitWatchlist({ alias, displayName: 'Long', keyColumns: ['H'] }, Array.from({ length: 30 }, (_, i) => entry(i)), { maxBytes: 300 });
    expect(parts.length).toBeGreaterThan(2);
    expect(parts[1]!.alias).toBe(`${alias.slice(0, 62)}_2`);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('63 characters');
    expect(notes[0]).toContain(`part 2: "${parts[1]!.alias}"`);
    expect(notes[0]).toContain(`part ${parts.length}: "${parts.at(-1)!.alias}"`);
  });

  it('when no alias was shortened, then there is no note', () => {
    expect(splitWatchlist({ alias: 'short', displayName: 'Short', keyColumns: ['H'] }, Array.from({ length: 30 }, (_, i) => entry(i)), { maxBytes: 300 }).notes).toEqual([]);
  });
});
