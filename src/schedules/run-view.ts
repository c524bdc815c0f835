import { isoTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import type { RunView } from './schemas.js';

type RunRow = {
  id: string; huntId: string; connectionId: string; api: string; status: string; trigger: string; triggeredBy: string; timespan: string;
  startedAt: Date; finishedAt: Date | null; attempts: number; rows: number | null; inserted: number | null; merged: number | null;
  rejected: number | null; suppressed: number | null; flagged: number | null; open: number | null; truncated: boolean;
  truncationNote: string | null; error: string | null;
};

export const runView = (r: RunRow): RunView => ({
  ...r, api: r.api as RunView['api'], status: r.status as RunView['status'], trigger: r.trigger as RunView['trigger'],
  startedAt: isoTime(r.startedAt)!, finishedAt: isoTime(r.finishedAt),
});

/** Who a run acts as when it ingests: Quell itself, named after the hunt's schedule so the audit trail says which. */
export const scheduleActor = (huntId: string): Actor => ({ id: null, name: `schedule:${huntId}`, role: 'analyst', via: 'system' });
