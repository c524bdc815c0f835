// Small builders for the stores' hand-written SQL: bound parameters only, names quoted as Prisma writes them.

/** `?, ?, ?` for an IN list or a VALUES row of n parameters. */
export const marks = (n: number) => Array(n).fill('?').join(', ');

/** `INSERT INTO "T" ("a", "b") VALUES (?, ?)` for these columns, in this order. */
export const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${marks(columns.length)})`;
