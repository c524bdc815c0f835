import { Address6 } from 'ip-address';

export type Ip = { v: 4; n: number } | { v: 6; n: bigint };
export type Block = { v: 4; start: number; end: number; prefix: number; hostBits: boolean; text: string }
  | { v: 6; start: bigint; end: bigint; prefix: number; hostBits: boolean; text: string };

/**
 * A dotted-quad IPv4 address (`a.b.c.d`, 1–3 decimal digits per octet, each at most 255) as a number, or -1.
 * Hand-rolled so the evaluator's hot path neither runs a regular expression nor allocates.
 */
export function ipv4Number(s: string): number {
  const len = s.length;
  if (len < 7 || len > 15) return -1;
  let n = 0, octet = 0, digits = 0, dots = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      octet = octet * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || octet > 255 || ++dots > 3) return -1;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return -1;
  return n * 256 + octet;
}

function v4(s: string): number | null {
  const n = ipv4Number(s);
  return n < 0 ? null : n;
}

function v6(s: string): bigint | null {
  if (!s.includes(':') || !Address6.isValid(s)) return null;
  return BigInt(`0x${new Address6(s).canonicalForm().replace(/:/g, '')}`);
}

/** An address; an IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) is read as the IPv4 address it carries. */
export function parseIp(text: string): Ip | null {
  const s = text.trim();
  const a = v4(s);
  if (a !== null) return { v: 4, n: a };
  const b = v6(s.replace(/%.*$/, ''));
  if (b === null) return null;
  if (b >> 32n === 0xffffn) return { v: 4, n: Number(b & 0xffffffffn) };
  return { v: 6, n: b };
}

/** A CIDR block or a single address (as a /32 or /128). `hostBits` is set when the address has bits past the prefix. */
export function parseBlock(text: string): Block | null {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? null : s.slice(slash + 1);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) return null;
  const a = v4(addr);
  if (a !== null) {
    const p = prefixText === null ? 32 : Number(prefixText);
    if (p > 32) return null;
    const size = 2 ** (32 - p);
    const start = Math.floor(a / size) * size;
    return { v: 4, start, end: start + size - 1, prefix: p, hostBits: start !== a, text: s };
  }
  const b = v6(addr);
  if (b === null || !Address6.isValid(addr)) return null;
  const p = prefixText === null ? 128 : Number(prefixText);
  if (p > 128) return null;
  // A block written as ::ffff:a.b.c.d/n (n >= 96) is the IPv4 block a.b.c.d/(n-96): mapped addresses are IPv4 here.
  if (b >> 32n === 0xffffn && p >= 96) {
    const mapped = parseBlock(`${new Address6(addr).to4().address}/${p - 96}`);
    return mapped && { ...mapped, text: s };
  }
  const hostBitsCount = BigInt(128 - p);
  const start = (b >> hostBitsCount) << hostBitsCount;
  return { v: 6, start, end: start + (1n << hostBitsCount) - 1n, prefix: p, hostBits: start !== b, text: s };
}

/** Dotted-quad text of an IPv4 address held as a number. */
export const formatIpv4 = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/**
 * A set of blocks as sorted, merged ranges: membership is a binary search, so a 10,000-block list costs
 * about log2(10,000) ≈ 14 comparisons where a 3-block list costs 2.
 */
export class IpSet {
  private readonly s4: number[] = [];
  private readonly e4: number[] = [];
  private readonly s6: bigint[] = [];
  private readonly e6: bigint[] = [];
  readonly blocks: readonly Block[];

  constructor(blocks: readonly Block[]) {
    this.blocks = blocks;
    const r4: [number, number][] = [];
    const r6: [bigint, bigint][] = [];
    for (const b of blocks) {
      if (b.v === 4) r4.push([b.start, b.end]); else r6.push([b.start, b.end]);
    }
    r4.sort((x, y) => x[0] - y[0]);
    for (const [s, e] of r4) {
      const last = this.e4.length - 1;
      if (last >= 0 && s <= this.e4[last] + 1) this.e4[last] = Math.max(this.e4[last], e);
      else { this.s4.push(s); this.e4.push(e); }
    }
    r6.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (const [s, e] of r6) {
      const last = this.e6.length - 1;
      if (last >= 0 && s <= this.e6[last] + 1n) this.e6[last] = this.e6[last] > e ? this.e6[last] : e;
      else { this.s6.push(s); this.e6.push(e); }
    }
  }

  /** Whether an IPv4 address (as a number) is in the set. */
  has4(n: number): boolean {
    const starts = this.s4;
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= n) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && n <= this.e4[found];
  }

  has(ip: Ip): boolean {
    if (ip.v === 4) return this.has4(ip.n);
    const starts = this.s6;
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= ip.n) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && ip.n <= this.e6[found];
  }

  /** Whether an address written as text is in the set (what parseIp reads; a plain dotted quad without allocating). */
  hasText(text: string): boolean {
    const n = ipv4Number(text);
    if (n >= 0) return this.has4(n);
    const ip = parseIp(text);
    return ip !== null && this.has(ip);
  }

  /** The first block containing ip, for explanations (linear; only called for hits a rule holds for). */
  blockOf(ip: Ip): Block | undefined {
    return this.blocks.find((b) => b.v === ip.v && b.start <= ip.n && ip.n <= b.end);
  }
}

export function formatIp(ip: Ip): string {
  if (ip.v === 4) return formatIpv4(ip.n);
  const hex = ip.n.toString(16).padStart(32, '0');
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
  return new Address6(groups.join(':')).correctForm();
}
