/**
 * Case folding as Kusto's case-insensitive operators do it (`=~`, `in~`, `contains`, `startswith`, `endswith`): ASCII
 * letters only. `É` and `é` differ there, so they differ here too; otherwise Quell would suppress a hit the tuned
 * query keeps (or the reverse). Allocates only when the text has an upper-case ASCII letter.
 */
export function foldAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return s;
}
