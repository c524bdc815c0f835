import type { ExportEntry, WatchlistMeta } from '../../../src/suppression/export/index.js';

/** A small list whose entries exercise every quoting and neutralising rule; the golden files are built from it. */
export const TRICKY_LIST = { keyColumns: ['DeviceName', 'RemoteUrl'] };

export const TRICKY_META: WatchlistMeta = {
  alias: 'quell-tricky-fp',
  displayName: 'Quell tricky entries',
  description: '[Known benign] Ammyy sessions, ticket 4411',
  labels: ['quell', '[rmm]'],
};

const entry = (deviceName: string, remoteUrl: string, rest: Partial<ExportEntry>): ExportEntry => ({
  searchKey: `${deviceName}|${remoteUrl}`, values: { DeviceName: deviceName, RemoteUrl: remoteUrl },
  reason: 'benign', addedBy: 'analyst1', addedAt: '2026-05-01T09:00:00.000Z', expiresAt: '2026-07-30T09:00:00.000Z', ...rest,
});

export const TRICKY_ENTRIES: ExportEntry[] = [
  entry('Host,One', 'rl.ammyy.com', { reason: 'helpdesk, ticket 4411' }),
  entry('ws-"quoted"', 'ammyy.com', { reason: 'the user said "it is IT"' }),
  entry('ws-02.contoso.local', 'ammyy.com', { reason: 'line one\nline two\r\nline three' }),
  entry('ws-03', 'ammyy.com', { reason: "=cmd|' /C calc'!A0", addedBy: '@mallory' }),
  entry('münchen-pc.contoso.de', 'ammyy.com:443', { reason: 'Zürich → 東京 😀', expiresAt: null }),
  entry(' spaced host ', 'ammyy.com', { reason: '-2+3', addedBy: '+analyst' }),
  entry('ws-04', 'http://ammyy.com/a?b=c', { reason: '\tleading tab' }),
];

/** The Reason/AddedBy value expected back from the CSV: a `'` in front of text a spreadsheet would run as a formula. */
export const neutralised = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
