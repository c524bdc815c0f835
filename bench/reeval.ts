// npm run bench:reeval — re-evaluate 1,000,000 stored hits after a rule change, streamed in batches.
// Reports wall time (target < 10 s), the process's CPU time (on a shared machine wall time also counts waiting for a
// core), and peak RSS sampled during the run next to the RSS before it (flat memory). HITS=… runs another size.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { sqlTime } from '../src/db/time.js';
import { benchServices, netconnRows, NETCONN } from './support.js';

const N = Number(process.env.HITS ?? 1_000_000);
const { services, dir, sqlite } = await benchServices();

// Load N hits directly (this is set-up, not what is measured).
const ins = sqlite.prepare(`INSERT INTO "Hit" ("id","huntId","key","deviceName","userName","raw","reportIds","firstSeen","lastSeen","count","status","matches","version","createdAt","updatedAt")
  VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, 1, 'open', '[]', 1, ?, ?)`);
const t0 = performance.now();
for (let off = 0; off < N; off += 50_000) {
  const batch = netconnRows(Math.min(50_000, N - off), off);
  sqlite.transaction(() => {
    for (const r of batch) {
      const t = sqlTime(String(r.Timestamp));
      ins.run(randomUUID(), NETCONN, JSON.stringify([r.DeviceId, r.DeviceName, r.RemoteUrl]), String(r.DeviceName).toLowerCase(),
        `corp\\${r.InitiatingProcessAccountName}`.toLowerCase(), JSON.stringify(r), t, t, t, t);
    }
  })();
}
console.log(`loaded ${N.toLocaleString('en')} hits in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Write the load's WAL into the database file now, so its write-back is not charged to the re-evaluation.
sqlite.pragma('wal_checkpoint(TRUNCATE)');
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);

const cpu0 = process.cpuUsage();
const r0 = performance.now();
const rule = await services.rules.create(SYSTEM_ACTOR, {
  name: 'bench: schtasks parent', expression: 'process.parent.name == "schtasks.exe" and destination.ip in ("203.0.0.0/16")',
  scope: { hunts: [NETCONN] }, action: 'suppress',
});
const ms = performance.now() - r0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
console.log(`rule change re-evaluated ${rule.reevaluation.examined.toLocaleString('en')} hits, ${rule.reevaluation.changed.toLocaleString('en')} changed, in ${(ms / 1000).toFixed(1)} s (target < 10 s), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)})`);
console.log(`RSS before ${mb(rssBefore)} MB, peak during ${mb(peak)} MB (growth ${mb(peak - rssBefore)} MB)`);
// The same hits again, now that nothing changes: reading and evaluating without the writes.
const a0 = performance.now(), acpu0 = process.cpuUsage();
const again = await services.reevaluator.reevaluate({ huntIds: [NETCONN] });
const acpu = process.cpuUsage(acpu0);
console.log(`again, nothing to change: ${again.examined.toLocaleString('en')} hits, ${again.changed} changed, in ${((performance.now() - a0) / 1000).toFixed(1)} s, CPU ${((acpu.user + acpu.system) / 1e6).toFixed(1)} s`);
await services.db.close();
// A million hits make a 1.4 GB database: leave none behind in the temp folder.
rmSync(dir, { recursive: true, force: true });
