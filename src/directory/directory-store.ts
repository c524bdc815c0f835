import type { Sql } from '../db/sql.js';

/** Group memberships by lower-cased user name. */
export async function loadMemberships(sql: Sql): Promise<Map<string, string[]>> {
  const rows = await sql.all<{ userName: string; groupName: string }>('SELECT "userName", "groupName" FROM "GroupMembership" ORDER BY "userName", "groupName"');
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.userName, [...(map.get(r.userName) ?? []), r.groupName]);
  return map;
}

/** Replaces every membership, inside the caller's transaction. */
export async function replaceMemberships(sql: Sql, next: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
  await sql.run('DELETE FROM "GroupMembership"');
  const rows: string[][] = [];
  for (const [u, groups] of next) for (const g of groups) rows.push([u, g]);
  await sql.insertMany('GroupMembership', ['userName', 'groupName'], rows);
}
