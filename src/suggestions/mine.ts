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

interface Candidate { atoms: number[]; hits: number[] }

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
  const byKey = new Map<string, { atom: Atom; hits: number[] }>();
  positives.forEach((h, i) => {
    for (const a of atomsOf(h.fields)) {
      const e = byKey.get(a.key);
      if (!e) byKey.set(a.key, { atom: a, hits: [i] });
      else if (e.hits[e.hits.length - 1] !== i) e.hits.push(i);
    }
  });
  // Frequent single conditions first (a conjunction can only be as frequent as its rarest part), numbered in key order
  // so combinations have numeric keys and the outcome does not depend on the order of the hits' fields.
  const frequent = [...byKey.values()].filter((e) => e.hits.length >= opts.minSupport).sort((a, b) => (a.atom.key < b.atom.key ? -1 : 1));
  const atoms = frequent.map((e) => e.atom);
  const K = atoms.length + 1;
  const keyOf = (ids: readonly number[]) => ids.reduce((k, x) => k * K + x + 1, 0);
  const candidates = new Map<number, Candidate>();
  const support = (ids: readonly number[]) => (ids.length ? candidates.get(keyOf(ids))?.hits.length ?? 0 : positives.length);
  const explainsTime = (c: Candidate) => c.atoms.every((a) => {
    const share = atoms[a]!.timeShare;
    return share === undefined || concentrated(c.hits.length, support(c.atoms.filter((x) => x !== a)), share);
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
  const open = new Set<number>();
  const fieldIds = new Map<string, number>();
  const keep = (c: Candidate) => {
    const k = keyOf(c.atoms);
    candidates.set(k, c);
    if (isSafe(c) && explainsTime(c)) usable.push(c); else open.add(k);
  };
  frequent.forEach((e, a) => keep({ atoms: [a], hits: e.hits }));
  // Keys of ascending index tuples, computed without arrays: this loop runs for every pair and triple of every hit.
  const fieldOf = Int32Array.from(atoms, (a) => fieldIds.get(a.field) ?? fieldIds.set(a.field, fieldIds.size).get(a.field)!);
  const pairKey = (a: number, b: number) => (a + 1) * K + b + 1;
  for (let size = 2; size <= maxAtoms; size++) {
    const perHit: number[][] = positives.map(() => []);
    frequent.forEach((e, a) => { if (open.has(a + 1)) for (const i of e.hits) perHit[i]!.push(a); });
    const level = new Map<number, Candidate>();
    // C < 0: a pair. No arrays are made for a combination already counted.
    const add = (k: number, A: number, B: number, C: number, i: number) => {
      const c = level.get(k);
      if (c) c.hits.push(i); else level.set(k, { atoms: C < 0 ? [A, B] : [A, B, C], hits: [i] });
    };
    perHit.forEach((f, i) => {
      for (let x = 0; x < f.length; x++) for (let y = x + 1; y < f.length; y++) {
        const A = f[x]!, B = f[y]!;
        if (fieldOf[A] === fieldOf[B]) continue;
        const ab = pairKey(A, B);
        if (size === 2) { add(ab, A, B, -1, i); continue; }
        // A triple is worth counting only when each of its pairs is open (frequent, and not suggestible).
        if (!open.has(ab)) continue;
        for (let z = y + 1; z < f.length; z++) {
          const C = f[z]!;
          if (fieldOf[C] === fieldOf[A] || fieldOf[C] === fieldOf[B] || !open.has(pairKey(A, C)) || !open.has(pairKey(B, C))) continue;
          add(ab * K + C + 1, A, B, C, i);
        }
      }
    });
    for (const c of level.values()) if (c.hits.length >= opts.minSupport) keep(c);
  }
  const safe = usable;
  const breadth = (c: Candidate) => c.atoms.reduce((s, a) => s + atoms[a]!.breadth, 0);
  const textKey = (c: Candidate) => c.atoms.map((a) => atoms[a]!.key).join(' & ');
  const better = (a: Candidate, b: Candidate) => (a.atoms.length !== b.atoms.length ? a.atoms.length < b.atoms.length
    : breadth(a) !== breadth(b) ? breadth(a) < breadth(b) : textKey(a) < textKey(b));
  const explained = new Uint8Array(positives.length);
  const out: Mined[] = [];
  while (out.length < opts.limit) {
    let best: Candidate | null = null, bestNew = 0;
    for (const c of safe) {
      let n = 0;
      for (const i of c.hits) if (!explained[i]) n++;
      if (n > bestNew || (n === bestNew && best && better(c, best))) { best = c; bestNew = n; }
    }
    if (!best || bestNew < opts.minSupport) break;
    for (const i of best.hits) explained[i] = 1;
    const chosen = best.atoms.map((a) => atoms[a]!).sort((a, b) => a.field.localeCompare(b.field));
    out.push({ expression: chosen.map((a) => a.expression).join(' and '), atoms: chosen, covered: best.hits.length, newlyCovered: bestNew,
      examples: best.hits.slice(0, 5).map((i) => positives[i]!.id), reason: chosen.map((a) => a.phrase).join(', ') });
    safe.splice(safe.indexOf(best), 1);
  }
  return out;
}
