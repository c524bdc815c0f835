import { describe, it, expect } from 'vitest';
import { buildTunedQuery, type TunedList, type TunedRule } from '../../../src/suppression/export/index.js';
import { analyseKql, DEFENDER_TABLES, type KqlDiagnostic } from '../../../src/kusto/analyser.js';
import { finalSummarize, groupKeys, rmmHunts, seedHunts, type HuntQuery } from './hunt-queries.js';

/** Diagnostics of `tuned` not matched one-for-one (by code and message) by a diagnostic of `original`. */
function addedDiagnostics(original: KqlDiagnostic[], tuned: KqlDiagnostic[]): KqlDiagnostic[] {
  const pool = original.map((d) => `${d.code} ${d.message}`);
  return tuned.filter((d) => {
    const i = pool.indexOf(`${d.code} ${d.message}`);
    if (i < 0) return true;
    pool.splice(i, 1);
    return false;
  });
}

function tableOf(query: string): string {
  const table = Object.keys(DEFENDER_TABLES).find((t) => new RegExp(`^\\s*${t}\\b`, 'm').test(query));
  if (!table) throw new Error('no Defender table in the query');
  return table;
}

/** Rules of every kind and lists keyed on the table's columns (composite and single) and on a summarize output. */
function exclusionsFor(hunt: HuntQuery) {
  const table = tableOf(hunt.query);
  const columns = DEFENDER_TABLES[table]!.map((c) => c.name);
  const rules: TunedRule[] = [
    { id: 'r-host', name: 'Known host', version: 2, action: 'suppress', kql: 'isnotempty(DeviceName) and DeviceName =~ "x"' },
    { id: 'r-flag', name: 'Helpdesk', version: 1, action: 'flag', kql: 'DeviceName startswith "hd"' },
    { id: 'r-group', name: 'Domain admins', version: 1, action: 'suppress', notCompilable: 'user.group needs the group directory' },
  ];
  if (columns.includes('RemoteIP')) {
    rules.push({ id: 'r-net', name: 'Internal', version: 1, action: 'suppress', kql: 'ipv4_is_in_any_range(RemoteIP, "10.0.0.0/8", "192.168.0.0/16")' });
  }
  const tableKeys = groupKeys(hunt.query).filter((k) => columns.includes(k));
  const lists: TunedList[] = [
    { alias: 'quell-composite', keyColumns: tableKeys.length > 1 ? tableKeys : ['DeviceId', 'DeviceName'], entryCount: 5 },
    { alias: 'quell-hosts', keyColumns: ['DeviceName'], entryCount: 1 },
    { alias: 'quell-counts', keyColumns: ['Count'], entryCount: 0 },
  ];
  return { table, columns, rules, lists };
}

const hunts = [...seedHunts(), ...rmmHunts()];

describe('buildTunedQuery against Microsoft\'s Kusto analyser', () => {
  it('when the fixtures are read, then there are the two seed hunts and all 168 RMM hunts, each with a final summarize', () => {
    expect(hunts).toHaveLength(170);
    for (const h of hunts) expect(finalSummarize(h.query), h.name).not.toBeNull();
    expect(hunts.filter((h) => h.query.includes('\r\n')).length).toBeGreaterThan(100);
  });

  it.each(hunts.map((h) => [h.name, h] as const))('when %s is tuned, then no diagnostic is added to the original\'s', (_name, hunt) => {
    const { table, columns, rules, lists } = exclusionsFor(hunt);
    const summarize = finalSummarize(hunt.query)!;
    const { kql } = buildTunedQuery({ query: hunt.query, summarize, table, rules, lists, tableColumns: columns });

    expect(addedDiagnostics(analyseKql(hunt.query), analyseKql(kql))).toEqual([]);
    // The filters are really there, around the original text, which is kept byte-for-byte.
    expect(kql).toContain(hunt.query.slice(0, summarize.start));
    expect(kql).toContain(hunt.query.slice(summarize.start, summarize.end));
    expect(kql.match(/_GetWatchlist\('quell-/g)).toHaveLength(3);
    expect(kql.match(/\| where not\(coalesce\(/g)).toHaveLength(rules.filter((r) => r.action === 'suppress' && r.kql).length);
    expect(kql.indexOf("_GetWatchlist('quell-counts')")).toBeGreaterThan(kql.indexOf(hunt.query.slice(summarize.start, summarize.end)));
    expect(kql.indexOf("_GetWatchlist('quell-hosts')")).toBeLessThan(kql.indexOf(hunt.query.slice(summarize.start, summarize.end)));
  });
});
