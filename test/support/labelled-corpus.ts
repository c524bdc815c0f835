// A labelled corpus for exclusion mining: benign and malicious populations of DeviceNetworkEvents rows that overlap
// on some fields. Malicious sessions on the helpdesk subnet differ from the helpdesk's own only by parent process;
// the drive-by population uses the same parent as the helpdesk; backup abuse differs from the nightly backup only by
// the hour it runs. Deterministic (seeded), so figures repeat.

export type Population = 'helpdesk' | 'msi-deploy' | 'vendor-kiosk' | 'svc-accounts' | 'night-backup' | 'subnet-intruder' | 'drive-by' | 'backup-abuse';
export const MALICIOUS: ReadonlySet<Population> = new Set(['subnet-intruder', 'drive-by', 'backup-abuse']);

const SHARES: [Population, number][] = [
  ['helpdesk', 0.33], ['msi-deploy', 0.2], ['vendor-kiosk', 0.15], ['svc-accounts', 0.11], ['night-backup', 0.08],
  ['subnet-intruder', 0.06], ['drive-by', 0.05], ['backup-abuse', 0.02],
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

export interface LabelledRow { population: Population; malicious: boolean; raw: Record<string, unknown> }

export function labelledCorpus(n: number, seed = 7): LabelledRow[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const num = (k: number) => String(Math.floor(r() * k)).padStart(3, '0');
  const out: LabelledRow[] = [];
  for (let i = 0; i < n; i++) {
    let x = r(), population: Population = 'helpdesk';
    for (const [p, share] of SHARES) { if (x < share) { population = p; break; } x -= share; }
    const base = { Timestamp: new Date(Date.UTC(2026, 10, 1) + i * 30_000).toISOString(), DeviceId: `dev-${i}`, ReportId: i,
      RemotePort: 443, InitiatingProcessFileName: 'AA_v3.exe', InitiatingProcessAccountDomain: 'CORP', InitiatingProcessVersionInfoCompanyName: 'Ammyy LLC' };
    // The backup runs between 01:00 and 04:00 UTC; whoever abuses its account does so in office hours.
    const at = (from: number, span: number) => { const d = new Date(base.Timestamp); d.setUTCHours(from + Math.floor(r() * span), Math.floor(r() * 60)); return d.toISOString(); };
    const backup = () => ({ DeviceName: `srv-bak-${num(20)}.corp.example`, RemoteIP: `10.30.1.${Math.floor(r() * 250) + 1}`, RemoteUrl: 'rl.ammyy.com',
      InitiatingProcessParentFileName: 'taskeng.exe', InitiatingProcessFolderPath: 'C:\\Program Files\\Backup\\AA_v3.exe', InitiatingProcessAccountName: 'svc-backup' });
    const helpdeskIp = () => `10.20.${Math.floor(r() * 8)}.${Math.floor(r() * 250) + 1}`;
    const rows: Record<Population, () => Record<string, unknown>> = {
      'night-backup': () => ({ ...backup(), Timestamp: at(1, 3) }),
      'backup-abuse': () => ({ ...backup(), Timestamp: at(9, 8) }),
      'helpdesk': () => ({ DeviceName: `hd-ws-${num(400)}.corp.example`, RemoteIP: helpdeskIp(), RemoteUrl: 'rl.ammyy.com',
        InitiatingProcessParentFileName: 'explorer.exe', InitiatingProcessFolderPath: `C:\\Users\\tech${num(30)}\\Desktop\\AA_v3.exe`, InitiatingProcessAccountName: `tech${num(30)}` }),
      'msi-deploy': () => ({ DeviceName: `srv-app-${num(90)}.corp.example`, RemoteIP: `172.16.5.${Math.floor(r() * 250) + 1}`, RemoteUrl: 'deploy.corp.example',
        InitiatingProcessParentFileName: 'msiexec.exe', InitiatingProcessFolderPath: 'C:\\Windows\\Temp\\AA_v3.exe', InitiatingProcessAccountName: 'SYSTEM' }),
      'vendor-kiosk': () => ({ DeviceName: `kiosk-${num(60)}.corp.example`, RemoteIP: `198.51.100.${Math.floor(r() * 250) + 1}`, RemoteUrl: 'rl.ammyy.com',
        InitiatingProcessParentFileName: 'services.exe', InitiatingProcessFolderPath: 'C:\\Program Files\\Ammyy\\AA_v3.exe', InitiatingProcessAccountName: `kiosk${num(60)}` }),
      'svc-accounts': () => ({ DeviceName: `ws-${num(900)}.corp.example`, RemoteIP: `192.168.${Math.floor(r() * 4)}.${Math.floor(r() * 250) + 1}`, RemoteUrl: 'rl.ammyy.com',
        InitiatingProcessParentFileName: pick(['svchost.exe', 'taskeng.exe']), InitiatingProcessFolderPath: 'C:\\ProgramData\\Tools\\AA_v3.exe', InitiatingProcessAccountName: `svc-remote${num(5)}` }),
      'subnet-intruder': () => ({ DeviceName: `hd-ws-${num(400)}.corp.example`, RemoteIP: helpdeskIp(), RemoteUrl: 'rl.ammyy.com',
        InitiatingProcessParentFileName: pick(['cmd.exe', 'powershell.exe', 'wscript.exe']), InitiatingProcessFolderPath: `C:\\Users\\tech${num(30)}\\Desktop\\AA_v3.exe`, InitiatingProcessAccountName: `tech${num(30)}` }),
      'drive-by': () => ({ DeviceName: `ws-${num(900)}.corp.example`, RemoteIP: `203.0.113.${Math.floor(r() * 250) + 1}`, RemoteUrl: pick(['rl.ammyy.com', 'ammyy-update.example']),
        InitiatingProcessParentFileName: 'explorer.exe', InitiatingProcessFolderPath: `C:\\Users\\user${num(900)}\\Downloads\\AA_v3.exe`, InitiatingProcessAccountName: `user${num(900)}` }),
    };
    out.push({ population, malicious: MALICIOUS.has(population), raw: { ...base, ...rows[population]() } });
  }
  return out;
}

/** A random `share` of the rows, the ones an analyst happened to give a verdict (seeded). */
export function sample<T>(rows: readonly T[], share: number, seed = 11): T[] {
  const r = rng(seed);
  return rows.filter(() => r() < share);
}
