import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildTunedQuery, type TunedList, type TunedQueryInput, type TunedRule } from '../../../src/suppression/export/index.js';
import { DEFENDER_TABLES, parseKqlSyntax } from '../../../src/kusto/analyser.js';

const COLUMNS = DEFENDER_TABLES.DeviceNetworkEvents!.map((c) => c.name);
const RULE: TunedRule = { id: 'r1', name: 'Jump host', version: 3, action: 'suppress', kql: 'DeviceName =~ "jump01"' };
const HOSTS: TunedList = { alias: 'quell-hosts', keyColumns: ['DeviceName'], entryCount: 2 };
const RULE_LINE = '| where not(coalesce(DeviceName =~ "jump01", false))';
const HOSTS_LINE = "| where DeviceName !in~ ((_GetWatchlist('quell-hosts') | project SearchKey))";

function tune(query: string, over: Partial<TunedQueryInput> = {}) {
  const at = query.lastIndexOf('| summarize');
  const summarize = at < 0 ? null : { start: at, end: query.trimEnd().length };
  return buildTunedQuery({ query, summarize, table: 'DeviceNetworkEvents', rules: [RULE], lists: [HOSTS], tableColumns: COLUMNS, ...over }).kql;
}
/** The tuned query without its leading `//` block. */
const body = (kql: string) => kql.replace(/^(?:\/\/[^\r\n]*\r?\n)+/, '');

