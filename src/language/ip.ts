import { Address6 } from 'ip-address';

export type Ip = { v: 4; n: number } | { v: 6; n: bigint };
export type Block = { v: 4; start: number; end: number; prefix: number; hostBits: boolean; text: string }
  | { v: 6; start: bigint; end: bigint; prefix: number; hostBits: boolean; text: string };

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function v4(s: string): number | null {
  const m = V4.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
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

export const looksLikeCidr = (s: string) => s.includes('/');

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
    const r4 = blocks.filter((b) => b.v === 4).map((b) => [b.start as number, b.end as number] as const).sort((x, y) => x[0] - y[0]);
    for (const [s, e] of r4) {
      const last = this.e4.length - 1;
      if (last >= 0 && s <= this.e4[last]! + 1) this.e4[last] = Math.max(this.e4[last]!, e);
      else { this.s4.push(s); this.e4.push(e); }
    }
    const r6 = blocks.filter((b) => b.v === 6).map((b) => [b.start as bigint, b.end as bigint] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (const [s, e] of r6) {
      const last = this.e6.length - 1;
      if (last >= 0 && s <= this.e6[last]! + 1n) this.e6[last] = this.e6[last]! > e ? this.e6[last]! : e;
      else { this.s6.push(s); this.e6.push(e); }
    }
  }

  has(ip: Ip): boolean {
    const starts = ip.v === 4 ? this.s4 : this.s6;
    const ends = ip.v === 4 ? this.e4 : this.e6;
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= ip.n) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && ip.n <= ends[found]!;
  }

  /** The first block containing ip, for explanations (linear; only called for hits a rule holds for). */
  blockOf(ip: Ip): Block | undefined {
    return this.blocks.find((b) => b.v === ip.v && b.start <= ip.n && ip.n <= b.end);
  }
}

export function formatIp(ip: Ip): string {
  if (ip.v === 4) return [24, 16, 8, 0].map((s) => (ip.n >>> s) & 255).join('.');
  const hex = ip.n.toString(16).padStart(32, '0');
  return new Address6(hex.match(/.{4}/g)!.join(':')).correctForm();
}
