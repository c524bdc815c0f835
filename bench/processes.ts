// npm run bench:processes — three Quell processes (`npm start`'s entry point, three times) on one PostgreSQL (a private
// cluster, fsync on as a server runs it), under mixed load for DURATION seconds (default 60): 30 clients reading the
// open queue (GET /api/hits?huntId=…&queue=true&limit=100, round-robin over the three processes), two clients ingesting
// NDJSON batches of BATCH rows (default 2,000; one through A, one through B; offsets never collide, so every row is a
// new hit) and one client recording benign verdicts through C on what the queue shows it. Measured: latency of every
// request, from its first byte sent to the last byte of the answer, and every error (a network error or a non-2xx
// answer other than a verdict's 409). Afterwards the database is counted directly: every row sent must be stored
// exactly once, and every verdict answered 201 stored once. The exit code (1) says only whether a count disagrees or a
// request failed; the timings are reported as measured. The machine's two cores are shared by the three Quell
// processes, PostgreSQL and this load generator, so latencies include waiting for a core.
import { Agent } from 'node:http';
import { send, type Answer } from './http.js';
import { startPostgres, type TestCluster } from '../test/support/postgres.js';
import { prepareDatabase, startQuell, type QuellProcess } from '../test/reliability/server-process.js';
import { NETCONN, netconnRows } from './rows.js';

const DURATION_S = Number(process.env.DURATION ?? 60);
const BATCH = Number(process.env.BATCH ?? 2_000);
const PRELOAD = Number(process.env.PRELOAD ?? 20_000);
const READERS = 30;
const INGESTERS = 2;
const COMMENT = `bench:processes ${new Date().toISOString()}`;
const QUEUE_PATH = `/api/hits?huntId=${NETCONN}&queue=true&limit=100`;


const ndjson = (rows: Record<string, unknown>[]) => Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (v: number) => (Number.isFinite(v) ? Math.round(v) : null);
const fmt = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—');

const errors: string[] = [];
let errorCount = 0;
function fail(what: string, a: Answer) {
  errorCount++;
  if (errors.length < 10) errors.push(`${what}: ${a.error ?? `${a.status} ${a.text.slice(0, 200)}`}`);
}

let cluster: TestCluster | undefined;
const procs: QuellProcess[] = [];
const agents: Agent[] = [];
const serverLogs = [0, 0, 0].map(() => ({ warn: 0, error: 0, samples: [] as string[] }));
let exitCode = 0;

