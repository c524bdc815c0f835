import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page } from '../http/schema-kit.js';

export const TargetsBody = Type.Object({
  connectionIds: Type.Array(Type.String({ minLength: 1 }), { maxItems: 20, uniqueItems: true, description: 'the connections to sync this list to; [] for none' }),
}, { additionalProperties: false });
export type TargetsBody = Static<typeof TargetsBody>;

const TargetView = Type.Object({
  connectionId: Type.String(), connectionName: Type.String(), workspaceName: Type.String(), workspaceId: Type.String(),
  addedAt: Type.String({ format: 'date-time' }), addedBy: Type.String(),
});
export const TargetsView = Type.Object({ listId: Type.String(), targets: Type.Array(TargetView) });

export const SyncBody = Type.Object({
  connectionId: Type.Optional(Type.String({ minLength: 1, description: 'one of the list\'s targets; default: every target' })),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'compute and show the diff, change nothing in Sentinel' })),
}, { additionalProperties: false });
export type SyncBody = Static<typeof SyncBody>;

const Budget = Type.Object({
  month: Type.String({ description: 'YYYY-MM, UTC' }), limit: Type.Integer(), used: Type.Integer(), remaining: Type.Integer(),
});
const RunStatus = Type.Union(['running', 'succeeded', 'failed', 'refused', 'dry-run', 'interrupted'].map((s) => Type.Literal(s)));
const Applied = Type.Object({ created: Type.Integer(), updated: Type.Integer(), deleted: Type.Integer() });

const TargetResult = Type.Object({
  connectionId: Type.String(), connectionName: Type.String(), workspaceName: Type.String(), workspaceId: Type.String(),
  runId: Type.String(), status: RunStatus,
  watchlist: Type.Union([Type.Literal('existing'), Type.Literal('absent'), Type.Literal('created')], { description: 'absent: a dry run found none (a sync creates it)' }),
  diff: Type.Object({ create: Type.Array(Type.String()), update: Type.Array(Type.String()), delete: Type.Array(Type.String()) },
    { description: 'SearchKeys of the items to create, update and delete' }),
  counts: Type.Object({ create: Type.Integer(), update: Type.Integer(), delete: Type.Integer(), unchanged: Type.Integer() }),
  applied: Applied,
  budget: Budget,
  exceedsBudget: Type.Boolean({ description: 'the diff needs more changes than were left this month' }),
  error: Nullable(Type.String()),
});

export const SyncResult = Type.Object({
  listId: Type.String(), alias: Type.String(), dryRun: Type.Boolean(),
  status: Type.Union(['succeeded', 'dry-run', 'partial', 'failed'].map((s) => Type.Literal(s))),
  results: Type.Array(TargetResult),
});

export const RunsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, description: 'nextCursor of the previous page' })),
}, { additionalProperties: false });

const RunView = Type.Object({
  id: Type.String(), listId: Type.String(), connectionId: Type.String(), connectionName: Type.String(), workspaceId: Type.String(),
  watchlistAlias: Type.String(), dryRun: Type.Boolean(), status: RunStatus, startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })), startedBy: Type.String(),
  planned: Type.Object({ create: Type.Integer(), update: Type.Integer(), delete: Type.Integer() }), applied: Applied, error: Nullable(Type.String()),
});
export const RunsPage = Type.Intersect([Page(RunView), Type.Object({
  budgets: Type.Array(Type.Intersect([Type.Object({ connectionId: Type.String(), connectionName: Type.String(), workspaceId: Type.String() }), Budget]),
    { description: "each target workspace's item changes this month" }),
})]);
