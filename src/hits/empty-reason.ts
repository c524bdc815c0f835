import type { HitFilter } from './schemas.js';

/**
 * Why a filter can never match, when its parts contradict each other (null otherwise). The listing still runs: this
 * only tells the analyst that an empty page is the filter's doing, not an empty queue.
 */
export function emptyReason(f: HitFilter): string | null {
  const reasons: string[] = [];
  if (f.queue && f.status === 'suppressed') {
    reasons.push('The open queue holds only open and flagged hits, so queue=true with status=suppressed can never match.');
  }
  if (f.queue && (f.verdict === 'malicious' || f.verdict === 'benign')) {
    reasons.push(`The open queue holds only hits without a verdict, so queue=true with verdict=${f.verdict} can never match.`);
  }
  if (f.since && f.until && Date.parse(f.since) > Date.parse(f.until)) {
    reasons.push(`since (${f.since}) is after until (${f.until}), so no hit can fall in that range.`);
  }
  if (f.device && f.devicePrefix) {
    // device is an exact name, or a prefix with a trailing *; either way one must extend the other to leave any device.
    const d = f.device.toLowerCase(), p = f.devicePrefix.toLowerCase();
    const compatible = d.endsWith('*') ? d.slice(0, -1).startsWith(p) || p.startsWith(d.slice(0, -1)) : d.startsWith(p);
    if (!compatible) reasons.push(`device=${f.device} does not start with devicePrefix=${f.devicePrefix}, so no device can match both.`);
  }
  return reasons.length ? reasons.join(' ') : null;
}