describe('buildTunedQuery placement', () => {
  it('when the summarize starts a line, then rules then lists go on their own lines before it, indented alike', () => {
    const q = 'DeviceNetworkEvents\n  | where RemoteUrl has "ammyy"\n  | summarize Count=count() by DeviceName\n';
    expect(body(tune(q))).toBe(`DeviceNetworkEvents\n  | where RemoteUrl has "ammyy"\n  ${RULE_LINE}\n  ${HOSTS_LINE}\n  | summarize Count=count() by DeviceName\n`);
  });

  it('when the query uses CRLF, then every inserted line ends in CRLF too', () => {
    const q = 'DeviceNetworkEvents\r\n| where RemoteUrl has "ammyy"\r\n| summarize Count=count() by DeviceName\r\n';
    const kql = tune(q, { rules: [{ ...RULE, kql: 'DeviceName =~ "a"\nor DeviceName =~ "b"' }] });
    expect(kql.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(body(kql)).toBe(`DeviceNetworkEvents\r\n| where RemoteUrl has "ammyy"\r\n| where not(coalesce(DeviceName =~ "a"\r\nor DeviceName =~ "b", false))\r\n${HOSTS_LINE}\r\n| summarize Count=count() by DeviceName\r\n`);
  });

  it('when the whole query is one line, then the filters are inserted inline', () => {
    expect(body(tune('DeviceNetworkEvents | where RemotePort == 443 | summarize count() by DeviceName')))
      .toBe(`DeviceNetworkEvents | where RemotePort == 443 ${RULE_LINE} ${HOSTS_LINE} | summarize count() by DeviceName`);
  });

  it('when a list key is computed by the summarize, then its filter goes right after the summarize, before later operators', () => {
    const q = 'DeviceNetworkEvents\n| summarize Count=count() by Host=DeviceName\n| order by Count desc\n';
    const kql = tune(q, { lists: [{ alias: 'by-host', keyColumns: ['Host'], entryCount: 1 }], summarize: { start: q.indexOf('| summarize'), end: q.indexOf('\n| order') } });
    expect(body(kql)).toBe(`DeviceNetworkEvents\n${RULE_LINE}\n| summarize Count=count() by Host=DeviceName\n| where tostring(Host) !in~ ((_GetWatchlist('by-host') | project SearchKey))\n| order by Count desc\n`);
    expect(kql).toContain("'by-host' on Host, 1 active entry, after the final summarize");
  });

  it.each([
    ['ends in a newline', 'DeviceNetworkEvents\n| where RemotePort == 443\n', `DeviceNetworkEvents\n| where RemotePort == 443\n${RULE_LINE}\n${HOSTS_LINE}\n`],
    ['ends without one', 'DeviceNetworkEvents\n| where RemotePort == 443', `DeviceNetworkEvents\n| where RemotePort == 443\n${RULE_LINE}\n${HOSTS_LINE}`],
    ['ends in a semicolon', 'DeviceNetworkEvents\n| take 10;\n', `DeviceNetworkEvents\n| take 10\n${RULE_LINE}\n${HOSTS_LINE};\n`],
    ['ends in a comment', 'DeviceNetworkEvents // all\n', `DeviceNetworkEvents // all\n${RULE_LINE}\n${HOSTS_LINE}\n`],
  ])('when there is no summarize and the query %s, then the filters are appended after its last code', (_case, q, expected) => {
    const kql = tune(q);
    expect(body(kql)).toBe(expected);
    expect(kql).toContain('at the end (the query has no summarize)');
  });

  it.each([
    ['one string column', ['DeviceName'], 'DeviceName !in~'],
    ['one non-string column', ['RemotePort'], 'tostring(RemotePort) !in~'],
    ['a composite key', ['DeviceId', 'DeviceName', 'RemoteUrl'], 'strcat(DeviceId, "|", DeviceName, "|", RemoteUrl) !in~'],
  ])('when the list has %s, then the key expression matches how SearchKey is built', (_case, keyColumns, expected) => {
    expect(tune('DeviceNetworkEvents\n| summarize count() by DeviceName\n', { rules: [], lists: [{ alias: 'k-1', keyColumns, entryCount: 0 }] }))
      .toContain(`| where ${expected} ((_GetWatchlist('k-1') | project SearchKey))`);
  });

  it('when the summarize offsets do not point at its pipe, then it refuses rather than guess', () => {
    expect(() => buildTunedQuery({ query: 'T | summarize count()', summarize: { start: 1, end: 5 }, table: 'T', rules: [], lists: [], tableColumns: [] }))
      .toThrow(RangeError);
  });
});

describe('buildTunedQuery comment block', () => {
  const q = 'DeviceNetworkEvents\n| summarize count() by DeviceName\n';
  const rules: TunedRule[] = [
    RULE,
    { id: 'r2', name: 'Helpdesk tag', version: 1, action: 'flag', kql: 'DeviceName startswith "hd"' },
    { id: 'r3', name: 'Domain admins', version: 4, action: 'suppress', notCompilable: 'user.group needs the group directory' },
    { id: 'r4', name: 'Empty', version: 1, action: 'suppress' },
  ];

  it('when rules of every kind are given, then each is named with id and version and none is dropped', () => {
    const kql = tune(q, { rules, lists: [HOSTS, { alias: 'no-key', keyColumns: [], entryCount: 0 }] });
    const header = kql.slice(0, kql.indexOf('DeviceNetworkEvents'));
    expect(header).toContain('Jump host (rule r1, version 3)');
    expect(header).toMatch(/Flag rules, not filtered[^\n]*\n\/\/ {3}Helpdesk tag \(rule r2, version 1\)/);
    expect(header).toContain('Domain admins (rule r3, version 4): user.group needs the group directory');
    expect(header).toContain('Empty (rule r4, version 1): no KQL form was given');
    expect(header).toContain("'quell-hosts' on DeviceName, 2 active entries, before the final summarize");
    expect(header).toContain("'no-key' on , 0 active entries: NOT applied");
    expect(body(kql)).toBe(`DeviceNetworkEvents\n${RULE_LINE}\n${HOSTS_LINE}\n| summarize count() by DeviceName\n`);
  });

  it('when nothing applies, then the comment says so and the query is unchanged', () => {
    const kql = tune(q, { rules: [], lists: [] });
    expect(kql).toContain('No exclusion rule or suppression list applies');
    expect(body(kql)).toBe(q);
  });

  it('when names, reasons and aliases hold line breaks and quotes, then they stay inside comments and strings', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('\n', '\r', '\r\n', '\u2028', "'", '"', '\\', '|', '/', ' '),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 10 });
    fc.assert(fc.property(text, text, text, (name, reason, alias) => {
      const kql = tune(q, {
        rules: [{ ...RULE, name, id: name }, { id: 'x', name, version: 1, action: 'suppress', notCompilable: reason }],
        lists: [{ alias, keyColumns: ['DeviceName'], entryCount: 1 }],
      });
      const start = kql.indexOf('DeviceNetworkEvents\n');
      for (const line of kql.slice(0, start).split('\n').slice(0, -1)) expect(line.startsWith('//')).toBe(true);
      expect(kql.slice(0, start)).not.toMatch(/[\r\u2028]/);
      const tuned = kql.slice(start);
      expect(tuned.startsWith('DeviceNetworkEvents\n')).toBe(true);
      expect(tuned.endsWith('| summarize count() by DeviceName\n')).toBe(true);
      expect(parseKqlSyntax(kql)).toEqual([]);
    }), { numRuns: 150 });
  });

  it('when the rule and list inputs are given, then they are not changed', () => {
    const input = { rules: structuredClone(rules), lists: [structuredClone(HOSTS)] };
    tune(q, input);
    expect(input).toEqual({ rules, lists: [HOSTS] });
  });
});