try {
  // Set-up (not measured): cluster, seeded database, tokens; the database is then served by the three processes only.
  cluster = await startPostgres({ maxConnections: 300, fsync: true });
  await cluster.createDatabase('quell');
  const url = cluster.url('quell');
  const tokens = await prepareDatabase(url, ['analyst', 'viewer']);

  procs.push(...await Promise.all([0, 1, 2].map(() => startQuell(url))));
  procs.forEach((q, k) => {
    // LOG_LEVEL=warn: whatever a process logs is a warning or an error (pino: level 40 / 50 and above).
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        const m = /"level":(\d+)/.exec(line);
        if (!m) continue;
        const log = serverLogs[k]!;
        if (Number(m[1]) >= 50) log.error++; else log.warn++;
        if (log.samples.length < 3) log.samples.push(line.slice(0, 300));
      }
    };
    q.child.stdout!.on('data', onLine);
    q.child.stderr!.on('data', onLine);
  });
  agents.push(...procs.map(() => new Agent({ keepAlive: true })));
  const [A, B, C] = procs as [QuellProcess, QuellProcess, QuellProcess];
  const agentOf = (q: QuellProcess) => agents[procs.indexOf(q)]!;

  const pg = cluster.pool('quell');
  const count = async (sql: string, params: unknown[] = []) => Number((await pg.query<{ n: string }>(sql, params)).rows[0]!.n);
  const huntHits = () => count('SELECT COUNT(*) AS n FROM "Hit" WHERE "huntId" = $1', [NETCONN]);

  // Pre-load (not measured): PRELOAD rows through A in one body, so the queue has pages to read.
  const before = await huntHits();
  const pre = await send(agentOf(A), A.port, tokens.analyst, 'POST', `/api/hunts/${NETCONN}/hits`, ndjson(netconnRows(PRELOAD, 0)), 'application/x-ndjson');
  if (pre.status !== 200) throw new Error(`pre-load failed: ${pre.status} ${pre.error ?? pre.text.slice(0, 300)}`);
  const preInserted = (JSON.parse(pre.text) as { inserted: number }).inserted;
  const baseline = await huntHits();
  if (preInserted !== PRELOAD || baseline !== before + PRELOAD) throw new Error(`pre-load stored ${baseline - before} of ${PRELOAD} rows (answer: ${preInserted} inserted)`);
  const openQueue = await count(`SELECT COUNT(*) AS n FROM "Hit" WHERE "huntId" = $1 AND "verdict" IS NULL AND "status" IN ('open', 'flagged')`, [NETCONN]);

  const t0 = performance.now();
  const deadline = t0 + DURATION_S * 1000;
  const running = () => performance.now() < deadline;

  // 30 readers, round-robin over A, B, C.
  const readMs: number[] = [];
  let readErrors = 0;
  const reader = async (q: QuellProcess) => {
    while (running()) {
      const a = await send(agentOf(q), q.port, tokens.viewer, 'GET', QUEUE_PATH);
      readMs.push(a.ms);
      let ok = a.status === 200;
      if (ok) { try { ok = Array.isArray((JSON.parse(a.text) as { items?: unknown }).items); } catch { ok = false; } }
      if (!ok) { readErrors++; fail('queue read', a); }
    }
  };

  // Two ingest clients drawing batch numbers from one counter: batch n holds rows PRELOAD + n * BATCH onwards, so no two
  // batches (of either client) overlap, nor any with the pre-load.
  const ingest = { batches: 0, rowsSent: 0, rowsAnswered: 0, received: 0, inserted: 0, merged: 0, rejected: 0, errors: 0, ms: [] as number[] };
  let nextBatch = 0;
  const ingester = async (q: QuellProcess) => {
    while (running()) {
      const offset = PRELOAD + (nextBatch++) * BATCH;
      const body = ndjson(netconnRows(BATCH, offset));
      const a = await send(agentOf(q), q.port, tokens.analyst, 'POST', `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
      ingest.batches++;
      ingest.rowsSent += BATCH;
      ingest.ms.push(a.ms);
      if (a.status !== 200) { ingest.errors++; fail(`ingest at offset ${offset}`, a); continue; }
      const r = JSON.parse(a.text) as { received: number; inserted: number; merged: number; rejected: unknown[] };
      ingest.rowsAnswered += BATCH;
      ingest.received += r.received;
      ingest.inserted += r.inserted;
      ingest.merged += r.merged;
      ingest.rejected += r.rejected.length;
    }
  };

  // One verdict client through C: a queue page, then a benign verdict on each hit of it not judged yet, at its version.
  const verdicts = { created: 0, conflicts: 0, other: 0, ms: [] as number[], pages: 0, pageErrors: 0, emptyPages: 0 };
  const judged = new Set<string>();
  const verdictClient = async (q: QuellProcess) => {
    while (running()) {
      const page = await send(agentOf(q), q.port, tokens.analyst, 'GET', QUEUE_PATH);
      verdicts.pages++;
      if (page.status !== 200) { verdicts.pageErrors++; fail('verdict client queue read', page); continue; }
      const items = (JSON.parse(page.text) as { items: { id: string; version: number }[] }).items.filter((h) => !judged.has(h.id));
      if (!items.length) { verdicts.emptyPages++; await new Promise((r) => setTimeout(r, 50)); continue; }
      for (const h of items) {
        if (!running()) break;
        const body = Buffer.from(JSON.stringify({ verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected',
          comment: COMMENT, hitVersion: h.version }));
        const a = await send(agentOf(q), q.port, tokens.analyst, 'POST', `/api/hits/${h.id}/verdicts`, body, 'application/json');
        verdicts.ms.push(a.ms);
        if (a.status === 201) { verdicts.created++; judged.add(h.id); }
        else if (a.status === 409) verdicts.conflicts++;
        else { verdicts.other++; judged.add(h.id); fail(`verdict on ${h.id}`, a); }
      }
    }
  };

  await Promise.all([
    ...Array.from({ length: READERS }, (_, i) => reader(procs[i % 3]!)),
    ingester(A), ingester(B),
    verdictClient(C),
  ]);
  const elapsedS = (performance.now() - t0) / 1000;

  // Counts, straight from the database.
  const stored = await huntHits();
  const verdictRows = await count('SELECT COUNT(*) AS n FROM "Verdict" WHERE "comment" = $1', [COMMENT]);
  const verdictHits = await count('SELECT COUNT(DISTINCT "hitId") AS n FROM "Verdict" WHERE "comment" = $1', [COMMENT]);
  const benignHits = await count(`SELECT COUNT(*) AS n FROM "Hit" WHERE "huntId" = $1 AND "verdict" = 'benign'`, [NETCONN]);
  const checks = [
    { check: 'rows received = rows sent (answered batches)', expected: ingest.rowsAnswered, actual: ingest.received },
    { check: 'rows inserted = rows sent (answered batches)', expected: ingest.rowsAnswered, actual: ingest.inserted },
    { check: 'rows merged', expected: 0, actual: ingest.merged },
    { check: 'rows rejected', expected: 0, actual: ingest.rejected },
    { check: 'hits stored = pre-loaded + inserted', expected: baseline + ingest.inserted, actual: stored },
    { check: 'verdicts stored = 201 answers', expected: verdicts.created, actual: verdictRows },
    { check: 'hits with a bench verdict = 201 answers', expected: verdicts.created, actual: verdictHits },
    { check: 'hits of the hunt marked benign = 201 answers', expected: verdicts.created, actual: benignHits },
  ].map((c) => ({ ...c, ok: c.expected === c.actual }));
  const countsOk = checks.every((c) => c.ok);

  readMs.sort((x, y) => x - y);
  ingest.ms.sort((x, y) => x - y);
  verdicts.ms.sort((x, y) => x - y);
  const figures = {
    date: new Date().toISOString(), durationS: DURATION_S, elapsedS: +elapsedS.toFixed(1), processes: 3, readers: READERS, ingesters: INGESTERS,
    batch: BATCH, preload: PRELOAD, openQueueAtStart: openQueue,
    reads: { count: readMs.length, perS: Math.round(readMs.length / elapsedS), p50: ms(pct(readMs, 50)), p95: ms(pct(readMs, 95)), p99: ms(pct(readMs, 99)),
      max: ms(readMs[readMs.length - 1] ?? NaN), errors: readErrors },
    ingest: { batches: ingest.batches, rowsSent: ingest.rowsSent, rowsInserted: ingest.inserted, rowsPerS: Math.round(ingest.inserted / elapsedS),
      p50: ms(pct(ingest.ms, 50)), p95: ms(pct(ingest.ms, 95)), p99: ms(pct(ingest.ms, 99)), max: ms(ingest.ms[ingest.ms.length - 1] ?? NaN), errors: ingest.errors },
    verdicts: { created: verdicts.created, conflicts: verdicts.conflicts, other: verdicts.other, p50: ms(pct(verdicts.ms, 50)), p95: ms(pct(verdicts.ms, 95)), p99: ms(pct(verdicts.ms, 99)),
      max: ms(verdicts.ms[verdicts.ms.length - 1] ?? NaN), queuePages: verdicts.pages, queuePageErrors: verdicts.pageErrors, pagesWithNothingNew: verdicts.emptyPages },
    counts: { hitsStored: stored, baseline, verdictsStored: verdictRows, ok: countsOk },
    errors: errorCount,
    serverLogs: serverLogs.map((l) => ({ warn: l.warn, error: l.error })),
  };

  const r = figures.reads, g = figures.ingest, v = figures.verdicts;
  console.log(`PostgreSQL 15 (private cluster, fsync on), 3 Quell processes, ${new Date().toISOString().slice(0, 16)}Z, `
    + `${DURATION_S} s of load (${elapsedS.toFixed(1)} s until the last answer); ${PRELOAD.toLocaleString('en')} hits pre-loaded, `
    + `${openQueue.toLocaleString('en')} in the open queue at the start`);
  console.log('');
  console.log('| load | requests | p50 ms | p95 ms | p99 ms | max ms | other figures | errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| queue reads, ${READERS} clients over A, B, C (limit=100) | ${r.count.toLocaleString('en')} (${r.perS}/s) | ${fmt(pct(readMs, 50))} | ${fmt(pct(readMs, 95))} | ${fmt(pct(readMs, 99))} | ${fmt(readMs[readMs.length - 1] ?? NaN)} | | ${r.errors} |`);
  console.log(`| ingest, 2 clients (A, B), NDJSON batches of ${BATCH.toLocaleString('en')} | ${g.batches} batches | ${fmt(pct(ingest.ms, 50))} | ${fmt(pct(ingest.ms, 95))} | ${fmt(pct(ingest.ms, 99))} | ${fmt(ingest.ms[ingest.ms.length - 1] ?? NaN)} | ${g.rowsInserted.toLocaleString('en')} rows stored, ${g.rowsPerS.toLocaleString('en')} rows/s | ${g.errors} |`);
  console.log(`| verdicts, 1 client (C) | ${verdicts.ms.length.toLocaleString('en')} | ${fmt(pct(verdicts.ms, 50))} | ${fmt(pct(verdicts.ms, 95))} | ${fmt(pct(verdicts.ms, 99))} | ${fmt(verdicts.ms[verdicts.ms.length - 1] ?? NaN)} | 201: ${v.created}, 409: ${v.conflicts}, other: ${v.other}; ${v.queuePages} queue pages read | ${v.other + v.queuePageErrors} |`);
  console.log('');
  console.log('| count check | expected | in the database / answers | |');
  console.log('|---|---|---|---|');
  for (const c of checks) console.log(`| ${c.check} | ${c.expected.toLocaleString('en')} | ${c.actual.toLocaleString('en')} | ${c.ok ? 'ok' : '**DIFFERS**'} |`);
  console.log('');
  serverLogs.forEach((l, k) => { if (l.warn || l.error) console.log(`process ${'ABC'[k]} logged ${l.warn} warning(s), ${l.error} error(s); first: ${l.samples.join(' / ')}`); });
  if (errors.length) console.log(`errors (${errorCount}, first ${errors.length}):\n  ${errors.join('\n  ')}`);
  console.log(JSON.stringify(figures));
  if (!countsOk || errorCount > 0) exitCode = 1;
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  for (const a of agents) a.destroy();
  await Promise.all(procs.map(async (q) => {
    if (q.child.exitCode !== null || q.child.signalCode !== null) return;
    q.child.kill('SIGTERM');
    const timer = setTimeout(() => q.child.kill('SIGKILL'), 15_000);
    await q.exited;
    clearTimeout(timer);
  }));
  cluster?.stop();
}
process.exit(exitCode);
