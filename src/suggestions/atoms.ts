import { formatIp, parseIp, printString } from '../language/index.js';

// Conditions a suggested exclusion is built from: each field's value generalised along its hierarchy (Julisch's
// attribute-oriented induction): an IPv4 address to its /24, /16 and /8; a host or user name to the prefix before its
// number; an executable to its directory; an hour to its 4-hour block and to office hours or not; a weekday to the
// working week or the weekend; names of processes and domains stay exact. Each condition carries its
// predicate (for mining), its text in Quell's language (what an admin accepts) and a phrase for the reason.

export interface Atom {
  key: string;
  field: string;
  test(fields: Readonly<Record<string, unknown>>): boolean;
  expression: string;
  phrase: string;
  /** How general: a /8 is broader than a /24; used to prefer the narrower of two equally good suggestions. */
  breadth: number;
  /**
   * For a time condition, the share of all time it covers (a 4-hour block: 1/6). Hits spread evenly over the day are
   * not explained by the hour, so mining keeps such a condition only where it concentrates the hits (see mine.ts).
   */
  timeShare?: number;
}

const lit = printString;

/** An IPv4 address as a number (an IPv4-mapped IPv6 address counts as its IPv4 address), else null. */
function v4(s: string): number | null {
  const ip = parseIp(s);
  return ip?.v === 4 ? ip.n : null;
}

function ipAtoms(field: string, label: string, value: string): Atom[] {
  const n = v4(value);
  if (n === null) return [];
  return [24, 16, 8].map((prefix) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const net = (n & mask) >>> 0;
    const block = `${formatIp({ v: 4, n: net })}/${prefix}`;
    return { key: `${field} in ${block}`, field, breadth: 32 - prefix, expression: `${field} in (${lit(block)})`, phrase: `${label} in ${block}`,
      test: (f) => { const x = typeof f[field] === 'string' ? v4(f[field] as string) : null; return x !== null && ((x & mask) >>> 0) === net; } };
  });
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null);

function prefixAtom(field: string, label: string, prefix: string): Atom | null {
  if (prefix.length < 3) return null;
  const p = prefix.toLowerCase();
  return { key: `${field} startswith ${p}`, field, breadth: 10, expression: `${field} startswith ${lit(prefix)}`, phrase: `${label} ${prefix}…`,
    test: (f) => lower(f[field])?.startsWith(p) ?? false };
}

function exactAtom(field: string, phrase: string, value: string): Atom {
  const v = value.toLowerCase();
  return { key: `${field} == ${v}`, field, breadth: 0, expression: `${field} == ${lit(value)}`, phrase, test: (f) => lower(f[field]) === v };
}

const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
// An hour generalises to its 4-hour block, then to office hours (08–17 UTC) or the rest of the day.
const HOUR_BLOCKS = [0, 4, 8, 12, 16, 20].map((h) => ({ hours: hours(h, h + 3), phrase: `between ${pad(h)}:00 and ${pad(h + 4)}:00 UTC` }));
const OFFICE = { hours: hours(8, 17), phrase: 'in office hours (08:00–18:00 UTC)' };
const OFF_HOURS = { hours: [...hours(0, 7), ...hours(18, 23)], phrase: 'outside office hours (18:00–08:00 UTC)' };
function pad(h: number) { return String(h).padStart(2, '0'); }

function hourAtoms(hour: number): Atom[] {
  const groups = [{ hours: [hour], phrase: `at ${pad(hour)}:00–${pad(hour + 1)}:00 UTC` }, HOUR_BLOCKS[Math.floor(hour / 4)]!, hour >= 8 && hour <= 17 ? OFFICE : OFF_HOURS];
  return groups.map((g, level) => {
    const set = new Set(g.hours);
    return { key: `event.hour in ${g.hours.join(',')}`, field: 'event.hour', breadth: level + 1, timeShare: g.hours.length / 24,
      expression: g.hours.length === 1 ? `event.hour == ${g.hours[0]}` : `event.hour in (${g.hours.join(', ')})`, phrase: g.phrase,
      test: (f) => typeof f['event.hour'] === 'number' && set.has(f['event.hour']) };
  });
}

