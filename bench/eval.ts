// npm run bench:eval — the five seed scenario rules over 200,000 generated DeviceNetworkEvents hits, next to the
// same rules in json-rules-engine and a naive evaluator that calls ip-cidr's contains() per check, in the same run.
// Also: a 10,000-block CIDR list against a 3-block list (sorted merged ranges + bisection should keep this flat).
//
// The same method for every evaluator: its input made before the clock starts (Quell: hits prepared by prepareHit,
// fields folded and addresses parsed once per hit; json-rules-engine: its facts objects), one untimed warm-up pass on
// the first WARM_HITS hits (so that the figures are of compiled code, not of the JIT at work), then RUNS rounds of
// timed passes, of which the fastest counts: other processes on the machine can only ever slow a pass down. Passes
// are timed in CPU time of the process (waiting for a core not counted; json-rules-engine's includes its garbage
// collector's helper thread), wall time alongside. The
// rounds interleave the evaluators, so that each is timed across the same stretch of the machine's load. Quell's
// preparation is timed on its own, and Quell is also timed on hits as they are and with each hit prepared in the loop.
import { readFileSync } from 'node:fs';
import IPCIDRModule from 'ip-cidr';
import { Engine } from 'json-rules-engine';
import { checkRule, compileEvaluator, prepareHit, splitTrailingRemark, type Evaluator, type HitView, type PreparedHit } from '../src/language/index.js';
import { FIELD_CATALOG, normaliseRow } from '../src/fields/index.js';
import { netconnRows } from './rows.js';

const IPCIDR = ((IPCIDRModule as unknown as { default?: unknown }).default ?? IPCIDRModule) as new (c: string) => { contains(ip: string): boolean };
const N = Number(process.env.HITS ?? 200_000);
const JN = Math.min(N, Number(process.env.JRE_HITS ?? 20_000));
const WARM = Math.min(JN, Number(process.env.WARM_HITS ?? 5_000));
const RUNS = Math.max(1, Number(process.env.RUNS ?? 3));
const page = readFileSync('prisma/seeds/001_363380a14f57d69c.txt', 'utf8');
const filters = [...page.matchAll(/^Filter\/Exclusion:\s*(.*?)\s*$/gm)].map((m) => splitTrailingRemark(m[1]!, FIELD_CATALOG).expression);
const hits: HitView[] = netconnRows(N).map((raw) => {
  const { fields } = normaliseRow('DeviceNetworkEvents', raw);
  return { fields: (raw.ReportId as number) % 7 === 0 ? { ...fields, 'user.group': ['Domain Admins'] } : fields, raw };
});
/** Checked once with Quell's catalog, compiled once: what the rules feature does. */
function compileText(text: string): Evaluator {
  const c = checkRule(text, FIELD_CATALOG);
  if (!c.ok) throw new Error(`${text}: ${c.errors[0].message}`);
  return compileEvaluator(c.rule);
}
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en');

/**
 * A timed evaluator: warmed up on `warm` once, then timed over `input` in every round, `times` passes a round; the
 * fastest pass counts. The rounds interleave the evaluators, so that each is timed across the same stretch of the
 * machine's load, and short passes get as many chances at a quiet moment as long ones.
 */
interface Timed { ms: number; wallMs: number; result: unknown; warmUp(): Promise<void>; round(): Promise<void> }
/** CPU time of this process, in ms: unlike wall time, it does not count the time spent waiting for a core. */
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function timed<I>(warm: readonly I[], input: readonly I[], pass: (input: readonly I[]) => unknown, times = 1): Timed {
  const t: Timed = {
    ms: Infinity, wallMs: Infinity, result: undefined,
    async warmUp() { await pass(warm); },
    async round() {
      for (let i = 0; i < times; i++) {
        const cpu = cpuMs(), wall = performance.now();
        t.result = await pass(input);
        t.ms = Math.min(t.ms, cpuMs() - cpu);
        t.wallMs = Math.min(t.wallMs, performance.now() - wall);
      }
    },
  };
  return t;
}

/**
 * A pass in chunks of 1,000 hits: a loop function called once runs unoptimised until V8 replaces it on the stack
 * mid-loop; called per chunk, it is compiled like any hot function. The pass itself is the same.
 */
function inChunks<I>(chunk: (input: readonly I[], from: number, to: number) => number) {
  return (input: readonly I[]) => {
    let n = 0;
    for (let i = 0; i < input.length; i += 1000) n += chunk(input, i, Math.min(input.length, i + 1000));
    return n;
  };
}

