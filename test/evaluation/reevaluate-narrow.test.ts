import { describe, it, expect, beforeAll, afterAll, onTestFinished } from 'vitest';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { netconnRow, summaryRow, NETCONN, FILESIG } from '../support/rows.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { CANONICAL_FIELDS } from '../../src/fields/catalog.js';
import { normaliseRow } from '../../src/fields/normalise.js';
import { hitsToEvaluate, iterateHits, type Affected, type HitToEvaluate } from '../../src/hits/hits-store.js';
import { evaluateHit, type EvalRule } from '../../src/evaluation/evaluate.js';
import { fieldReader } from '../../src/evaluation/hit-fields.js';
import { fieldsReadFor } from '../../src/evaluation/evaluation-context.js';
import type { BackgroundWriter } from '../../src/db/database.js';

// Re-evaluation derives only the canonical fields its rules read, reads only the columns it needs and writes only
// what changed (issue #14). These tests hold it to the full path it replaced: same statuses, same matches, stored.

const pick = (o: Record<string, unknown>, keys: ReadonlySet<string>) => Object.fromEntries(Object.entries(o).filter(([k]) => keys.has(k)));

describe('normaliseRow narrowed to some fields derives each of them as the full derivation does', () => {
  const tables = [...new Set(CANONICAL_FIELDS.flatMap((f) => Object.keys(f.sources)))];
  const columnsOf = (table: string) => [...new Set(CANONICAL_FIELDS.flatMap((f) => {
    const src = f.sources[table] as Record<string, unknown> | undefined;
    if (!src) return [];
    return Object.values(src).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).filter((x): x is string => typeof x === 'string') : []));
  })), 'Timestamp', 'TimeGenerated', 'ReportId', 'Report'];
  const cell = fc.oneof(fc.constant(''), fc.constant(null), fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 70000 }),
    fc.constantFrom('10.1.2.3', '203.0.113.9:443', '[2001:db8::1]:80', '-', 'https://a.example.com:8443/x?y', 'CORP\\bob',
      'C:\\Windows\\System32\\cmd.exe', '2026-11-20T10:00:00Z', '2026-11-20 10:00:00.1234567', 'not a date', '["1","2"]', '[bad'));

  for (const table of tables) {
    it(`when a ${table} row is normalised for any subset of fields, then those fields equal the full row's`, () => {
      const columns = columnsOf(table);
      const names = CANONICAL_FIELDS.map((f) => f.name);
      fc.assert(fc.property(fc.dictionary(fc.constantFrom(...columns), cell), fc.subarray(names), (raw, wanted) => {
        const only = new Set(wanted);
        const full = normaliseRow(table, raw);
        expect(normaliseRow(table, raw, only).fields).toEqual(pick(full.fields, only));
      }), { numRuns: 150 });
    });
  }
});

// No single table: each row's table is inferred from its columns, or named by a streaming record's category.
const UNION = {
  id: 'c0ffee00-0000-4000-8000-00000000b014', name: 'Ammyy across network and process events', description: 'union hunt',
  query: 'union DeviceNetworkEvents, DeviceProcessEvents\n| where InitiatingProcessFileName =~ "ammyy.exe"',
};

