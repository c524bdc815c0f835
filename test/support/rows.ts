export const NETCONN = '0e92144a-d108-45dd-abb4-b0200c8c8cd0';
export const FILESIG = '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59';

let n = 0;
/** A raw DeviceNetworkEvents row of the Ammyy netconn hunt; each call is a new device unless overridden. */
export function netconnRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    Timestamp: '2026-11-20T10:00:00Z',
    DeviceId: `dev-${n}-${Math.random().toString(36).slice(2, 8)}`,
    DeviceName: `ws-${n}.corp.example`,
    RemoteUrl: 'rl.ammyy.com',
    RemoteIP: '203.0.113.7',
    RemotePort: 443,
    LocalIP: '10.1.1.5',
    InitiatingProcessFileName: 'AA_v3.exe',
    InitiatingProcessParentFileName: 'explorer.exe',
    InitiatingProcessCommandLine: 'AA_v3.exe -connect',
    InitiatingProcessFolderPath: 'C:\\Users\\bob\\Downloads\\AA_v3.exe',
    InitiatingProcessAccountDomain: 'CORP',
    InitiatingProcessAccountName: 'bob',
    InitiatingProcessVersionInfoCompanyName: 'Ammyy LLC',
    InitiatingProcessVersionInfoProductName: 'Ammyy Admin',
    ReportId: 1000 + n,
    ...over,
  };
}

/** A summarised row as the seed netconn hunt returns it. */
export function summaryRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    DeviceId: `sdev-${n}-${Math.random().toString(36).slice(2, 8)}`, DeviceName: `host-${n}`, RemoteUrl: 'rl.ammyy.com',
    FirstSeen: '2026-11-18T08:00:00Z', LastSeen: '2026-11-19T08:00:00Z', Report: ['11', '12'], Count: 2, ...over,
  };
}