// Quell: compiled once; each hit prepared once for the five rules; then test() per prepared hit and rule.
const rules = filters.map((f) => compileText(f));
const warmHits = hits.slice(0, WARM);
const prepared = hits.map((h) => prepareHit(h, rules));
const prepare = timed(warmHits, hits, (input) => input.map((h) => prepareHit(h, rules)));
// One pass function per kind of input, as in the app, which passes one kind: a shared one would see both.
const quellPass = inChunks<PreparedHit>((input, from, to) => {
  let n = 0;
  for (let i = from; i < to; i++) { const p = input[i]; for (let j = 0; j < rules.length; j++) if (rules[j].test(p) === true) n++; }
  return n;
});
const unpreparedPass = inChunks<HitView>((input, from, to) => {
  let n = 0;
  for (let i = from; i < to; i++) { const h = input[i]; for (let j = 0; j < rules.length; j++) if (rules[j].test(h) === true) n++; }
  return n;
});
const quell = timed(prepared.slice(0, WARM), prepared, quellPass, 5);
// The same rules on hits as they are, and with each hit prepared in the loop (lazily, as the app would per evaluation).
const unprepared = timed(warmHits, hits, unpreparedPass, 5);
const fused = timed(warmHits, hits, inChunks<HitView>((input, from, to) => {
  let n = 0;
  for (let i = from; i < to; i++) { const p = prepareHit(input[i]); for (let j = 0; j < rules.length; j++) if (rules[j].test(p) === true) n++; }
  return n;
}), 3);

// Naive: the same semantics written plainly, with ip-cidr constructed and asked per check.
const get = (h: HitView, f: string) => h.fields[f] as string | undefined;
const eq = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b;
// As slow as json-rules-engine, so timed on the same JRE_HITS hits; Quell's matches on them are checked against its.
const naive = timed(warmHits, hits.slice(0, JN), (input) => {
  let held = 0;
  for (const h of input) {
    const pn = get(h, 'process.name'), pp = get(h, 'process.parent.name'), ip = get(h, 'destination.ip');
    const results = [
      (pn !== undefined && !eq(pn, 'ammyy.exe')) || (pp !== undefined && !eq(pp, 'ammyy.exe')),
      eq(pn, 'schtasks.exe') || eq(pp, 'schtasks.exe'),
      eq(get(h, 'user.name'), 'domain\\administrator') || ((h.fields['user.group'] as string[] | undefined) ?? []).some((g) => eq(g, 'domain admins')),
      ip !== undefined && ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((b) => new IPCIDR(b).contains(ip)),
      eq(pn, 'ammyy.exe') && eq(pp, 'msiexec.exe'),
    ];
    held += results.filter(Boolean).length;
  }
  return held;
});