describe('re-evaluation gives what evaluating every hit with all its fields gives, and writes only changes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const { services } = t;
    await services.hunts.importHunt(SYSTEM_ACTOR, JSON.stringify(UNION), 'json');
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => netconnRow({
        InitiatingProcessParentFileName: ['schtasks.exe', 'explorer.exe'][i % 2], RemoteIP: i % 3 ? `203.0.1.${i}` : `10.0.0.${i}`,
        InitiatingProcessFileName: ['AA_v3.exe', 'chrome.exe', 'ammyy.exe'][i % 3], InitiatingProcessAccountName: ['alice', 'bob'][i % 2] })),
      ...Array.from({ length: 10 }, () => summaryRow()),
    ];
    const streamed = { records: Array.from({ length: 5 }, (_, i) => ({ category: 'AdvancedHunting-DeviceProcessEvents',
      properties: { Timestamp: '2026-11-20T10:00:00Z', DeviceId: `p-${i}`, DeviceName: `pc-${i}`, FileName: 'ammyy.exe',
        InitiatingProcessFileName: i % 2 ? 'msiexec.exe' : 'explorer.exe', AccountDomain: 'CORP', AccountName: 'alice', ReportId: i } })) };
    const certs = Array.from({ length: 6 }, (_, i) => ({ Timestamp: '2026-11-20T10:00:00Z', DeviceId: `c-${i}`, DeviceName: `cert-${i}`,
      Signer: i % 2 ? 'Ammyy LLC' : 'Microsoft', Issuer: 'DigiCert', SHA1: `${i}`.repeat(40).slice(0, 40), ReportId: i }));
    for (const [hunt, body] of [[NETCONN, rows], [UNION.id, streamed], [UNION.id, rows.slice(0, 8)], [FILESIG, certs]] as const) {
      const r = await services.ingest.ingest(SYSTEM_ACTOR, hunt, JSON.stringify(body), 'application/json');
      expect(r.rejected, JSON.stringify(r.rejected)).toEqual([]);
    }
    await services.directory.upload(SYSTEM_ACTOR, 'user,group\nCORP\\alice,Domain Admins\n');
    for (const [expression, action, scope] of [
      ['process.parent.name == "schtasks.exe" and destination.ip in ("203.0.0.0/16")', 'suppress', { hunts: [NETCONN] }],
      ['user.group == "Domain Admins"', 'flag', { allHunts: true }],
      ['InitiatingProcessFileName == "chrome.exe"', 'flag', { hunts: [NETCONN] }],
      ['file.code_signature.subject_name contains "ammyy"', 'suppress', { allHunts: true }],
      ['process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"', 'suppress', { allHunts: true }],
    ] as const) {
      await services.rules.create(SYSTEM_ACTOR, { name: expression.slice(0, 40), expression, action, scope: scope as never });
    }
    // Malicious verdicts keep their matches, marked overridden; stale stored outcomes make re-evaluation write.
    const ids = (await services.db.sql.all<{ id: string }>('SELECT "id" FROM "Hit" ORDER BY "id"')).map((r) => r.id);
    for (const [i, id] of ids.entries()) {
      if (i % 7 === 0) await services.db.sql.run(`UPDATE "Hit" SET "verdict" = 'malicious' WHERE "id" = ?`, [id]);
      if (i % 2 === 0) await services.db.sql.run(`UPDATE "Hit" SET "status" = 'open', "matches" = '[]' WHERE "id" = ?`, [id]);
    }
    if (services.db.dialect === 'sqlite') {
      await services.db.bulk(async (sql) => {
        await sql.run('CREATE TABLE "TestHitWrites" ("n" INTEGER NOT NULL)');
        await sql.run('INSERT INTO "TestHitWrites" VALUES (0)');
        await sql.run('CREATE TRIGGER "TestHitWritten" AFTER UPDATE ON "Hit" BEGIN UPDATE "TestHitWrites" SET "n" = "n" + 1; END');
      });
    }
  });
  afterAll(async () => { await t.close(); });

  /** The path re-evaluation replaced: every column, every canonical field. */
  async function expected(affected: Affected) {
    const ctx = await t.services.contexts.load();
    const fields = await fieldReader(t.services.db.sql);
    const out = new Map<string, { status: string; matches: string }>();
    for await (const batch of iterateHits(t.services.db.sql, affected)) {
      for (const h of batch) { const ev = evaluateHit(ctx, h.huntId, fields(h), h.verdict); out.set(h.id, { status: ev.status, matches: JSON.stringify(ev.matches) }); }
    }
    return out;
  }
  const stored = async () => new Map((await t.services.db.sql.all<{ id: string; status: string; matches: string }>(`SELECT "id", "status", "matches" FROM "Hit"`))
    .map((r) => [r.id, { status: r.status, matches: r.matches }]));
  // Rows written since a mark: on SQLite a trigger of the test's own counts updates of Hit (on every connection: long
  // re-evaluations write from a second one); on PostgreSQL a row that is written gets a new version, whose xmin (the
  // writing transaction) differs from the old one's.
  const writeMark = async () => (t.services.db.dialect === 'sqlite'
    ? { n: (await t.services.db.sql.get<{ n: number }>('SELECT "n" FROM "TestHitWrites"'))!.n, versions: new Map<string, string>() }
    : { n: 0, versions: new Map((await t.services.db.sql.all<{ id: string; v: string }>('SELECT "id", xmin::text AS v FROM "Hit"')).map((r) => [r.id, r.v])) });
  /** How many background writers the Db opens from now on (for the test that has just begun). */
  /** For the test that has just begun, the Db's background writers are what `wrap` makes of the real ones (null on PostgreSQL). */
  function wrapBackgroundWriters(wrap: (real: BackgroundWriter | null) => BackgroundWriter | null) {
    const db = t.services.db, original = db.backgroundWriter;
    db.backgroundWriter = () => wrap(original());
    onTestFinished(() => { db.backgroundWriter = original; });
  }
  function countBackgroundWriters() {
    let n = 0;
    wrapBackgroundWriters((w) => { if (w) n++; return w; });
    return () => n;
  }
  async function writtenSince(mark: Awaited<ReturnType<typeof writeMark>>) {
    const now = await writeMark();
    return t.services.db.dialect === 'sqlite' ? now.n - mark.n : [...now.versions].filter(([id, v]) => mark.versions.get(id) !== v).length;
  }

  it('when every hit is re-evaluated, then each stores the status and matches of the full evaluation, and only changed hits are written', async () => {
    const want = await expected({ all: true });
    const before = await stored();
    const differing = [...want].filter(([id, w]) => before.get(id)!.status !== w.status || before.get(id)!.matches !== w.matches).length;
    expect(differing).toBeGreaterThan(0);
    const writes0 = await writeMark();
    const opened = countBackgroundWriters();
    const res = await t.services.reevaluator.reevaluate({ all: true }, { batchSize: 7 });
    // Past its first page a re-evaluation on SQLite writes from a second thread; PostgreSQL has no use for one.
    expect(opened()).toBe(t.services.db.dialect === 'sqlite' ? 1 : 0);
    expect(await writtenSince(writes0)).toBe(differing);
    expect(res).toEqual({ examined: want.size, changed: differing });
    expect(await stored()).toEqual(want);
    const statuses = new Set([...want.values()].map((w) => w.status));
    expect(statuses).toEqual(new Set(['open', 'flagged', 'suppressed']));
    expect([...want.values()].some((w) => w.matches.includes('malicious-verdict'))).toBe(true);

    const again = await writeMark();
    expect((await t.services.reevaluator.reevaluate({ all: true })).changed).toBe(0);
    expect(await writtenSince(again)).toBe(0);
  });

  it('when a hit changes between the read of its page and the write of its outcome, then it is left alone there and evaluated again', async () => {
    await t.services.db.sql.run(`UPDATE "Hit" SET "status" = 'open', "matches" = '[]'`);
    const db = t.services.db;
    const touched: (number | string)[] = [];
    // Stands in for a verdict landing while a page is in flight: the first hit of each batch is judged malicious (so
    // no rule may suppress it) just before the batch is written.
    wrapBackgroundWriters((w) => w && {
      run: async (text, lists) => {
        const at = lists[0]![2] as number | string;
        touched.push(at);
        await db.sql.run(`UPDATE "Hit" SET "version" = "version" + 1, "verdict" = 'malicious' WHERE rowid = ?`, [at]);
        return w.run(text, lists);
      },
    });
    const res = await t.services.reevaluator.reevaluate({ all: true }, { batchSize: 7 });
    expect(touched.length > 1).toBe(t.services.db.dialect === 'sqlite');
    // What evaluating every hit as it is now gives: the touched hits with their malicious verdicts.
    const want = await expected({ all: true });
    expect(res.examined).toBe(want.size);
    expect(await stored()).toEqual(want);
  });

  it.runIf(TEST_DIALECT === 'sqlite')('when the background writer fails, then the re-evaluation fails with its error and the next one succeeds', async () => {
    await t.services.db.sql.run(`UPDATE "Hit" SET "status" = 'open', "matches" = '[]'`);
    const db = t.services.db, real = db.backgroundWriter;
    wrapBackgroundWriters(() => ({ run: async () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); } }));
    await expect(t.services.reevaluator.reevaluate({ all: true }, { batchSize: 7 })).rejects.toThrow('disk I/O error');
    db.backgroundWriter = real;
    await t.services.reevaluator.reevaluate({ all: true }, { batchSize: 7 });
    expect(await stored()).toEqual(await expected({ all: true }));
  });

  it('when hits are paged for re-evaluation, then the same hits come in the same order as iterateHits gives them', async () => {
    const someIds = (await t.services.db.sql.all<{ id: string }>(`SELECT "id" FROM "Hit" LIMIT 5`)).map((r) => r.id);
    for (const affected of [{ all: true }, { huntIds: [NETCONN] }, { hitIds: someIds }, { userNames: ['corp\\alice'] },
      { huntIds: [NETCONN], rawContains: ['schtasks.exe'] }] as Affected[]) {
      const full = [];
      for await (const batch of iterateHits(t.services.db.sql, affected, 4)) {
        for (const h of batch) full.push({ huntId: h.huntId, table: h.table, raw: h.raw, status: h.status, matches: h.matches, verdict: h.verdict, version: h.version });
      }
      expect(full.length, JSON.stringify(affected)).toBeGreaterThan(0);
      const paged: Omit<HitToEvaluate, 'at'>[] = [];
      for (let after: number | string | null = null; ;) {
        const page = await hitsToEvaluate(t.services.db.sql, affected, after, 4);
        if (!page.length) break;
        for (const { at, ...h } of page) paged.push(h);
        after = page[page.length - 1]!.at;
      }
      expect(paged).toEqual(full);
    }
  });

  it('when the context has stored rules, then the fields read are theirs in the hunt\'s scope; user.group brings user.name; a draft makes it unknown', async () => {
    const ctx = await t.services.contexts.load();
    const net = fieldsReadFor(ctx, NETCONN)!;
    for (const f of ['process.parent.name', 'destination.ip', 'user.group', 'user.name', 'file.code_signature.subject_name', 'process.name']) expect(net.has(f), f).toBe(true);
    expect(net.has('host.name')).toBe(false);
    // Only the all-hunts rules reach the union hunt: the NETCONN-only rule's destination.ip is not read there.
    expect(fieldsReadFor(ctx, UNION.id)).toEqual(new Set(['user.group', 'user.name', 'file.code_signature.subject_name', 'process.name', 'process.parent.name']));
    const draft: EvalRule = { id: 'draft', version: 0, action: 'suppress', hunts: null, holds: () => false, explain: () => ({ result: null, clauses: [] }) };
    expect(fieldsReadFor(await t.services.contexts.load(new Date(), { rules: [draft] }), NETCONN)).toBeNull();
  });
});
