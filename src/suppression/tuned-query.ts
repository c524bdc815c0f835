import type { Db } from '../db/database.js';
import { fromJson } from '../db/json.js';
import { sqlTime } from '../db/time.js';
import { notFound } from '../http/errors.js';
import { analyseKql, DEFENDER_TABLES, type KqlDiagnostic } from '../kusto/analyser.js';
import { deriveQueryShape } from '../hunts/shape/query-shape.js';
import { compileRuleToKql } from '../rules/language.js';
import { buildTunedQuery } from './export/index.js';

const sameDiagnostic = (a: KqlDiagnostic, b: KqlDiagnostic) => a.code === b.code && a.message === b.message;

/**
 * The hunt's tuned query (SPEC §7): enabled, unexpired suppress rules in scope compiled to KQL before the final
 * summarize, each list's watchlist exclusion, and a comment naming what was applied and what could not be compiled.
 * It is analysed against the Defender tables: `addedDiagnostics` must stay empty, and a test holds it to that.
 */
export function tunedQueryFor(db: Db, huntId: string) {
  const hunt = db.sqlite.prepare('SELECT "id", "name", "query", "table" FROM "Hunt" WHERE "id" = ?').get(huntId) as
    { id: string; name: string; query: string; table: string | null } | undefined;
  if (!hunt) throw notFound(`hunt ${huntId}`);
  const now = sqlTime(new Date());
  const ruleRows = db.sqlite.prepare(`SELECT "id", "name", "version", "action", "expression", "allHunts", "hunts" FROM "Rule"
    WHERE "enabled" = 1 AND "retired" = 0 AND ("expiresAt" IS NULL OR "expiresAt" > ?) ORDER BY "name", "id"`).all(now) as
    { id: string; name: string; version: number | bigint; action: string; expression: string; allHunts: number | bigint; hunts: string }[];
  const table = hunt.table ?? '';
  const rules = ruleRows
    .filter((r) => Number(r.allHunts) || fromJson<string[]>(r.hunts, []).includes(hunt.id))
    .map((r) => {
      const compiled = table ? compileRuleToKql(r.expression, table) : { notCompilable: 'the hunt has no known source table' };
      return { id: r.id, name: r.name, version: Number(r.version), action: r.action as 'suppress' | 'flag',
        ...('kql' in compiled ? { kql: compiled.kql } : { notCompilable: compiled.notCompilable }) };
    });
  const listRows = db.sqlite.prepare('SELECT "id", "alias", "hunts", "keyColumns" FROM "SuppressionList" ORDER BY "alias"').all() as
    { id: string; alias: string; hunts: string; keyColumns: string }[];
  const lists = listRows.filter((l) => fromJson<string[]>(l.hunts, []).includes(hunt.id)).map((l) => ({
    alias: l.alias, keyColumns: fromJson<string[]>(l.keyColumns, []),
    entryCount: Number((db.sqlite.prepare(`SELECT COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? AND "status" = 'active'
      AND ("expiresAt" IS NULL OR "expiresAt" > ?)`).get(l.id, now) as { n: number | bigint }).n),
  }));
  const shape = deriveQueryShape(hunt.query);
  const { kql } = buildTunedQuery({
    query: hunt.query, summarize: shape.summarize, table, rules, lists,
    tableColumns: (DEFENDER_TABLES[table] ?? []).map((c) => c.name),
  });
  const original = analyseKql(hunt.query);
  const tuned = analyseKql(kql);
  const addedDiagnostics = tuned.filter((d) => !original.some((o) => sameDiagnostic(o, d)));
  return { huntId: hunt.id, kql, rules, lists, originalDiagnostics: original, addedDiagnostics };
}
