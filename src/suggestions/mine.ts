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

interface Candidate { atoms: Atom[]; hits: number[] }

const keyOf = (atoms: readonly Atom[]) => atoms.map((a) => a.key).sort().join(' & ');

/**
 * Suggestions that explain most of `positives` and hold for none of `negatives`: candidates are single conditions and
 * conjunctions of two or three on different fields that co-occur in at least `minSupport` positives; a candidate that
 * holds for any negative (a malicious verdict) is discarded outright. A greedy cover then picks, each round, the safe
 * candidate that explains the most positives not yet explained (ties: fewer conditions, then narrower ones).
 */
export function mine(positives: readonly MinedHit[], negatives: readonly MinedHit[], opts: MineOptions): Mined[] {
  const maxAtoms = opts.maxAtoms ?? 3;
  const atomsByKey = new Map<string, Atom>();
  const perHit = positives.map((h) => {
    const keys = new Set<string>();
    for (const a of atomsOf(h.fields)) { if (!atomsByKey.has(a.key)) atomsByKey.set(a.key, a); keys.add(a.key); }
    return [...keys];
  });
  // Frequent single conditions first: a conjunction can only be as frequent as its rarest part.
  const support = new Map<string, number[]>();
  perHit.forEach((keys, i) => { for (const k of keys) (support.get(k) ?? support.set(k, []).get(k)!).push(i); });
  const frequent = new Set([...support].filter(([, ids]) => ids.length >= opts.minSupport).map(([k]) => k));
  const candidates = new Map<string, Candidate>();
  for (const [k, ids] of support) if (frequent.has(k)) candidates.set(k, { atoms: [atomsByKey.get(k)!], hits: ids });
  if (maxAtoms >= 2) {
    const combos = new Map<string, { atoms: Atom[]; hits: number[] }>();
    perHit.forEach((keys, i) => {
      const f = keys.filter((k) => frequent.has(k)).sort();
      for (let a = 0; a < f.length; a++) for (let b = a + 1; b < f.length; b++) {
        const A = atomsByKey.get(f[a]!)!, B = atomsByKey.get(f[b]!)!;
        if (A.field === B.field) continue;
        const ab = `${f[a]} & ${f[b]}`;
        addCombo(combos, ab, [A, B], i);
        if (maxAtoms >= 3) for (let c = b + 1; c < f.length; c++) {
          const C = atomsByKey.get(f[c]!)!;
          if (C.field !== A.field && C.field !== B.field) addCombo(combos, `${ab} & ${f[c]}`, [A, B, C], i);
        }
      }
    });
    for (const [k, c] of combos) if (c.hits.length >= opts.minSupport) candidates.set(k, c);
  }
  // Never cover a true positive: one malicious verdict under a candidate removes it. Each condition is tested on each
  // negative once; a candidate is unsafe when its conditions all hold for one same negative.
  const holdsFor = new Map<string, Uint8Array>();
  for (const k of frequent) {
    const a = atomsByKey.get(k)!;
    holdsFor.set(k, Uint8Array.from(negatives, (n) => (a.test(n.fields) ? 1 : 0)));
  }
  const safe = [...candidates.values()].filter((c) => {
    const sets = c.atoms.map((a) => holdsFor.get(a.key)!);
    for (let j = 0; j < negatives.length; j++) if (sets.every((m) => m[j] === 1)) return false;
    return true;
  });
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
    const atoms = [...best.atoms].sort((a, b) => a.field.localeCompare(b.field));
    out.push({ expression: atoms.map((a) => a.expression).join(' and '), atoms, covered: best.hits.length, newlyCovered: bestNew,
      examples: best.hits.slice(0, 5).map((i) => positives[i]!.id), reason: atoms.map((a) => a.phrase).join(', ') });
    safe.splice(safe.indexOf(best), 1);
  }
  return out;
}

function addCombo(combos: Map<string, { atoms: Atom[]; hits: number[] }>, k: string, atoms: Atom[], i: number) {
  const c = combos.get(k);
  if (c) c.hits.push(i); else combos.set(k, { atoms, hits: [i] });
}

const breadth = (c: Candidate) => c.atoms.reduce((s, a) => s + a.breadth, 0);
function better(a: Candidate, b: Candidate): boolean {
  if (a.atoms.length !== b.atoms.length) return a.atoms.length < b.atoms.length;
  if (breadth(a) !== breadth(b)) return breadth(a) < breadth(b);
  return keyOf(a.atoms) < keyOf(b.atoms);
}
