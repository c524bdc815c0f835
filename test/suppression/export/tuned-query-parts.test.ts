import { describe, it, expect } from 'vitest';
import { buildTunedQuery, type TunedList, type TunedQueryInput } from '../../../src/suppression/export/index.js';
import { analyseKql, DEFENDER_TABLES } from '../../../src/kusto/analyser.js';
import { finalSummarize, groupKeys, rmmHunts, seedHunts } from './hunt-queries.js';

const COLUMNS = DEFENDER_TABLES.DeviceNetworkEvents!.map((c) => c.name);
const Q = 'DeviceNetworkEvents\n| where RemoteUrl has "ammyy"\n| summarize count() by DeviceName\n';
const HOSTS: TunedList = { alias: 'quell-hosts', keyColumns: ['DeviceName'], entryCount: 100_000 };
const PARTS: TunedList = { ...HOSTS, partAliases: ['quell-hosts', 'quell-hosts_2', 'quell-hosts_3'] };

function tune(lists: TunedList[], over: Partial<TunedQueryInput> = {}) {
  const at = Q.lastIndexOf('| summarize');
  return buildTunedQuery({ query: Q, summarize: { start: at, end: Q.trimEnd().length }, table: 'DeviceNetworkEvents', rules: [], lists,
    tableColumns: COLUMNS, ...over }).kql;
}

describe('buildTunedQuery with a list in numbered watchlists', () => {
  it('when a list has parts, then one filter excludes the keys of every part through a union', () => {
    expect(tune([PARTS])).toContain(
      "| where DeviceName !in~ ((union _GetWatchlist('quell-hosts'), _GetWatchlist('quell-hosts_2'), _GetWatchlist('quell-hosts_3') | project SearchKey))\n| summarize");
  });

  it('when a list has parts, then the comment names every watchlist and says they are one list', () => {
    expect(tune([PARTS])).toContain("//   'quell-hosts', 'quell-hosts_2', 'quell-hosts_3' (one list in 3 numbered watchlists) on DeviceName, 100000 active entries, before the final summarize");
  });

  it('when a list is in one watchlist, with or without partAliases, then the query is exactly what it was before parts existed', () => {
    const today = tune([HOSTS]);
    expect(today).toContain("| where DeviceName !in~ ((_GetWatchlist('quell-hosts') | project SearchKey))\n");
    expect(tune([{ ...HOSTS, partAliases: ['quell-hosts'] }])).toBe(today);
    expect(tune([{ ...HOSTS, partAliases: [] }])).toBe(today);
  });

  it('when the key is computed by the summarize, then the union filter goes after it and still analyses clean', () => {
    const q = 'DeviceNetworkEvents\n| summarize Count=count() by Host=DeviceName\n| order by Count desc\n';
    const kql = tune([{ ...PARTS, keyColumns: ['Host'] }], { query: q, summarize: { start: q.indexOf('| summarize'), end: q.indexOf('\n| order') } });
    expect(kql).toContain("| summarize Count=count() by Host=DeviceName\n| where tostring(Host) !in~ ((union _GetWatchlist('quell-hosts'), ");
    expect(analyseKql(kql)).toEqual([]);
  });
});

describe('tuned queries with lists in parts against Microsoft\'s Kusto analyser', () => {
  const hunts = [...seedHunts(), ...rmmHunts()];
  it.each(hunts.map((h) => [h.name, h] as const))('when %s is tuned with lists of 2 and 40 parts, then no diagnostic is added', (_name, hunt) => {
    const table = Object.keys(DEFENDER_TABLES).find((t) => new RegExp(`^\\s*${t}\\b`, 'm').test(hunt.query))!;
    const columns = DEFENDER_TABLES[table]!.map((c) => c.name);
    const keys = groupKeys(hunt.query).filter((k) => columns.includes(k));
    const lists: TunedList[] = [
      { alias: 'quell-a', keyColumns: keys.length ? keys : ['DeviceName'], entryCount: 9, partAliases: ['quell-a', 'quell-a_2'] },
      { alias: 'quell-b', keyColumns: ['Count'], entryCount: 9, partAliases: Array.from({ length: 40 }, (_, i) => (i ? `quell-b_${i + 1}` : 'quell-b')) },
    ];
    const summarize = finalSummarize(hunt.query)!;
    const { kql } = buildTunedQuery({ query: hunt.query, summarize, table, rules: [], lists, tableColumns: columns });
    const original = analyseKql(hunt.query).map((d) => `${d.code} ${d.message}`);
    const added = analyseKql(kql).filter((d) => {
      const i = original.indexOf(`${d.code} ${d.message}`);
      if (i >= 0) original.splice(i, 1);
      return i < 0;
    });
    expect(added).toEqual([]);
    expect(kql).toContain("_GetWatchlist('quell-b_40')");
  });
});
