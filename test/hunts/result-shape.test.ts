import { describe, it, expect } from 'vitest';
import { deriveQueryShape } from '../../src/hunts/shape/query-shape.js';
import { analyseKql, DEFENDER_TABLES } from '../../src/kusto/analyser.js';

describe('group keys are the columns the query really returns (Microsoft\'s analyser)', () => {
  const cases: [string, string, string[]][] = [
    ['a tostring() key', 'DeviceProcessEvents | extend CommandLineParsed = parse_json(ProcessCommandLine)\n| summarize c = count() by DeviceId, tostring(CommandLineParsed)',
      ['DeviceId', 'CommandLineParsed']],
    ['dynamic members turned to strings', 'SigninLogs | extend OS = DeviceDetail.operatingSystem, Browser = DeviceDetail.browser\n| summarize count() by UserPrincipalName, tostring(OS), tostring(Browser)',
      ['UserPrincipalName', 'OS', 'Browser']],
    ['a key a later project drops', 'DeviceNetworkEvents | summarize count() by DeviceId, DeviceName, RemoteUrl | project DeviceId, RemoteUrl, count_', ['DeviceId', 'RemoteUrl']],
    ['a key project-away removes', 'DeviceNetworkEvents | summarize count() by DeviceId, DeviceName | project-away DeviceName', ['DeviceId']],
    ['a key renamed later', 'Syslog | summarize makeset(SyslogMessage) by bin(TimeGenerated, 10m), Computer | project T = TimeGenerated, Computer', ['T', 'Computer']],
    ['a key renamed by project-rename', 'DeviceFileEvents | summarize count() by DeviceName | project-rename Host = DeviceName', ['Host']],
    ['a final join: not the summarize keys', 'DeviceFileEvents | summarize count() by DeviceId | join kind=inner (DeviceInfo) on DeviceId', []],
    ['a final mv-expand', 'DeviceFileEvents | summarize s = make_set(FileName) by DeviceId | mv-expand s', []],
    ['no summarize', 'DeviceFileEvents | where FileName endswith ".exe"', []],
    ['the summarize inside a let', 'let x = DeviceFileEvents | summarize count() by DeviceId, FileName;\nx | where count_ > 1', ['DeviceId', 'FileName']],
  ];
  for (const [what, query, keys] of cases) {
    it(`when the query has ${what}, then the group keys are ${keys.join(', ') || 'none'}`, () => {
      expect(deriveQueryShape(query).groupKeys).toEqual(keys);
    });
  }
});

describe('the table is the real source, through lets, functions and unions', () => {
  const cases: [string, string, string | null, string[]][] = [
    ['a let variable', 'let recentActivity = DeviceProcessEvents | where Timestamp > ago(1d);\nrecentActivity | summarize by DeviceId', 'DeviceProcessEvents', ['DeviceProcessEvents']],
    ['a materialized let', 'let FileCreation = materialize(DeviceFileEvents | where ActionType == "FileCreated");\nFileCreation | project DeviceName', 'DeviceFileEvents', ['DeviceFileEvents']],
    ['a union of lets', 'let a = DeviceRegistryEvents | project Timestamp;\nlet b = DeviceFileEvents;\na | union kind=outer b', null, ['DeviceRegistryEvents', 'DeviceFileEvents']],
    ['a union at the start', 'union DeviceProcessEvents, DeviceFileEvents | project FileName', null, ['DeviceProcessEvents', 'DeviceFileEvents']],
    ['a function of the query', 'let f = () { SecurityEvent | project Computer };\nf | summarize by Computer', 'SecurityEvent', ['SecurityEvent']],
    ['a join (the left side is the source)', 'DeviceNetworkEvents | join kind=inner DeviceLogonEvents on DeviceId', 'DeviceNetworkEvents', ['DeviceNetworkEvents']],
    ['a table the analyser does not know', 'MyApp_CL | summarize by Computer', 'MyApp_CL', ['MyApp_CL']],
  ];
  for (const [what, query, table, tables] of cases) {
    it(`when the source is ${what}, then the table is ${table} and the tables ${tables.join(', ')}`, () => {
      expect(deriveQueryShape(query)).toMatchObject({ table, tables });
    });
  }
});

describe('diagnostics mean something: real errors are errors, unknown names on unknown tables warnings', () => {
  const cases: [string, string, string[]][] = [
    ['a mismatched quote', "DeviceProcessEvents | where FileName == 'cmd.exe", ['Error']],
    ['a misspelt column of a known table', 'DeviceFileEvents | where FileNme == "x"', ['Error']],
    ['an unknown table and its columns', 'DeviceInfo | join (MyApp_CL) on Bar', ['Warning', 'Warning']],
    ['a Sentinel table with its own columns', 'SigninLogs | where ResultType == 0 | summarize by UserPrincipalName, IPAddress, tostring(LocationDetails.city)', []],
    ['a Defender table in Sentinel, timed by TimeGenerated', 'DeviceRegistryEvents | where TimeGenerated > ago(1d) | project RegistryKey', []],
  ];
  for (const [what, query, severities] of cases) {
    it(`when the query has ${what}, then the diagnostics are ${severities.join(', ') || 'none'}`, () => {
      expect(analyseKql(query).map((d) => d.severity)).toEqual(severities);
    });
  }

  it('when the table data is read, then the Defender XDR and common Sentinel tables are declared with TimeGenerated', () => {
    for (const t of ['DeviceFileEvents', 'DeviceEvents', 'DeviceLogonEvents', 'DeviceInfo', 'DeviceRegistryEvents', 'DeviceImageLoadEvents',
      'DeviceNetworkInfo', 'EmailEvents', 'EmailAttachmentInfo', 'EmailUrlInfo', 'IdentityLogonEvents', 'IdentityQueryEvents',
      'IdentityDirectoryEvents', 'CloudAppEvents', 'AlertInfo', 'AlertEvidence', 'SecurityEvent', 'SigninLogs', 'AuditLogs', 'OfficeActivity',
      'CommonSecurityLog', 'Syslog']) {
      expect(DEFENDER_TABLES[t]?.some((c) => c.name === 'TimeGenerated' && c.type === 'datetime'), t).toBe(true);
    }
    expect(Object.keys(DEFENDER_TABLES).slice(0, 3)).toEqual(['DeviceNetworkEvents', 'DeviceFileCertificateInfo', 'DeviceProcessEvents']);
  });
});