// json-rules-engine: async, one engine with the five rules; measured on fewer hits and reported per hit.
const engine = new Engine([], { allowUndefinedFacts: true });
engine.addOperator('equalsCI', (a: unknown, b: string) => eq(a, b));
engine.addOperator('notEqualsCI', (a: unknown, b: string) => typeof a === 'string' && !eq(a, b));
engine.addOperator('containsCI', (a: unknown, b: string) => Array.isArray(a) && a.some((x) => eq(x, b)));
// Its CIDR operator builds each block's matcher once, as Quell does: the peer is not handicapped.
const matchers = new Map<string, { contains(ip: string): boolean }[]>();
engine.addOperator('inCidr', (a: unknown, blocks: string[]) => {
  const key = blocks.join(',');
  let m = matchers.get(key);
  if (!m) { m = blocks.map((b) => new IPCIDR(b)); matchers.set(key, m); }
  return typeof a === 'string' && m.some((x) => x.contains(a));
});
const fact = (f: string) => f.replace(/\./g, '_');
const c = (f: string, operator: string, value: unknown) => ({ fact: fact(f), operator, value });
const jreRules = [
  { any: [c('process.name', 'notEqualsCI', 'ammyy.exe'), c('process.parent.name', 'notEqualsCI', 'ammyy.exe')] },
  { any: [c('process.name', 'equalsCI', 'schtasks.exe'), c('process.parent.name', 'equalsCI', 'schtasks.exe')] },
  { any: [c('user.name', 'equalsCI', 'domain\\administrator'), c('user.group', 'containsCI', 'domain admins')] },
  { all: [c('destination.ip', 'inCidr', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'])] },
  { all: [c('process.name', 'equalsCI', 'ammyy.exe'), c('process.parent.name', 'equalsCI', 'msiexec.exe')] },
];
jreRules.forEach((conditions, i) => engine.addRule({ conditions, event: { type: `rule-${i}` } } as never));
// Its input, the facts objects, made before the clock starts as Quell's prepared hits are.
const jreFacts = hits.slice(0, JN).map((h) => Object.fromEntries(Object.entries(h.fields).map(([k, v]) => [fact(k), v])));
const jre = timed(jreFacts.slice(0, WARM), jreFacts, async (input) => { for (const facts of input) await engine.run(facts); });

// Each warmed up in turn, then RUNS rounds, each timing every evaluator. Preparation is timed last, on its own: each
// pass leaves 200,000 prepared hits for the collector, whose concurrent marking would be charged to the next pass.
const all = [quell, unprepared, fused, naive, jre];
for (const e of all) await e.warmUp();
for (let r = 0; r < RUNS; r++) for (const e of all) await e.round();
await prepare.warmUp();
for (let r = 0; r < RUNS; r++) await prepare.round();
if (unprepared.result !== quell.result || fused.result !== quell.result) {
  throw new Error(`rule matches: prepared ${quell.result}, unprepared ${unprepared.result}, prepared in the loop ${fused.result}`);
}


// CIDR list size: 3 blocks against 10,000 blocks, same hits.
const big = Array.from({ length: 9_999 }, (_, i) => `"${100 + (i >> 8)}.${i & 255}.${(i * 7) & 255}.0/24"`).join(', ');
const small = compileText('destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")');
const large = compileText(`destination.ip in (${big}, "10.0.0.0/8")`);
const time = (r: typeof small) => { const s = performance.now(); for (const h of hits) r.test(h); return performance.now() - s; };
time(small); time(large); // warm both
const smallMs = Math.min(time(small), time(small), time(small));
const largeMs = Math.min(time(large), time(large), time(large));

const quellRate = rate(N, quell.ms), jreRate = rate(JN, jre.ms), naiveRate = rate(JN, naive.ms);
const withPreparation = rate(N, quell.ms + prepare.ms), fusedRate = rate(N, fused.ms), unpreparedRate = rate(N, unprepared.ms);
const x = (r: number) => `${Math.round(r / jreRate)}x`;
const byWall = (t: Timed, n: number) => Math.round(n / t.wallMs / (JN / jre.wallMs));
const quellOnJn = unpreparedPass(hits.slice(0, JN));
if (quellOnJn !== naive.result) throw new Error(`rule matches on ${JN} hits: Quell ${quellOnJn}, naive ${naive.result}`);
console.log(`hits: ${fmt(N)} DeviceNetworkEvents rows, rules: the five seed scenario filters (${quell.result} rule matches; ${quellOnJn} / ${naive.result} on the first ${fmt(JN)}, Quell / naive); ` +
  `warm-up ${fmt(WARM)} hits, the fastest pass of ${RUNS} rounds`);
console.log(`quell compiled evaluator, prepared hits: ${fmt(quellRate)} hits/s (5 rules each)`);
console.log(`  preparing the hits for the 5 rules:   ${fmt(rate(N, prepare.ms))} hits/s; preparing + evaluating: ${fmt(withPreparation)} hits/s`);
console.log(`  hits prepared in the loop (lazily):    ${fmt(fusedRate)} hits/s`);
console.log(`  hits as they are (unprepared):         ${fmt(unpreparedRate)} hits/s`);
console.log(`naive (ip-cidr contains per check, ${fmt(JN)} hits): ${fmt(naiveRate)} hits/s`);
console.log(`json-rules-engine (${fmt(JN)} hits):         ${fmt(jreRate)} hits/s`);
console.log(`ratios: quell / json-rules-engine = ${x(quellRate)}, quell / naive = ${(quellRate / naiveRate).toFixed(1)}x; ` +
  `/ json-rules-engine with preparation timed ${x(withPreparation)}, prepared in the loop ${x(fusedRate)}, unprepared ${x(unpreparedRate)}`);
console.log(`(rates are of CPU time; by wall time, which counts waiting for a core: quell / json-rules-engine = ${byWall(quell, N)}x, ` +
  `unprepared ${byWall(unprepared, N)}x; json-rules-engine ${fmt(rate(JN, jre.wallMs))} hits/s)`);
console.log(`CIDR list: 3 blocks ${smallMs.toFixed(0)} ms, 10,000 blocks ${largeMs.toFixed(0)} ms for ${fmt(N)} hits: ratio ${(largeMs / smallMs).toFixed(2)} (target <= 2)`);
