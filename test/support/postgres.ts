// A private PostgreSQL cluster for tests: initdb into a temp folder, listening only on a Unix socket there, removed
// afterwards. Uses Debian's postgresql binaries (.ci/run installs them when absent); as root it runs them as the
// `postgres` user, since PostgreSQL refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(root, version, 'bin') : null;
}

/** Whether this machine can start a cluster (the tests say so instead of passing silently when it cannot). */
export const postgresAvailable = () => binDir() !== null;

export interface TestCluster { url: (database?: string) => string; dataDir: string; pool(database?: string): pg.Pool; createDatabase(name: string): Promise<void>; stop(): void }

export async function startPostgres(opts: { maxConnections?: number; fsync?: boolean } = {}): Promise<TestCluster> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'quell-pg-'));
  const asRoot = process.getuid?.() === 0;
  let uid = 0, gid = 0;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => execFileSync(asRoot ? 'runuser' : join(bin, tool),
    asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, { stdio: 'pipe' });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'quell', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = 5432;
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o',
    `-k ${dir} -c listen_addresses= -p ${port} ${opts.fsync ? '' : '-c fsync=off -c synchronous_commit=off'} -c max_connections=${opts.maxConnections ?? 100}`, 'start']);
  const url = (database = 'postgres') => `postgresql://quell@localhost/${database}?host=${encodeURIComponent(dir)}&port=${port}`;
  const pools: pg.Pool[] = [];
  const pool = (database = 'postgres') => {
    const p = new pg.Pool({ host: dir, port, user: 'quell', database, max: 4 });
    pools.push(p);
    return p;
  };
  const admin = pool();
  return {
    url,
    dataDir: data,
    pool,
    async createDatabase(name) { await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`); },
    stop() {
      for (const p of pools) void p.end();
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}
