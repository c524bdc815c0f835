import { atomsOf, type Atom } from './atoms.js';

export interface MinedHit { id: string; fields: Readonly<Record<string, unknown>> }

export interface Mined {
  expression: string;
  atoms: Atom[];
  /** Positive hits (benign, or unlabelled for candidates) it covers, and the ones it covers that no earlier suggestion did. */
  covered: number;
  newlyCovered: number;
  examples: string[];
  reason: string;
}

export interface MineOptions { minSupport: number; limit: number; maxAtoms?: 1 | 2 | 3 }

// A candidate's positives are a bitset over them: a conjunction's support is the popcount of an AND, so pairs and
// triples are counted word by word rather than by enumerating each hit's combinations.
interface Candidate { atoms: number[]; bits: Uint32Array; n: number }

const popcount = (x: number) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};

function and(a: Uint32Array, b: Uint32Array): { bits: Uint32Array; n: number } {
  const bits = new Uint32Array(a.length);
  let n = 0;
  for (let w = 0; w < a.length; w++) { const x = a[w]! & b[w]!; bits[w] = x; if (x) n += popcount(x); }
  return { bits, n };
}

function* members(bits: Uint32Array): Generator<number> {
  for (let w = 0; w < bits.length; w++) for (let x = bits[w]!; x; x &= x - 1) yield (w << 5) + (31 - Math.clz32(x & -x));
}

/**
 * A time condition explains hits only where it concentrates them: of the hits the rest of the candidate covers, at
 * least twice the share of time it spans must fall in it (capped at 95 %, so "working days", 5/7 of the week, needs
 * 95 % of them on working days). Hits spread evenly over the day are not explained by their hour.
 */
const concentrated = (hits: number, restHits: number, share: number) => hits >= Math.min(0.95, 2 * share) * restHits;

/**
 * Suggestions that explain most of `positives` and hold for none of `negatives`: candidates are single conditions and
 * conjunctions of two or three on different fields that co-occur in at least `minSupport` positives; a candidate that
 * holds for any negative (a malicious verdict) is discarded outright. A greedy cover then picks, each round, the safe
 * candidate that explains the most positives not yet explained (ties: fewer conditions, then narrower ones).
 */
