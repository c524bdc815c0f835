/** The text form Prisma's SQLite adapter writes for DateTime (ISO 8601, `+00:00`), so raw SQL and Prisma rows sort alike. */
export function sqlTime(d: Date | string): string {
  // Hot path (ingest): an ISO string in UTC already has the right instant; only its zone suffix differs.
  if (typeof d === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(d)) return `${d.slice(0, -1)}+00:00`;
  return new Date(d).toISOString().replace('Z', '+00:00');
}

/** Reads a DateTime column written by either path back as an ISO string (`Z`). */
export function isoTime(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return new Date(v).toISOString();
}
