import { parse } from 'csv-parse/sync';
import type { Db, Sql } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { badRequest, type ProblemFieldError } from '../http/errors.js';
import * as store from './directory-store.js';
import type { Reevaluator } from '../evaluation/reevaluate.js';

/** User names compare case-insensitively (Windows accounts), so the directory is keyed by lower case. */
export const userKey = (user: string) => user.trim().toLowerCase();

export type Directory = ReadonlyMap<string, readonly string[]>;

export interface Membership { user: string; group: string }

/** Reads a `user,group` CSV (header required, any column order, BOM and CRLF tolerated); all rows or none. */
export function parseMembershipsCsv(text: string): Membership[] {
  if (text.includes('\0')) throw badRequest('the group directory holds a NUL character; user and group names are text');
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (e) {
    throw badRequest(`the group directory is not valid CSV: ${(e as Error).message}`);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const ui = header.indexOf('user'), gi = header.indexOf('group');
  if (ui < 0 || gi < 0) {
    throw badRequest('the group directory CSV needs a header row with the columns user and group',
      [{ pointer: '/0', message: `header was: ${records[0]?.join(',') ?? '(empty)'}` }]);
  }
  const errors: ProblemFieldError[] = [];
  const out: Membership[] = [];
  records.slice(1).forEach((r, i) => {
    const user = r[ui] ?? '', group = r[gi] ?? '';
    if (!user || !group) errors.push({ pointer: `/${i + 1}`, message: `row ${i + 2}: user and group must both be present` });
    else out.push({ user, group });
  });
  if (errors.length) throw badRequest(`${errors.length} row(s) of the group directory are incomplete; nothing was changed`, errors);
  return out;
}

/**
 * The group directory as evaluation reads it. It is read from the database each time, never kept: another Quell
 * process may have replaced it, and it is small (a group export) next to what each evaluation reads anyway.
 */
export function createDirectory(db: Db) {
  return {
    load(sql: Sql = db.sql): Promise<Directory> { return store.loadMemberships(sql); },
  };
}
export type DirectoryReader = ReturnType<typeof createDirectory>;

export function createDirectoryService(db: Db, directory: DirectoryReader, reevaluator: Reevaluator) {
  /**
   * Replaces the whole directory (an upload is a full export, e.g. of "Domain Admins"), then re-evaluates the hits
   * of the users whose groups changed, and only those.
   */
  async function upload(actor: Actor, csvText: string) {
    const memberships = parseMembershipsCsv(csvText);
    const next = new Map<string, Set<string>>();
    for (const m of memberships) {
      const k = userKey(m.user);
      next.set(k, (next.get(k) ?? new Set()).add(m.group));
    }
    const total = [...next.values()].reduce((s, g) => s + g.size, 0);
    // The directory before is read in the same transaction as the replacement, so the users counted as changed are
    // exactly those whose groups this upload changed, whichever process uploaded last.
    const affected = await db.bulk(async (sql) => {
      const before = await directory.load(sql);
      const changed = new Set<string>();
      for (const [u, groups] of before) {
        const n = next.get(u);
        if (!n || n.size !== groups.length || groups.some((g) => !n.has(g))) changed.add(u);
      }
      for (const u of next.keys()) if (!before.has(u)) changed.add(u);
      await store.replaceMemberships(sql, next);
      await recordAuditSql(sql, { actor, action: 'directory.replace', entityType: 'directory', entityId: 'groups',
        before: { users: before.size }, after: { users: next.size, memberships: total, affectedUsers: changed.size } });
      return changed;
    });
    const re = await reevaluator.reevaluate({ userNames: [...affected] });
    return { users: next.size, memberships: total, affectedUsers: affected.size, reevaluated: re.changed };
  }

  return { upload };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
