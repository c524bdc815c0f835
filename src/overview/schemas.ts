import { Type, type Static } from '@sinclair/typebox';

export const OverviewQuery = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 90, default: 14, description: 'how many UTC days, today included, the figures cover' }),
}, { additionalProperties: false });
export type OverviewQuery = Static<typeof OverviewQuery>;

const Count = Type.Integer({ minimum: 0 });

export const Overview = Type.Object({
  days: Type.Integer(),
  hitsByDay: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), open: Count, flagged: Count, suppressed: Count }),
    { description: 'hits by UTC day of lastSeen and current status, every day of the range, oldest first' }),
  topRules: Type.Array(Type.Object({ ruleId: Type.String(), name: Type.String(), suppressed: Count }),
    { description: 'the 10 rules suppressing the most hits now' }),
  queueAge: Type.Array(Type.Object({
    bucket: Type.Union(['<1d', '1-3d', '3-7d', '>7d'].map((b) => Type.Literal(b))), count: Count,
  }), { description: 'the open queue (open or flagged, no verdict) by age since the hit was stored' }),
  verdictsByAnalyst: Type.Array(Type.Object({ analyst: Type.String(), benign: Count, malicious: Count }),
    { description: 'verdicts recorded in the range, most first' }),
  expiringEntries: Type.Array(Type.Object({
    listId: Type.String(), alias: Type.String(), entryId: Type.String(), searchKey: Type.String(), expiresAt: Type.String({ format: 'date-time' }),
  }), { description: 'active list entries expiring within 14 days, soonest first, at most 50' }),
});
