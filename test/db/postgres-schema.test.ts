import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { applyMigrations, listMigrations, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from '../../src/db/migrate-postgres.js';
import { postgresAvailable, startPostgres, type TestCluster } from '../support/postgres.js';

type Schema = Record<string, { columns: string[]; indexes: string[]; foreignKeys: string[] }>;

const TYPES: Record<string, string> = { TEXT: 'text', DATETIME: 'timestamp', INTEGER: 'integer', BOOLEAN: 'boolean', 'DOUBLE PRECISION': 'float',
  text: 'text', 'timestamp without time zone': 'timestamp', integer: 'integer', boolean: 'boolean', 'double precision': 'float' };
const type = (t: string) => TYPES[t] ?? `?${t}`;

function sqliteSchema(): Schema {
  const db = new BetterSqlite3(':memory:');
  applyMigrations(db);
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[]).map((r) => r.name);
  const out: Schema = {};
  for (const t of tables) {
    const cols = db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    const indexes = (db.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number; origin: string }[])
      .filter((i) => i.origin !== 'pk')
      .map((i) => `${i.unique ? 'unique ' : ''}${i.name}(${(db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(',')})`);
    const fks = (db.prepare(`PRAGMA foreign_key_list("${t}")`).all() as { table: string; from: string; to: string; on_delete: string }[])
      .map((f) => `${f.from}->${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`);
    out[t] = { columns: cols.map((c) => `${c.name} ${type(c.type)}${c.notnull || c.pk ? ' not null' : ''}${c.pk ? ' pk' : ''}`).sort(), indexes: indexes.sort(), foreignKeys: fks.sort() };
  }
  db.close();
  return out;
}

async function postgresSchema(pool: import('pg').Pool): Promise<Schema> {
  const q = async <R>(sql: string) => (await pool.query(sql)).rows as R[];
  const cols = await q<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
  const pks = new Set((await q<{ t: string; c: string }>(`SELECT tc.table_name AS t, kcu.column_name AS c FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'`)).map((r) => `${r.t}.${r.c}`));
  const idx = await q<{ tablename: string; indexname: string; indexdef: string }>(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`);
  const fks = await q<{ t: string; c: string; ft: string; fc: string; del: string }>(`SELECT cl.relname AS t, a.attname AS c, fcl.relname AS ft, fa.attname AS fc,
    CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'r' THEN 'restrict' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' ELSE 'no action' END AS del
    FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class fcl ON fcl.oid = con.confrelid
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1] JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
    WHERE con.contype = 'f'`);
  const out: Schema = {};
  for (const c of cols) {
    const t = (out[c.table_name] ??= { columns: [], indexes: [], foreignKeys: [] });
    const pk = pks.has(`${c.table_name}.${c.column_name}`);
    t.columns.push(`${c.column_name} ${type(c.data_type)}${c.is_nullable === 'NO' ? ' not null' : ''}${pk ? ' pk' : ''}`);
  }
  for (const i of idx) {
    const columns = /\((.*)\)$/.exec(i.indexdef)![1]!.split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
    out[i.tablename]!.indexes.push(`${/UNIQUE INDEX/.test(i.indexdef) ? 'unique ' : ''}${i.indexname}(${columns.join(',')})`);
  }
  for (const f of fks) out[f.t]!.foreignKeys.push(`${f.c}->${f.ft}.${f.fc} on delete ${f.del}`);
  for (const t of Object.values(out)) { t.columns.sort(); t.indexes.sort(); t.foreignKeys.sort(); }
  return out;
}

describe.runIf(postgresAvailable())('the PostgreSQL migrations, kept in step with SQLite\'s', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startPostgres(); }, 60_000);
  afterAll(() => cluster?.stop());

  it('when both sets are applied to empty databases, then they name the same migrations and give the same tables, columns, indexes and keys', async () => {
    expect(listMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name)).toEqual(listMigrations(MIGRATIONS_DIR).map((m) => m.name));
    await cluster.createDatabase('parity');
    const pool = cluster.pool('parity');
    expect(await applyPostgresMigrations(pool)).toHaveLength(listMigrations(MIGRATIONS_DIR).length);
    const pgSchema = await postgresSchema(pool), liteSchema = sqliteSchema();
    expect(Object.keys(pgSchema).sort()).toEqual(Object.keys(liteSchema).sort());
    for (const table of Object.keys(liteSchema)) expect(pgSchema[table], table).toEqual(liteSchema[table]);
    expect(JSON.stringify(pgSchema)).not.toContain('?'); // every type was known to the comparison
  });

  it('when three processes start on an empty database at once, then the migrations are applied once and each finds the schema complete', async () => {
    await cluster.createDatabase('racing');
    const pools = [cluster.pool('racing'), cluster.pool('racing'), cluster.pool('racing')];
    const applied = await Promise.all(pools.map((p) => applyPostgresMigrations(p)));
    expect(applied.map((a) => a.length).sort((a, b) => b - a)).toEqual([listMigrations(MIGRATIONS_DIR).length, 0, 0]);
    const { rows } = await pools[0]!.query('SELECT migration_name, COUNT(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name HAVING COUNT(*) > 1');
    expect(rows).toEqual([]);
    expect(await applyPostgresMigrations(pools[1]!)).toEqual([]);
  });
});
