import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { applyMigrations, listMigrations } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/database.js';

// An independent reading of schema.prisma: model → scalar fields with type, optionality and attributes.
interface Field { name: string; type: string; optional: boolean; id: boolean; unique: boolean }
function readSchema(): { models: Map<string, Field[]>; uniques: Map<string, string[][]>; indexes: Map<string, string[][]> } {
  const text = readFileSync('prisma/schema.prisma', 'utf8');
  const models = new Map<string, Field[]>();
  const uniques = new Map<string, string[][]>();
  const indexes = new Map<string, string[][]>();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, name, body] = m as unknown as [string, string, string];
    const fields: Field[] = [];
    const u: string[][] = [], ix: string[][] = [];
    for (const line of body.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const block = /^@@(unique|index|id)\(\[([^\]]+)\]\)/.exec(line);
      if (block) {
        const cols = block[2]!.split(',').map((s) => s.trim());
        if (block[1] === 'unique') u.push(cols); else if (block[1] === 'index') ix.push(cols);
        continue;
      }
      const f = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f || f[3] || !['String', 'Int', 'Boolean', 'DateTime'].includes(f[2]!)) continue; // relations are not columns
      fields.push({ name: f[1]!, type: f[2]!, optional: !!f[4], id: /@id\b/.test(f[5]!), unique: /@unique\b/.test(f[5]!) });
      if (/@unique\b/.test(f[5]!)) u.push([f[1]!]);
    }
    models.set(name, fields); uniques.set(name, u); indexes.set(name, ix);
  }
  return { models, uniques, indexes };
}

const SQL_TYPE: Record<string, string> = { String: 'TEXT', Int: 'INTEGER', Boolean: 'BOOLEAN', DateTime: 'DATETIME' };

