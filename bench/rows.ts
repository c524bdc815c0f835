// Benchmark rows, apart from the app: bench:eval needs these and the language only, not a running Quell.
export const NETCONN = '0e92144a-d108-45dd-abb4-b0200c8c8cd0';

/** Deterministic raw DeviceNetworkEvents rows: a mix of public and RFC1918 destinations, a few process names. */
export function netconnRows(n: number, offset = 0): Record<string, unknown>[] {
  const procs = ['AA_v3.exe', 'ammyy.exe', 'schtasks.exe', 'chrome.exe'];
  const parents = ['explorer.exe', 'msiexec.exe', 'schtasks.exe', 'svchost.exe'];
  const out: Record<string, unknown>[] = [];
  for (let i = offset; i < offset + n; i++) {
    out.push({
      Timestamp: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      DeviceId: `d${(i % 5000).toString(16).padStart(8, '0')}`,
      DeviceName: `ws-${i % 5000}.corp.example`,
      RemoteUrl: `rl${i}.ammyy.com`,
      RemoteIP: i % 3 === 0 ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : `203.0.${(i >> 8) & 255}.${i & 255}`,
      RemotePort: 443,
      LocalIP: '10.1.1.5',
      InitiatingProcessFileName: procs[i % 4],
      InitiatingProcessParentFileName: parents[(i >> 2) % 4],
      InitiatingProcessAccountDomain: 'CORP',
      InitiatingProcessAccountName: `user${i % 300}`,
      InitiatingProcessVersionInfoCompanyName: 'Ammyy LLC',
      InitiatingProcessVersionInfoProductName: 'Ammyy Admin',
      ReportId: i,
    });
  }
  return out;
}
