import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAudit, recordAuditSql } from '../audit/audit-store.js';
import { badRequest, notFound } from '../http/errors.js';
import type { Reevaluator } from '../evaluation/reevaluate.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import { foldAscii } from '../language/index.js';
import { compileRule } from '../rules/language.js';
import { activeRules } from '../rules/rules-store.js';
import type { RulesService } from '../rules/rules-service.js';
import { entriesOfList, entryView, type EntryRow } from '../suppression/entries-store.js';
import type { ListsService } from '../suppression/lists-service.js';
import { listsServingHunt } from '../suppression/lists-store.js';
import { dismissalKey, suggestEntries } from './entry-suggestions.js';
import { createHitCache, type SuggestionHit } from './hit-cache.js';
import { mine } from './mine.js';
import { dismissedExpressions, insertDismissal } from './suggestions-store.js';
import type { AcceptBody, Suggestion } from './schemas.js';

const LIFETIME_DAYS = 90;
// Suggested expressions name only canonical fields (atoms.ts), so the language checks them without the raw row.
const NO_RAW: Readonly<Record<string, unknown>> = Object.freeze({});
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Suggested exclusions for a hunt, mined from its verdicts (SPEC §5 rules, Julisch-style root causes): what most benign
 * verdicts share and no malicious verdict has. Each rule is checked again with the language itself before it is shown,
 * so what an admin accepts is exactly what was counted. A second pass mines the hits without a verdict, as candidates;
 * benign verdicts no rule generalises are offered as exact keys of the hunt's lists.
 */