const WEEKEND = ['Saturday', 'Sunday'], WORKWEEK = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
// A weekday generalises to the working week or the weekend.
function weekdayAtoms(day: string): Atom[] {
  const wider = WEEKEND.includes(day) ? { days: WEEKEND, phrase: 'at weekends' } : { days: WORKWEEK, phrase: 'on working days (Monday–Friday)' };
  return [{ days: [day], phrase: `on ${day}s` }, wider].map((g, level) => {
    const set = new Set(g.days.map((d) => d.toLowerCase()));
    return { key: `event.weekday in ${g.days.join(',')}`, field: 'event.weekday', breadth: level + 1, timeShare: g.days.length / 7, phrase: g.phrase,
      expression: g.days.length === 1 ? `event.weekday == ${lit(g.days[0]!)}` : `event.weekday in (${g.days.map(lit).join(', ')})`,
      test: (f) => set.has(lower(f['event.weekday']) ?? '') };
  });
}

/** `hd-ws-0123` → `hd-ws-`; `CORP\svc-backup01` → `CORP\svc-backup`: the name without its running number. */
const stem = (name: string) => name.replace(/\d+$/, '');

/** The fields atomsOf reads: the only ones mining needs derived. */
export const ATOM_FIELDS: ReadonlySet<string> = new Set(['destination.ip', 'source.ip', 'host.name', 'user.name', 'process.executable',
  'process.name', 'process.parent.name', 'destination.domain', 'event.hour', 'event.weekday']);

// Hits share values (one subnet, one parent process), so each value's conditions are built once and shared: building
// them was most of mining's time. Bounded, so a hunt of distinct values cannot grow it without end.
const MEMO = new Map<string, readonly Atom[]>();
function memo(field: string, value: string, make: () => readonly Atom[]): readonly Atom[] {
  const k = `${field}\u0000${value}`;
  let atoms = MEMO.get(k);
  if (!atoms) {
    if (MEMO.size >= 200_000) MEMO.clear();
    atoms = make();
    MEMO.set(k, atoms);
  }
  return atoms;
}

const nameAtoms = (field: string, label: string, name: string) => {
  const s = stem(name);
  const a = s !== name ? prefixAtom(field, label, s) : null;
  return a ? [a] : [];
};

function exeAtoms(exe: string): Atom[] {
  if (!exe.includes('\\')) return [];
  const dir = exe.slice(0, exe.lastIndexOf('\\') + 1);
  const a = prefixAtom('process.executable', 'run from', dir);
  return a ? [{ ...a, phrase: `run from ${dir}` }] : [];
}

/** Every condition one hit's fields give, at every level of each field's hierarchy. */
export function atomsOf(fields: Readonly<Record<string, unknown>>): Atom[] {
  const out: Atom[] = [];
  const add = (field: string, make: (v: string) => readonly Atom[]) => {
    const v = fields[field];
    if (typeof v === 'string' && v !== '') for (const a of memo(field, v, () => make(v))) out.push(a);
  };
  add('destination.ip', (v) => ipAtoms('destination.ip', 'destination', v));
  add('source.ip', (v) => ipAtoms('source.ip', 'source', v));
  add('host.name', (v) => { const s = stem(v.split('.')[0] ?? v); const a = s !== v ? prefixAtom('host.name', 'hosts named', s) : null; return a ? [a] : []; });
  add('user.name', (v) => [exactAtom('user.name', `user ${v}`, v), ...nameAtoms('user.name', 'users named', v)]);
  add('process.executable', exeAtoms);
  add('process.name', (v) => [exactAtom('process.name', `process ${v}`, v)]);
  add('process.parent.name', (v) => [exactAtom('process.parent.name', `launched from ${v}`, v)]);
  add('destination.domain', (v) => [exactAtom('destination.domain', `to ${v}`, v)]);
  const hour = fields['event.hour'];
  if (typeof hour === 'number' && Number.isInteger(hour) && hour >= 0 && hour < 24) for (const a of memo('event.hour', String(hour), () => hourAtoms(hour))) out.push(a);
  add('event.weekday', weekdayAtoms);
  return out;
}
