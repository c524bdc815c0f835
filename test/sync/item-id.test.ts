import { describe, it, expect } from 'vitest';
import { foldKey, uuidv5, watchlistItemId } from '../../src/sync/item-id.js';

describe('deterministic watchlist item ids', () => {
  it('when uuidv5 is computed for RFC 9562 Appendix A.4 (DNS namespace, www.example.com), then it is the published id', () => {
    expect(uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  const folds: [string, string, string][] = [
    ['ASCII capitals', 'WS-01.CORP.Example', 'ws-01.corp.example'],
    ['a composite key', 'DEV1|Host-A|RL.AMMYY.COM', 'dev1|host-a|rl.ammyy.com'],
    ['non-ASCII capitals, which in~ does not fold', 'ÄRZTE-PC', 'Ärzte-pc'],
  ];
  for (const [name, key, folded] of folds) {
    it(`when a SearchKey has ${name}, then it folds as KQL in~ compares: ${folded}`, () => {
      expect(foldKey(key)).toBe(folded);
    });
  }

  it('when the same key arrives in another case, then the item id is the same; another list or key gets another id', () => {
    const id = watchlistItemId('list-1', 'WS-01.corp');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(watchlistItemId('list-1', 'ws-01.CORP')).toBe(id);
    expect(watchlistItemId('list-2', 'WS-01.corp')).not.toBe(id);
    expect(watchlistItemId('list-1', 'WS-02.corp')).not.toBe(id);
  });
});
