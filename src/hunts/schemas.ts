import { Type } from '@sinclair/typebox';
import { Nullable, Page, Time } from '../http/schema-kit.js';
import { RuleView } from '../rules/schemas.js';

export const ImportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('yaml'), Type.Literal('json'), Type.Literal('page')],
    { description: 'how to read the body; detected from the content when absent' })),
  replace: Type.Optional(Type.Boolean({ description: 'true: a document from another source (format or source URL) replaces the hunt of the same id instead of being refused as a conflict' })),
}, { additionalProperties: false });

const Scenario = Type.Object({
  id: Type.String(), position: Type.Integer(), title: Type.String(), description: Nullable(Type.String()),
  filterText: Type.String(), source: Nullable(Type.String()), ruleId: Nullable(Type.String()),
});

/** A Kusto diagnostic of the hunt's query, stored with it and shown as a warning; `Error` means the query is broken. */
const QueryWarning = Type.Object({
  code: Type.String(), severity: Type.String({ description: 'Error (the query is broken: syntax, a misspelt column of a known table) or Warning (a name the analyser does not know)' }), message: Type.String(), line: Type.Integer(), column: Type.Integer(),
  offset: Type.Integer(), length: Type.Integer(),
});

export const HuntView = Type.Object({
  id: Type.String(), name: Type.String(), description: Type.String(), query: Type.String(), table: Nullable(Type.String()),
  tables: Type.Array(Type.String(), { description: 'every source table of the result rows (several for a union)' }),
  groupKeys: Type.Array(Type.String()), tactics: Type.Array(Type.String()), techniques: Type.Array(Type.String()),
  dataTypes: Type.Array(Type.String()), format: Type.String(), sourceUrl: Nullable(Type.String()), version: Type.Integer(),
  warnings: Type.Array(QueryWarning), createdAt: Time, createdBy: Type.String(), updatedAt: Time, updatedBy: Type.String(),
  scenarios: Type.Array(Scenario),
  counts: Type.Object({ open: Type.Integer(), flagged: Type.Integer(), suppressed: Type.Integer(), total: Type.Integer() }),
});

export const HuntPage = Page(HuntView);
export const HuntImported = Type.Intersect([HuntView, Type.Object({ created: Type.Boolean(), changed: Type.Boolean() })]);
export const HuntVersionPage = Page(Type.Object({ version: Type.Integer(), createdAt: Time, createdBy: Type.String(), document: Type.Unknown() }));
export const ScenarioPage = Page(Type.Intersect([Scenario, Type.Object({ huntId: Type.String(), rule: Nullable(RuleView) })]));
