import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { netconnRow, NETCONN } from '../support/rows.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';

// Two re-evaluations that overlap: the older one's rules were read before a rule was disabled. Whatever their pages'
// interleaving, the hits must end as the rules now say, never as the older one saw them.
describe('re-evaluations one after another', () => {
  let t: TestApp;
  let ruleId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const rows = Array.from({ length: 60 }, (_, i) => netconnRow({ RemotePort: 7000 + (i % 3) }));
    const r = await t.services.ingest.ingest(SYSTEM_ACTOR, NETCONN, JSON.stringify(rows), 'application/json');
    expect(r.inserted).toBe(60);
    const rule = await t.services.rules.create(SYSTEM_ACTOR, { name: 'every overlap hit', expression: 'destination.port in (7000, 7001, 7002)',
      scope: { hunts: [NETCONN] }, action: 'suppress' });
    ruleId = rule.id;
    expect(rule.reevaluation.changed).toBe(60);
  });
  afterAll(async () => { await t?.close(); });

  it('when a slow re-evaluation with the rule still enabled overlaps a quick one after it was disabled, then no hit stays suppressed by it', async () => {
    const { services } = t;
    const stale = await services.contexts.load();
    // The older job: the rule enabled in its context, small pages, so it is still going when the newer one runs.
    const older = services.reevaluator.reevaluate({ huntIds: [NETCONN] }, { batchSize: 3, context: stale });
    // Disabled behind Quell's back (no re-evaluation of its own), then the newer job: one page for every hit.
    await services.db.sql.run('UPDATE "Rule" SET "enabled" = ? WHERE "id" = ?', [false, ruleId]);
    const newer = services.reevaluator.reevaluate({ huntIds: [NETCONN] }, { batchSize: 1_000 });
    await Promise.all([older, newer]);
    const held = await services.db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM "Hit" WHERE "matches" LIKE ?', [`%${ruleId}%`]);
    expect(held).toEqual({ n: 0 });
  });
});
