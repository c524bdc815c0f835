// A hit prepared once for every rule that tests it: each field a rule reads is read, checked for absence, folded to
// lower case and parsed as an address at most once per hit, however many rules and clauses compare it (the five seed
// rules compare process.name six times and process.parent.name five times). Rules then compare prepared forms with
// values typed when they were checked: a string equality is `===`, an address range check a number comparison.
import type { ResolvedField } from './catalog.js';
import { fastReader, type HitView, type Read } from './hit.js';
import { ipv4Number, parseIp, type Ip } from './ip.js';
import { lowerText } from './operators.js';

// One slot number per distinct field read, process-wide, so that rules compiled separately (the app compiles each
// rule on its own) share a prepared hit's work. Bounded by the fields rules can name, i.e. by the catalog.
const slotByKey = new Map<string, number>();
const readers: Read[] = [];

/** The slot of a field: the same number for the same field (kind, name, aliases) in every evaluator. */
export function slotOf(f: ResolvedField): number {
  const key = `${f.kind}\u0000${f.name}\u0000${(f.aliases ?? []).join('\u0000')}`;
  let slot = slotByKey.get(key);
  if (slot === undefined) {
    slot = readers.length;
    readers.push(fastReader(f));
    slotByKey.set(key, slot);
  }
  return slot;
}

/** An address as prepared: IPv4 (or IPv4-mapped IPv6) as its number, IPv6 as an Ip, NOT_IP when it is no address. */
export type PreparedIp = number | Ip;
export const NOT_IP = -1;

function ipOf(v: unknown): PreparedIp {
  if (typeof v !== 'string') return NOT_IP; // as the unprepared matcher: only text is an address
  const n = ipv4Number(v);
  if (n >= 0) return n;
  const ip = parseIp(v);
  return ip === null ? NOT_IP : ip.v === 4 ? ip.n : ip;
}

const isPresent = (x: unknown) => !(x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0));

/** The forms a rule compares: the value itself (ints, dates, regular expressions, exists), folded text, an address. */
export type Form = 'value' | 'text' | 'ip';
const FORMS = 3;

/**
 * A hit prepared for evaluation: evaluators' test() and explain() take it in place of the hit. Forms are computed on
 * first use (or up front by prepareHit(hit, rules)) and kept; `undefined` in the cache means not computed yet, null
 * that the field is absent. It reads the hit, never changes it; the hit must not change while it is in use.
 */
export class PreparedHit {
  private readonly cache: unknown[];

  constructor(readonly hit: HitView) {
    this.cache = new Array(readers.length * FORMS);
  }

  /** The value, or null when absent: a scalar, or a list with at least one present element (absent ones not removed). */
  value(slot: number): unknown {
    const i = slot * FORMS;
    let v = this.cache[i];
    if (v === undefined) {
      v = readers[slot](this.hit);
      if (!isPresent(v) || (Array.isArray(v) && !v.some(isPresent))) v = null;
      this.cache[i] = v;
    }
    return v;
  }

  /** The folded text (what string comparisons compare); for a list, the present elements' (never empty); null when absent. */
  text(slot: number): string | readonly string[] | null {
    const i = slot * FORMS + 1;
    let t = this.cache[i] as string | string[] | null | undefined;
    if (t === undefined) {
      const v = this.value(slot);
      t = v === null ? null : Array.isArray(v) ? v.filter(isPresent).map(lowerText) : lowerText(v);
      this.cache[i] = t;
    }
    return t;
  }

  /** The address; for a list, the present elements' (never empty); null when absent. */
  ip(slot: number): PreparedIp | readonly PreparedIp[] | null {
    const i = slot * FORMS + 2;
    let a = this.cache[i] as PreparedIp | PreparedIp[] | null | undefined;
    if (a === undefined) {
      const v = this.value(slot);
      a = v === null ? null : Array.isArray(v) ? v.filter(isPresent).map(ipOf) : ipOf(v);
      this.cache[i] = a;
    }
    return a;
  }

  /** Computes a form now (prepareHit with rules does, so that evaluating later does no preparing). */
  compute(slot: number, form: Form): void {
    if (form === 'text') this.text(slot);
    else if (form === 'ip') this.ip(slot);
    else this.value(slot);
  }
}