export function createSuggestionsService(db: Db, rules: Pick<RulesService, 'create'>, lists: Pick<ListsService, 'addEntrySql' | 'affectedBy' | 'listOrThrow'>,
  reevaluator: Pick<Reevaluator, 'reevaluate'>) {
  const { load } = createHitCache(db);

  async function suggest(huntId: string, opts: { minSupport?: number } = {}) {
    const t0 = performance.now();
    if (!await findHuntCore(db.sql, huntId)) throw notFound(`hunt ${huntId}`);
    const serving = await listsServingHunt(db.sql, huntId);
    // What is already dismissed or already a rule is not suggested. Everything is read before the hits, and nothing is
    // awaited once they are loaded: the verdicts mining separates are the ones the safety check counts (hit-cache.ts).
    const dismissed = new Set([...await dismissedExpressions(db.sql, huntId),
      ...(await activeRules(db.sql, new Date())).filter((r) => !r.hunts || r.hunts.includes(huntId)).map((r) => r.expression)]);
    const entriesByList: EntryRow[][] = [];
    for (const l of serving) entriesByList.push(await entriesOfList(db.sql, l.id));
    const hits = await load(huntId, serving);
    const benign = hits.filter((h) => h.verdict === 'benign'), malicious = hits.filter((h) => h.verdict === 'malicious');
    const unlabelled = hits.filter((h) => h.verdict === null);
    const minSupport = opts.minSupport ?? Math.max(5, Math.ceil(benign.length * 0.01));
    // Mining looks at the benign hits still in the queue.
    const fromVerdicts = mine(benign.filter((h) => !h.suppressed), malicious, { minSupport, limit: 10 });
    const explained = (h: SuggestionHit) => fromVerdicts.some((s) => s.atoms.every((a) => a.test(h.fields)));
    // Candidates from hits without a verdict: mined on an even sample of at most 5,000 of them, support scaled to it.
    const rest = unlabelled.filter((h) => !h.suppressed && !explained(h));
    const step = Math.max(1, Math.ceil(rest.length / 5_000));
    const sampled = step === 1 ? rest : rest.filter((_, i) => i % step === 0);
    const fromUnlabelled = mine(sampled, malicious, { minSupport: Math.max(minSupport, 20, Math.ceil(sampled.length * 0.02)), limit: 5 });
    const expiresAt = new Date(Date.now() + LIFETIME_DAYS * 86_400_000).toISOString();
    const ruled = [...fromVerdicts.map((s) => ({ s, source: 'benign-verdicts' as const })), ...fromUnlabelled.map((s) => ({ s, source: 'unlabelled' as const }))]
      .filter(({ s }) => !dismissed.has(s.expression))
      .flatMap(({ s, source }) => {
        const rule = compileRule(s.expression);
        if (!rule) return [];
        const count = (xs: readonly SuggestionHit[]) => xs.reduce((n, h) => n + (rule.holds({ fields: h.fields, raw: NO_RAW }) ? 1 : 0), 0);
        if (count(malicious)) return []; // never shown: the mining and the language disagree, and the language decides
        const benignCovered = count(benign), unlabelledCovered = count(unlabelled);
        const reason = source === 'benign-verdicts'
          ? `${plural(benignCovered, 'benign verdict')} on ${s.reason}`
          : `${s.covered} hits without a verdict on ${s.reason}; no verdict backs this yet, so review them before accepting`;
        const item: Suggestion = { id: idOf(huntId, s.expression), kind: 'rule', source, expression: s.expression, list: null, entries: [],
          benign: { count: benignCovered, share: benign.length ? benignCovered / benign.length : 0 },
          unlabelled: unlabelledCovered, malicious: 0, examples: s.examples, scope: { hunts: [huntId] }, expiresAt, reason };
        return [{ item, rule }];
      });
    const backed = ruled.filter((r) => r.item.source === 'benign-verdicts').map((r) => r.rule);
    const ruleExplains = (h: SuggestionHit) => backed.some((rule) => rule.holds({ fields: h.fields, raw: NO_RAW }));
    const live = entriesByList.map((list) => new Set(list.map((e) => entryView(e)).filter((e) => e.status === 'active' || e.status === 'pending')
      .map((e) => foldAscii(e.searchKey))));
    const entryItems: Suggestion[] = suggestEntries(serving, hits, ruleExplains, live, dismissed)
      .map((e) => {
        const list = serving.find((l) => l.id === e.list.id)!;
        return { id: idOf(huntId, `entries ${e.list.id} ${e.entries.map((x) => foldAscii(x.searchKey)).join('\n')}`), kind: 'entries' as const, source: 'benign-verdicts' as const,
          expression: null, list: e.list, entries: e.entries, benign: { count: e.benign, share: benign.length ? e.benign / benign.length : 0 },
          unlabelled: e.unlabelled, malicious: 0, examples: e.examples, scope: { hunts: list.hunts },
          expiresAt: new Date(Date.now() + list.entryLifetimeDays * 86_400_000).toISOString(),
          reason: `${plural(e.benign, 'benign verdict')} on ${plural(e.entries.length, 'key')} no rule generalises: exact entries in watchlist ${e.list.alias} fit better` };
      });
    return { huntId, verdicts: { benign: benign.length, malicious: malicious.length }, unlabelled: unlabelled.length, minSupport,
      computedMs: Math.round(performance.now() - t0), items: [...ruled.map((r) => r.item), ...entryItems], nextCursor: null };
  }

  async function find(huntId: string, id: string) {
    const s = (await suggest(huntId)).items.find((x) => x.id === id);
    if (!s) throw notFound(`suggestion ${id} for hunt ${huntId} (suggestions change as verdicts do: reload them)`);
    return s;
  }

  /** Accepting goes the normal way: a rule through rules.create (validation, rail, re-evaluation, audit), entries as the list adds them. */
  async function accept(actor: Actor, id: string, body: AcceptBody) {
    const s = await find(body.huntId, id);
    const justification = [`Accepted suggestion ${s.id}: ${s.reason}`, body.justification].filter(Boolean).join(' — ');
    if (s.kind === 'entries') {
      if (body.name !== undefined || body.force !== undefined) throw badRequest('name and force apply to rule suggestions, not to list entries',
        [{ pointer: body.name !== undefined ? '/name' : '/force', message: 'only for a rule suggestion' }]);
      const list = await lists.listOrThrow(db.sql, s.list!.id);
      const added = await db.bulk(async (sql) => {
        const out = [];
        for (const e of s.entries) {
          out.push(await lists.addEntrySql(sql, actor, list, { values: e.values, reason: justification.slice(0, 2000),
            expiresAt: entryExpiry(body.expiresAt, s.expiresAt) }));
        }
        await recordAuditSql(sql, { actor, action: 'suggestion.accept', entityType: 'suggestion', entityId: s.id, after: { ...s, entryIds: out.map((r) => r.entry.id) } });
        return out;
      });
      let reevaluated = 0;
      for (const a of added) if (a.created && a.entry.status === 'active') reevaluated += (await reevaluator.reevaluate(lists.affectedBy(list, a.entry))).changed;
      return { suggestion: s, entries: added.map((a) => entryView(a.entry)), reevaluated };
    }
    const rule = await rules.create(actor, {
      name: body.name ?? `Suggested: ${s.reason}`.slice(0, 200), expression: s.expression!, scope: s.scope, action: 'suppress', enabled: true,
      expiresAt: body.expiresAt === undefined ? s.expiresAt : body.expiresAt, force: body.force,
      description: `Mined from verdicts: ${s.reason}. Benign covered ${s.benign.count}, without a verdict ${s.unlabelled}, malicious 0.`, justification,
    });
    await db.write((tx) => recordAudit(tx, { actor, action: 'suggestion.accept', entityType: 'suggestion', entityId: s.id, after: { ...s, ruleId: rule.id } }));
    return { suggestion: s, rule };
  }

  /** A dismissed rule is remembered by its expression; dismissed entries by each key, so a later set omits them. */
  async function dismiss(actor: Actor, id: string, huntId: string) {
    const s = await find(huntId, id);
    const keys = s.kind === 'entries' ? s.entries.map((e) => dismissalKey(s.list!.id, foldAscii(e.searchKey))) : [s.expression!];
    await db.bulk(async (sql) => {
      for (const expression of keys) await insertDismissal(sql, { huntId, expression, by: actor.name, at: new Date() });
      await recordAuditSql(sql, { actor, action: 'suggestion.dismiss', entityType: 'suggestion', entityId: s.id, after: s });
    });
    return { suggestion: s, dismissed: true as const };
  }

  return { suggest, accept, dismiss };
}

// Entries always expire (SPEC §7): no expiry (null) for them means the list's own lifetime.
const entryExpiry = (asked: string | null | undefined, proposed: string | null) => (asked === null ? undefined : asked ?? proposed ?? undefined);

const idOf = (huntId: string, text: string) => createHash('sha256').update(`${huntId}\n${text}`).digest('hex').slice(0, 20);

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;
