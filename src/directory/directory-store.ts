import type { Sqlite } from '../db/database.js';

/** Group memberships by lower-cased user name. */
export function loadMemberships(sqlite: Sqlite): Map<string, string[]> {
  const rows = sqlite.prepare('SELECT "userName", "groupName" FROM "GroupMembership" ORDER BY "userName", "groupName"').all() as
    { userName: string; groupName: string }[];
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.userName, [...(map.get(r.userName) ?? []), r.groupName]);
  return map;
}

/** Replaces every membership, inside the caller's transaction. */
export function replaceMemberships(sqlite: Sqlite, next: ReadonlyMap<string, ReadonlySet<string>>): void {
  sqlite.prepare('DELETE FROM "GroupMembership"').run();
  const ins = sqlite.prepare('INSERT INTO "GroupMembership" ("userName", "groupName") VALUES (?, ?)');
  for (const [u, groups] of next) for (const g of groups) ins.run(u, g);
}
