import { describe, it, expect } from 'vitest';
import { desiredItems } from '../../src/sync/desired-items.js';
import { watchlistItemId } from '../../src/sync/item-id.js';
import { diffWatchlist, type CurrentItem } from '../../src/sync/watchlist-diff.js';

const LIST = { id: 'list-1', keyColumns: ['DeviceName'] };
const entry = (name: string, over: Partial<{ reason: string; expiresAt: string | null }> = {}) => ({
  searchKey: name, values: { DeviceName: name }, reason: 'benign', addedBy: 'ann', addedAt: '2026-12-01T00:00:00.000Z', expiresAt: '2027-03-01T00:00:00.000Z', ...over,
});
const desired = (...names: string[]) => desiredItems(LIST, names.map((n) => entry(n)));
/** An item as the watchlist would hold it for `name`, at Quell's id unless another is given. */
const item = (name: string, over: Record<string, unknown> = {}, id = watchlistItemId(LIST.id, name)): CurrentItem =>
  ({ id, values: { ...desired(name)[0]!.values, ...over } });
const keys = (ops: { key: string }[]) => ops.map((o) => o.key);

describe('the item-level difference between Quell and the watchlist', () => {
  const cases: { name: string; want: string[]; have: CurrentItem[]; create?: string[]; update?: string[]; delete?: string[]; unchanged?: number }[] = [
    { name: 'the watchlist is empty', want: ['a', 'b'], have: [], create: ['a', 'b'] },
    { name: 'the watchlist already holds every item', want: ['a', 'b'], have: [item('a'), item('b')], unchanged: 2 },
    { name: 'a key is in another case in Sentinel', want: ['WS-1'], have: [item('ws-1', {}, 'aaaaaaaa-0000-4000-8000-000000000001')], update: ['WS-1'] },
    { name: 'a reason changed', want: ['a'], have: [item('a', { Reason: 'old reason' })], update: ['a'] },
    { name: 'an item has a column Quell does not write', want: ['a'], have: [item('a', { Extra: 'x' })], update: ['a'] },
    { name: 'a key is no longer active', want: ['a'], have: [item('a'), item('gone')], delete: ['gone'], unchanged: 1 },
    { name: 'a key is held twice (a CSV upload and Quell)', want: ['a'], have: [item('a', {}, 'bbbbbbbb-0000-4000-8000-000000000002'), item('a')],
      delete: ['a'], unchanged: 1 },
    { name: 'an item has no SearchKey', want: [], have: [{ id: 'cccccccc-0000-4000-8000-000000000003', values: { Other: 'x' } }], delete: [''] },
  ];
  for (const c of cases) {
    const show = (k?: string[]) => JSON.stringify(k ?? []);
    it(`when ${c.name}, then it creates ${show(c.create)}, updates ${show(c.update)}, deletes ${show(c.delete)}`, () => {
      const d = diffWatchlist(desired(...c.want), c.have);
      expect(keys(d.create)).toEqual(c.create ?? []);
      expect(keys(d.update)).toEqual(c.update ?? []);
      expect(keys(d.delete)).toEqual(c.delete ?? []);
      expect(d.unchanged).toBe(c.unchanged ?? 0);
    });
  }

  it('when a key is updated, then the PUT goes to the id the item already has; a new key goes to its deterministic id', () => {
    const d = diffWatchlist(desired('WS-1', 'new'), [item('ws-1', {}, 'aaaaaaaa-0000-4000-8000-000000000001')]);
    expect(d.update[0]!.id).toBe('aaaaaaaa-0000-4000-8000-000000000001');
    expect(d.create[0]!.id).toBe(watchlistItemId(LIST.id, 'new'));
  });

  it('when a duplicate is resolved, then the item at Quell\'s own id is the one kept', () => {
    const d = diffWatchlist(desired('a'), [item('a', {}, 'bbbbbbbb-0000-4000-8000-000000000002'), item('a')]);
    expect(d.delete.map((o) => o.id)).toEqual(['bbbbbbbb-0000-4000-8000-000000000002']);
  });
});

describe('the items Quell wants', () => {
  it('when entries are turned into items, then they carry the CSV export\'s columns and neutralised free text', () => {
    const [it1] = desiredItems(LIST, [entry('ws-1', { reason: '=HYPERLINK("x")', expiresAt: null })]);
    expect(it1!.values).toEqual({ SearchKey: 'ws-1', DeviceName: 'ws-1', Reason: '\'=HYPERLINK("x")', AddedBy: 'ann', AddedAt: '2026-12-01T00:00:00.000Z', ExpiresAt: '' });
    expect(Object.keys(it1!.values)).toEqual(['SearchKey', 'DeviceName', 'Reason', 'AddedBy', 'AddedAt', 'ExpiresAt']);
  });

  it('when two active entries differ only in case, then one item is wanted: the earlier entry\'s', () => {
    expect(desiredItems(LIST, [entry('WS-1'), entry('ws-1')]).map((d) => d.key)).toEqual(['WS-1']);
  });

  const refused: [string, ReturnType<typeof entry>, RegExp][] = [
    ['a key that starts a formula', entry('=cmd'), /formula/],
    ['a SearchKey that does not match its columns', { ...entry('a'), searchKey: 'b' }, /does not match/],
    ['a row over 10 KB', entry('a', { reason: 'x'.repeat(10_001) }), /at most 10000 bytes/],
  ];
  for (const [name, e, why] of refused) {
    it(`when an entry has ${name}, then the sync is refused before anything is sent`, () => {
      expect(() => desiredItems(LIST, [e])).toThrow(why);
    });
  }
});
