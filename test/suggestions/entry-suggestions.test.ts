import { describe, it, expect } from 'vitest';
import { dismissalKey, MAX_KEYS, suggestEntries, type KeyedHit } from '../../src/suggestions/entry-suggestions.js';
import type { ListRecord } from '../../src/suppression/lists-store.js';

const LIST = { id: 'l1', alias: 'helpdesk', keyColumns: ['DeviceName'], hunts: ['h'] } as ListRecord;
const key = (name: string) => ({ searchKey: name, folded: name.toLowerCase(), values: { DeviceName: name } });
const hit = (id: string, name: string | null, verdict: KeyedHit['verdict'], suppressed = false): KeyedHit =>
  ({ id, verdict, suppressed, keys: [name === null ? null : key(name)] });
const names = (hits: KeyedHit[], o: { explained?: string[]; live?: string[]; dismissed?: string[] } = {}) =>
  suggestEntries([LIST], hits, (h) => (o.explained ?? []).includes(h.id), [new Set(o.live ?? [])],
    new Set((o.dismissed ?? []).map((k) => dismissalKey(LIST.id, k))))[0]?.entries.map((e) => e.searchKey) ?? [];

describe('which benign keys are offered as list entries', () => {
  const cases: [string, KeyedHit[], Parameters<typeof names>[1], string[]][] = [
    ['a benign key', [hit('1', 'WS-1', 'benign')], {}, ['WS-1']],
    ['a key a malicious verdict also has, in any case', [hit('1', 'WS-1', 'benign'), hit('2', 'ws-1', 'malicious')], {}, []],
    ['a key already live in the list (folded)', [hit('1', 'WS-1', 'benign')], { live: ['ws-1'] }, []],
    ['a key dismissed before', [hit('1', 'WS-1', 'benign')], { dismissed: ['ws-1'] }, []],
    ['a hit a mined rule explains', [hit('1', 'WS-1', 'benign')], { explained: ['1'] }, []],
    ['a hit already suppressed', [hit('1', 'WS-1', 'benign', true)], {}, []],
    ['a hit without a verdict, or without a key', [hit('1', 'WS-1', null), hit('2', null, 'benign')], {}, []],
    ['two benign hits of one key', [hit('1', 'b', 'benign'), hit('2', 'B', 'benign'), hit('3', 'a', 'benign')], {}, ['a', 'b']],
  ];
  for (const [what, hits, opts, expected] of cases) {
    it(`when the hits hold ${what}, then the keys offered are ${JSON.stringify(expected)}`, () => expect(names(hits, opts)).toEqual(expected));
  }

  it('when hits without a verdict share an offered key, then they are counted as the risk', () => {
    const [s] = suggestEntries([LIST], [hit('1', 'a', 'benign'), hit('2', 'A', null), hit('3', 'c', null)], () => false, [new Set()], new Set());
    expect(s).toMatchObject({ benign: 1, unlabelled: 1, examples: ['1'], list: { id: 'l1', alias: 'helpdesk' } });
  });

  it(`when more than ${MAX_KEYS} keys qualify, then one suggestion offers the first ${MAX_KEYS}`, () => {
    const hits = Array.from({ length: MAX_KEYS + 5 }, (_, i) => hit(String(i), `k${i}`, 'benign'));
    expect(names(hits)).toHaveLength(MAX_KEYS);
  });
});
