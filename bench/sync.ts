// npm run bench:sync — a 10,000-entry suppression list synced item by item to the local fake ARM server
// (test/support/fake-arm.ts, https on 127.0.0.1, pages of 100 items): the first sync (creates the watchlist and
// 10,000 items), then a second sync that finds nothing to change. Floor, in the same run: the same 10,000 item PUTs
// sent straight with node:https at the same concurrency over keep-alive, without the SDK, the diff or the database.
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { createLogger } from '../src/logger.js';
import { seed } from '../src/seed.js';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { FAKE_ARM_CA, startFakeArm } from '../test/support/fake-arm.js';
import { addEntries, connectionBody, hostNames, sentinelOverrides, TEST_SECRET_KEY, WORKSPACE_BASE } from '../test/support/sentinel.js';
import { runPool } from '../src/sync/pool.js';
import { watchlistItemId } from '../src/sync/item-id.js';

const N = Number(process.env.ITEMS ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);

const fake = await startFakeArm({ pageSize: 100 });
const dir = mkdtempSync(join(tmpdir(), 'quell-bench-sync-'));
const db = await openDatabase(`file:${join(dir, 'quell.db')}`);
const overrides = sentinelOverrides(undefined, { concurrency: CONCURRENCY });
const services = createServices(db, createLogger('silent'), { secretKey: TEST_SECRET_KEY }, overrides);
await seed(services);
const hunt = (await services.hunts.listHunts())[0]!;
const list = await services.lists.createList(SYSTEM_ACTOR, { alias: 'bench-sync', displayName: 'Bench sync', hunts: [hunt.id], keyColumns: ['DeviceName'] });
const conn = await services.connections.create(SYSTEM_ACTOR, connectionBody(fake) as Parameters<typeof services.connections.create>[1]);
await services.sync.setTargets(SYSTEM_ACTOR, list.id, [conn.id]);
await addEntries(services, list.id, hostNames(N));

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const first = await timed(() => services.sync.sync(SYSTEM_ACTOR, list.id));
const firstRequests = { ...fake.counts };
fake.resetCounts();
const second = await timed(() => services.sync.sync(SYSTEM_ACTOR, list.id));
const secondRequests = { ...fake.counts };
if (fake.items(WORKSPACE_BASE, 'bench-sync').length !== N) throw new Error('the watchlist does not hold every item');

// Floor: PUT each item body once more, straight over https at the same concurrency (they overwrite in place).
const agent = new Agent({ keepAlive: true, ca: FAKE_ARM_CA, maxSockets: CONCURRENCY });
const path = (id: string) => `${WORKSPACE_BASE}/providers/Microsoft.SecurityInsights/watchlists/bench-sync/watchlistItems/${id}?api-version=2024-09-01`;
const bodies = hostNames(N).map((h) => ({ id: watchlistItemId(list.id, h), body: JSON.stringify({ properties: { itemsKeyValue: { SearchKey: h, DeviceName: h,
  Reason: 'known benign', AddedBy: 'quell', AddedAt: new Date().toISOString(), ExpiresAt: '' } } }) }));
const put = (id: string, body: string) => new Promise<void>((resolve, reject) => {
  const req = request(`${fake.url}${path(id)}`, { method: 'PUT', agent, headers: { Authorization: 'Bearer floor', 'Content-Type': 'application/json' } }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode! < 300 ? resolve() : reject(new Error(String(res.statusCode)))));
  });
  req.on('error', reject);
  req.end(body);
});
const floor = await timed(() => runPool(bodies, CONCURRENCY, (b) => put(b.id, b.body)));

const row = (name: string, ms: number, requests: string) => `| ${name} | ${(ms / 1000).toFixed(2)} s | ${Math.round(N / (ms / 1000))} items/s | ${requests} |`;
const r1 = first.value.results[0]!, r2 = second.value.results[0]!;
console.log(`${N} items, concurrency ${CONCURRENCY}, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`);
console.log('| run | time | rate | requests |\n|---|---|---|---|');
console.log(row(`first sync (created ${r1.applied.created})`, first.ms, `${firstRequests['item.put']} item PUTs, ${firstRequests['watchlist.put']} watchlist PUT`));
console.log(row(`second sync (unchanged ${r2.counts.unchanged}, changes ${r2.counts.create + r2.counts.update + r2.counts.delete})`, second.ms,
  `${secondRequests['item.list']} list pages, ${secondRequests['item.put']} PUTs`));
console.log(row('floor: the same PUTs over node:https', floor.ms, `${N} item PUTs`));
console.log(`first sync / floor: ${(first.ms / floor.ms).toFixed(2)}×`);
agent.destroy();
await fake.close();
await db.close();