describe('schema.prisma and the hand-written migrations', () => {
  let dir: string;
  let sqlite: BetterSqlite3.Database;
  const schema = readSchema();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quell-schema-'));
    sqlite = new BetterSqlite3(join(dir, 'empty.db'));
    applyMigrations(sqlite);
  });
  afterAll(() => { sqlite.close(); rmSync(dir, { recursive: true, force: true }); });

  it('when an empty database is migrated, then every model has exactly its columns with the right type and nullability', () => {
    expect(schema.models.size).toBeGreaterThanOrEqual(15);
    for (const [model, fields] of schema.models) {
      const cols = sqlite.prepare(`PRAGMA table_info("${model}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
      expect(cols.map((c) => c.name).sort(), model).toEqual(fields.map((f) => f.name).sort());
      for (const f of fields) {
        const c = cols.find((x) => x.name === f.name)!;
        expect(c.type, `${model}.${f.name} type`).toBe(SQL_TYPE[f.type]);
        const pkComposite = cols.filter((x) => x.pk > 0).length > 1 && c.pk > 0;
        if (!pkComposite) expect(c.notnull === 1, `${model}.${f.name} NOT NULL`).toBe(!f.optional);
        if (f.id) expect(c.pk, `${model}.${f.name} primary key`).toBe(1);
      }
    }
  });

  it('when an empty database is migrated, then every @unique, @@unique and @@index exists over the same columns', () => {
    for (const [model] of schema.models) {
      const list = sqlite.prepare(`PRAGMA index_list("${model}")`).all() as { name: string; unique: number; origin: string }[];
      const indexCols = (n: string) => (sqlite.prepare(`PRAGMA index_info("${n}")`).all() as { name: string }[]).map((r) => r.name);
      const made = list.filter((i) => i.origin === 'c').map((i) => ({ unique: i.unique === 1, cols: indexCols(i.name) }));
      for (const cols of schema.uniques.get(model)!) expect(made, `${model} unique ${cols}`).toContainEqual({ unique: true, cols });
      for (const cols of schema.indexes.get(model)!) expect(made, `${model} index ${cols}`).toContainEqual({ unique: false, cols });
      expect(made.length, `${model} has no index the schema does not declare`).toBe(schema.uniques.get(model)!.length + schema.indexes.get(model)!.length);
    }
  });

  it("when migrations are applied, then they are recorded in Prisma's _prisma_migrations with Prisma's checksum, and a second run applies nothing", () => {
    const rows = sqlite.prepare('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name').all() as
      { migration_name: string; checksum: string; finished_at: string | null; applied_steps_count: number }[];
    const files = listMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(applyMigrations(sqlite)).toEqual([]);
  });

  it('when a migration file is edited after it was applied, then start-up refuses instead of drifting', () => {
    sqlite.prepare('UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ?').run('0'.repeat(64), listMigrations()[0]!.name);
    expect(() => applyMigrations(sqlite)).toThrow(/modified after it was applied/);
  });

  it('when the Prisma client writes and reads every model on a migrated database, then it works end to end', async () => {
    const db: Db = await openDatabase(`file:${join(dir, 'client.db')}`);
    try {
      const now = new Date();
      const user = await db.prisma.user.create({ data: { id: 'u1', username: 'ann', role: 'admin', createdAt: now, createdBy: 't' } });
      await db.prisma.apiToken.create({ data: { id: 't1', userId: user.id, name: 'n', tokenHash: 'h', prefix: 'p', createdAt: now, createdBy: 't' } });
      await db.prisma.session.create({ data: { id: 's1', userId: user.id, tokenHash: 'sh', csrfToken: 'c', createdAt: now, expiresAt: now } });
      await db.prisma.auditEvent.create({ data: { at: now, actorName: 't', action: 'a', entityType: 'e', entityId: '1' } });
      const base = { name: 'n', description: 'd', query: 'q', groupKeys: '[]', tactics: '[]', techniques: '[]', dataTypes: '[]',
        format: 'json', diagnostics: '[]', version: 1, createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' };
      await db.prisma.hunt.create({ data: { id: 'h1', ...base } });
      await db.prisma.huntVersion.create({ data: { id: 'hv', huntId: 'h1', version: 1, document: '{}', createdAt: now, createdBy: 't' } });
      await db.prisma.scenario.create({ data: { id: 'sc', huntId: 'h1', position: 0, title: 't', filterText: 'f', createdAt: now } });
      await db.prisma.rule.create({ data: { id: 'r1', name: 'n', description: '', expression: 'e', allHunts: true, hunts: '[]', action: 'suppress',
        enabled: true, owner: 'o', justification: '', warnings: '[]', version: 1, createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' } });
      await db.prisma.ruleVersion.create({ data: { id: 'rv', ruleId: 'r1', version: 1, snapshot: '{}', createdAt: now, createdBy: 't' } });
      await db.prisma.hit.create({ data: { id: 'x1', huntId: 'h1', key: 'k', raw: '{}', reportIds: '[]', count: 1, status: 'open',
        matches: '[]', version: 1, createdAt: now, updatedAt: now } });
      await db.prisma.verdict.create({ data: { id: 'v1', hitId: 'x1', verdict: 'benign', classification: 'BenignPositive', comment: '',
        hitVersion: 1, createdAt: now, createdBy: 't' } });
      await db.prisma.groupMembership.create({ data: { userName: 'a\\b', groupName: 'g' } });
      await db.prisma.suppressionList.create({ data: { id: 'l1', alias: 'abc', displayName: 'abc', description: '', hunts: '[]', keyColumns: '[]',
        entryLifetimeDays: 90, requireApproval: false, createdAt: now, createdBy: 't', updatedAt: now } });
      await db.prisma.suppressionEntry.create({ data: { id: 'e1', listId: 'l1', searchKey: 'k', values: '{}', reason: 'r', status: 'active',
        addedBy: 't', addedAt: now } });
      await db.prisma.savedFilter.create({ data: { id: 'f1', userId: user.id, name: 'n', query: '{}', createdAt: now } });
      await db.prisma.suggestionDismissal.create({ data: { id: 'sd1', huntId: 'h1', expression: 'e', dismissedBy: 't', dismissedAt: now } });
      await db.prisma.hitObservation.create({ data: { id: 'o1', hitId: 'x1', rawHash: 'h', raw: '{}', count: 1, reportIds: '[]', observedAt: now } });
      await db.prisma.connection.create({ data: { id: 'cn1', name: 'n', tenantId: 't', clientId: 'c', authKind: 'secret', secretCipher: 'v1.x',
        subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws', workspaceId: 'w', endpoints: '{}', createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' } });
      await db.prisma.listTarget.create({ data: { listId: 'l1', connectionId: 'cn1', addedAt: now, addedBy: 't' } });
      await db.prisma.syncRun.create({ data: { id: 'sr1', listId: 'l1', connectionId: 'cn1', connectionName: 'n', workspaceId: 'w', watchlistAlias: 'abc',
        dryRun: false, status: 'succeeded', startedAt: now, startedBy: 't', plannedCreate: 1, plannedUpdate: 0, plannedDelete: 0, created: 1, updated: 0, deleted: 0 } });
      const targeted = await db.prisma.connection.findUniqueOrThrow({ where: { id: 'cn1' }, include: { listTargets: { include: { list: true } } } });
      expect(targeted.listTargets.map((t) => t.list.alias)).toEqual(['abc']);
      await expect(db.prisma.connection.delete({ where: { id: 'cn1' } })).rejects.toThrow();
      expect((await db.prisma.syncRun.findUniqueOrThrow({ where: { id: 'sr1' } })).dryRun).toBe(false);
      await db.prisma.huntSchedule.create({ data: { huntId: 'h1', connectionId: 'c1', api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60,
        enabled: true, nextRunAt: now, createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' } });
      await db.prisma.huntRun.create({ data: { id: 'run1', huntId: 'h1', connectionId: 'c1', api: 'log-analytics', status: 'running', trigger: 'manual',
        triggeredBy: 't', timespan: 'PT1H', startedAt: now, attempts: 0, truncated: false } });
      const scheduled = await db.prisma.hunt.findUniqueOrThrow({ where: { id: 'h1' }, include: { schedule: true, runs: true } });
      expect(scheduled.schedule?.nextRunAt.toISOString()).toBe(now.toISOString());
      expect(scheduled.runs.map((r) => r.truncated)).toEqual([false]);
      const hit = await db.prisma.hit.findUniqueOrThrow({ where: { huntId_key: { huntId: 'h1', key: 'k' } }, include: { verdicts: true, hunt: true, observations: true } });
      expect(hit.verdicts).toHaveLength(1);
      expect(hit.observations).toHaveLength(1);
      expect(hit.createdAt.toISOString()).toBe(now.toISOString());
    } finally {
      await db.close();
    }
  });
});
