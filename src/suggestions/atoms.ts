import { formatIp, parseIp, printString } from '../language/index.js';

// Conditions a suggested exclusion is built from: each field's value generalised along its hierarchy (Julisch's
// attribute-oriented induction): an IPv4 address to its /24, /16 and /8; a host or user name to the prefix before its
// number; an executable to its directory; names of processes and domains stay exact. Each condition carries its
// predicate (for mining), its text in Quell's language (what an admin accepts) and a phrase for the reason.

export interface Atom {
  key: string;
  field: string;
  test(fields: Readonly<Record<string, unknown>>): boolean;
  expression: string;
  phrase: string;
  /** How general: a /8 is broader than a /24; used to prefer the narrower of two equally good suggestions. */
  breadth: number;
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

/** `hd-ws-0123` → `hd-ws-`; `CORP\svc-backup01` → `CORP\svc-backup`: the name without its running number. */
const stem = (name: string) => name.replace(/\d+$/, '');

/** Every condition one hit's fields give, at every level of each field's hierarchy. */
export function atomsOf(fields: Readonly<Record<string, unknown>>): Atom[] {
  const out: Atom[] = [];
  const str = (k: string) => (typeof fields[k] === 'string' && fields[k] !== '' ? fields[k] as string : null);
  const dst = str('destination.ip'); if (dst) out.push(...ipAtoms('destination.ip', 'destination', dst));
  const src = str('source.ip'); if (src) out.push(...ipAtoms('source.ip', 'source', src));
  const host = str('host.name');
  if (host) {
    const s = stem(host.split('.')[0] ?? host);
    const a = s !== host ? prefixAtom('host.name', 'hosts named', s) : null;
    if (a) out.push(a);
  }
  const user = str('user.name');
  if (user) {
    out.push(exactAtom('user.name', `user ${user}`, user));
    const s = stem(user);
    const a = s !== user ? prefixAtom('user.name', 'users named', s) : null;
    if (a) out.push(a);
  }
  const exe = str('process.executable');
  if (exe && exe.includes('\\')) {
    const dir = exe.slice(0, exe.lastIndexOf('\\') + 1);
    const a = prefixAtom('process.executable', 'run from', dir);
    if (a) out.push({ ...a, phrase: `run from ${dir}` });
  }
  const proc = str('process.name'); if (proc) out.push(exactAtom('process.name', `process ${proc}`, proc));
  const parent = str('process.parent.name'); if (parent) out.push(exactAtom('process.parent.name', `launched from ${parent}`, parent));
  const domain = str('destination.domain'); if (domain) out.push(exactAtom('destination.domain', `to ${domain}`, domain));
  return out;
}
