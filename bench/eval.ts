// npm run bench:eval — the five seed scenario rules over 200,000 generated DeviceNetworkEvents hits, next to the
// same rules in json-rules-engine and a naive evaluator that calls ip-cidr's contains() per check, in the same run.
// Also: a 10,000-block CIDR list against a 3-block list (sorted merged ranges + bisection should keep this flat).
import { readFileSync } from 'node:fs';
import IPCIDRModule from 'ip-cidr';
import { Engine } from 'json-rules-engine';
import { checkRule, compileEvaluator, splitTrailingRemark, type Evaluator, type HitView } from '../src/language/index.js';
import { FIELD_CATALOG, normaliseRow } from '../src/fields/index.js';
import { netconnRows } from './rows.js';

const IPCIDR = ((IPCIDRModule as unknown as { default?: unknown }).default ?? IPCIDRModule) as new (c: string) => { contains(ip: string): boolean };
const N = Number(process.env.HITS ?? 200_000);
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

// Quell: compiled once, test() per hit and rule.
const rules = filters.map((f) => compileText(f));
let held = 0;
let t = performance.now();
for (const h of hits) for (const r of rules) if (r.test(h) === true) held++;
const quellRate = rate(N, performance.now() - t);

// Naive: the same semantics written plainly, with ip-cidr constructed and asked per check.
const get = (h: HitView, f: string) => h.fields[f] as string | undefined;
const eq = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b;
let naiveHeld = 0;
t = performance.now();
for (const h of hits) {
  const pn = get(h, 'process.name'), pp = get(h, 'process.parent.name'), ip = get(h, 'destination.ip');
  const results = [
    (pn !== undefined && !eq(pn, 'ammyy.exe')) || (pp !== undefined && !eq(pp, 'ammyy.exe')),
    eq(pn, 'schtasks.exe') || eq(pp, 'schtasks.exe'),
    eq(get(h, 'user.name'), 'domain\\administrator') || ((h.fields['user.group'] as string[] | undefined) ?? []).some((g) => eq(g, 'domain admins')),
    ip !== undefined && ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((b) => new IPCIDR(b).contains(ip)),
    eq(pn, 'ammyy.exe') && eq(pp, 'msiexec.exe'),
  ];
  naiveHeld += results.filter(Boolean).length;
}
const naiveRate = rate(N, performance.now() - t);

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
const JN = Math.min(N, Number(process.env.JRE_HITS ?? 20_000));
t = performance.now();
for (const h of hits.slice(0, JN)) {
  const facts = Object.fromEntries(Object.entries(h.fields).map(([k, v]) => [fact(k), v]));
  await engine.run(facts);
}
const jreRate = rate(JN, performance.now() - t);

// CIDR list size: 3 blocks against 10,000 blocks, same hits.
const big = Array.from({ length: 9_999 }, (_, i) => `"${100 + (i >> 8)}.${i & 255}.${(i * 7) & 255}.0/24"`).join(', ');
const small = compileText('destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")');
const large = compileText(`destination.ip in (${big}, "10.0.0.0/8")`);
const time = (r: typeof small) => { const s = performance.now(); for (const h of hits) r.test(h); return performance.now() - s; };
time(small); time(large); // warm both
const smallMs = Math.min(time(small), time(small), time(small));
const largeMs = Math.min(time(large), time(large), time(large));

console.log(`hits: ${fmt(N)} DeviceNetworkEvents rows, rules: the five seed scenario filters (${held} / ${naiveHeld} rule matches, Quell / naive)`);
console.log(`quell compiled evaluator:         ${fmt(quellRate)} hits/s (5 rules each)`);
console.log(`naive (ip-cidr contains per check): ${fmt(naiveRate)} hits/s`);
console.log(`json-rules-engine (${fmt(JN)} hits):    ${fmt(jreRate)} hits/s`);
console.log(`ratios: quell / json-rules-engine = ${Math.round(quellRate / jreRate)}x, quell / naive = ${(quellRate / naiveRate).toFixed(1)}x`);
console.log(`CIDR list: 3 blocks ${smallMs.toFixed(0)} ms, 10,000 blocks ${largeMs.toFixed(0)} ms for ${fmt(N)} hits: ratio ${(largeMs / smallMs).toFixed(2)} (target <= 2)`);