export function mine(positives: readonly MinedHit[], negatives: readonly MinedHit[], opts: MineOptions): Mined[] {
  const maxAtoms = opts.maxAtoms ?? 3;
  const W = (positives.length + 31) >>> 5;
  const byKey = new Map<string, { atom: Atom; bits: Uint32Array; n: number }>();
  positives.forEach((h, i) => {
    for (const a of atomsOf(h.fields)) {
      let e = byKey.get(a.key);
      if (!e) byKey.set(a.key, e = { atom: a, bits: new Uint32Array(W), n: 0 });
      const m = 1 << (i & 31);
      if (!(e.bits[i >>> 5]! & m)) { e.bits[i >>> 5]! |= m; e.n++; }
    }
  });
  // Frequent single conditions first (a conjunction can only be as frequent as its rarest part), numbered in key order
  // so combinations have numeric keys and the outcome does not depend on the order of the hits' fields.
  const frequent = [...byKey.values()].filter((e) => e.n >= opts.minSupport).sort((a, b) => (a.atom.key < b.atom.key ? -1 : 1));
  const atoms = frequent.map((e) => e.atom);
  const K = atoms.length + 1;
  const keyOf = (ids: readonly number[]) => ids.reduce((k, x) => k * K + x + 1, 0);
  const candidates = new Map<number, Candidate>();
  const support = (ids: readonly number[]) => (ids.length ? candidates.get(keyOf(ids))?.n ?? 0 : positives.length);
  const explainsTime = (c: Candidate) => c.atoms.every((a) => {
    const share = atoms[a]!.timeShare;
    return share === undefined || concentrated(c.n, support(c.atoms.filter((x) => x !== a)), share);
  });
  // Never cover a true positive: one malicious verdict under a candidate removes it. Each condition is tested on each
  // negative once; a candidate is unsafe when its conditions all hold for one same negative.
  const words = Math.ceil(negatives.length / 32);
  const holdsFor = atoms.map((a) => {
    const bits = new Uint32Array(words);
    negatives.forEach((n, j) => { if (a.test(n.fields)) bits[j >>> 5]! |= 1 << (j & 31); });
    return bits;
  });
  const isSafe = (c: Candidate) => {
    for (let w = 0; w < words; w++) {
      let all = 0xffffffff;
      for (const a of c.atoms) all &= holdsFor[a]![w]!;
      if (all !== 0) return false;
    }
    return true;
  };
  const usable: Candidate[] = [];
  // Level by level (Apriori): a candidate that can be suggested is never extended, since adding a condition only
  // narrows it and the greedy cover below would always take the shorter one first. Only candidates that hold for a
  // malicious verdict (or slice time evenly) grow another condition, so the search stays small.
  const open: Candidate[] = [];
  const isOpen = new Set<number>();
  const keep = (c: Candidate) => {
    const k = keyOf(c.atoms);
    candidates.set(k, c);
    if (isSafe(c) && explainsTime(c)) usable.push(c); else { open.push(c); isOpen.add(k); }
  };
  frequent.forEach((e, a) => keep({ atoms: [a], bits: e.bits, n: e.n }));
  const field = atoms.map((a) => a.field);
  const openSingles = open.map((c) => c.atoms[0]!);
  for (let size = 2; size <= maxAtoms; size++) {
    // Each open candidate of the level below grows by one open single after its last condition, on another field,
    // and (for triples) only when every pair in it is open too: the Apriori pruning.
    const below = open.filter((c) => c.atoms.length === size - 1);
    for (const c of below) {
      const last = c.atoms[c.atoms.length - 1]!;
      for (const b of openSingles) {
        if (b <= last || c.atoms.some((a) => field[a] === field[b])) continue;
        if (size === 3 && (!isOpen.has(keyOf([c.atoms[0]!, b])) || !isOpen.has(keyOf([c.atoms[1]!, b])))) continue;
        const r = and(c.bits, frequent[b]!.bits);
        if (r.n >= opts.minSupport) keep({ atoms: [...c.atoms, b], ...r });
      }
    }
  }
  const breadth = (c: Candidate) => c.atoms.reduce((s, a) => s + atoms[a]!.breadth, 0);
  const textKey = (c: Candidate) => c.atoms.map((a) => atoms[a]!.key).join(' & ');
  const better = (a: Candidate, b: Candidate) => (a.atoms.length !== b.atoms.length ? a.atoms.length < b.atoms.length
    : breadth(a) !== breadth(b) ? breadth(a) < breadth(b) : textKey(a) < textKey(b));
  const explained = new Uint32Array(W);
  const out: Mined[] = [];
  const safe = usable;
  while (out.length < opts.limit) {
    let best: Candidate | null = null, bestNew = 0;
    for (const c of safe) {
      if (c.n < bestNew) continue;
      let n = 0;
      for (let w = 0; w < W; w++) { const x = c.bits[w]! & ~explained[w]!; if (x) n += popcount(x); }
      if (n > bestNew || (n === bestNew && best && better(c, best))) { best = c; bestNew = n; }
    }
    if (!best || bestNew < opts.minSupport) break;
    for (let w = 0; w < W; w++) explained[w]! |= best.bits[w]!;
    const chosen = best.atoms.map((a) => atoms[a]!).sort((a, b) => a.field.localeCompare(b.field));
    const examples: string[] = [];
    for (const i of members(best.bits)) { if (examples.length === 5) break; examples.push(positives[i]!.id); }
    out.push({ expression: chosen.map((a) => a.expression).join(' and '), atoms: chosen, covered: best.n, newlyCovered: bestNew,
      examples, reason: chosen.map((a) => a.phrase).join(', ') });
    safe.splice(safe.indexOf(best), 1);
  }
  return out;
}
