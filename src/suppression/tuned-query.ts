import type { Db } from '../db/database.js';
import { notFound } from '../http/errors.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import { activeRules } from '../rules/rules-store.js';
import { listsServingHunt } from './lists-store.js';
import { activeEntryCount } from './entries-store.js';
import { analyseKql, DEFENDER_TABLES, type KqlDiagnostic } from '../kusto/analyser.js';
import { finalSummarizeSpan } from '../hunts/shape/query-shape.js';
import { compileRuleToKql } from '../rules/language.js';
import { buildTunedQuery } from './export/index.js';
import { partAliasesOf } from './export-parts.js';

const sameDiagnostic = (a: KqlDiagnostic, b: KqlDiagnostic) => a.code === b.code && a.message === b.message;

/**
 * The hunt's tuned query (SPEC §7): enabled, unexpired suppress rules in scope compiled to KQL before the final
 * summarize, each list's watchlist exclusion (through every numbered watchlist of a list too large for one), and a
 * comment naming what was applied and what could not be compiled.
 * It is analysed against the Defender tables: `addedDiagnostics` must stay empty, and a test holds it to that.
 */
export async function tunedQueryFor(db: Db, huntId: string) {
  const hunt = await findHuntCore(db.sql, huntId);
  if (!hunt) throw notFound(`hunt ${huntId}`);
  const now = new Date();
  const table = hunt.table ?? '';
  const rules = (await activeRules(db.sql, now))
    .filter((r) => r.hunts === null || r.hunts.includes(hunt.id))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => {
      const compiled = table ? compileRuleToKql(r.expression, table) : { notCompilable: 'the hunt has no known source table' };
      return { id: r.id, name: r.name, version: r.version, action: r.action,
        ...('kql' in compiled ? { kql: compiled.kql } : { notCompilable: compiled.notCompilable }) };
    });
  const lists = [];
  for (const l of await listsServingHunt(db.sql, hunt.id)) {
    const entryCount = await activeEntryCount(db.sql, l.id, now);
    // A list exported as numbered watchlists is excluded through all of them (SPEC §7).
    const partAliases = await partAliasesOf(db.sql, l, entryCount, now);
    lists.push({ alias: l.alias, keyColumns: l.keyColumns, entryCount, ...(partAliases ? { partAliases } : {}) });
  }
  const { kql } = buildTunedQuery({
    query: hunt.query, summarize: finalSummarizeSpan(hunt.query), table, rules, lists,
    tableColumns: (DEFENDER_TABLES[table] ?? []).map((c) => c.name),
  });
  const original = analyseKql(hunt.query);
  const tuned = analyseKql(kql);
  const addedDiagnostics = tuned.filter((d) => !original.some((o) => sameDiagnostic(o, d)));
  return { huntId: hunt.id, kql, rules, lists, originalDiagnostics: original, addedDiagnostics };
}
