/** The text form Prisma's SQLite adapter writes for DateTime (ISO 8601, `+00:00`), so raw SQL and Prisma rows sort alike. */
export function sqlTime(d: Date | string): string {
  return new Date(d).toISOString().replace('Z', '+00:00');
}

/** Reads a DateTime column written by either path back as an ISO string (`Z`). */
export function isoTime(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return new Date(v).toISOString();
}
