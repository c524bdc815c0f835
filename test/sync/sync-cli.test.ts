import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Writable } from 'node:stream';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { addEntries, connectList, hostNames, sentinelOverrides, syncList, TEST_SECRET_KEY, WORKSPACE_BASE } from '../support/sentinel.js';
import { main } from '../../src/cli/main.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) { this.text += chunk.toString(); cb(); }
}

describe('CLI: quell sync [--dry-run] [--list ALIAS|ID]', () => {
  let t: TestApp, fake: FakeArm, listId: string;
  const ALIAS = 'cli-sync-list';

  async function cli(...argv: string[]) {
    const out = new Capture(), err = new Capture();
    const saved = { url: process.env.DATABASE_URL, key: process.env.QUELL_SECRET_KEY };
    Object.assign(process.env, { DATABASE_URL: t.databaseUrl, QUELL_SECRET_KEY: TEST_SECRET_KEY });
    try {
      const code = await main(argv, out, err, sentinelOverrides());
      return { code, out: out.text, err: err.text };
    } finally {
      for (const [k, v] of [['DATABASE_URL', saved.url], ['QUELL_SECRET_KEY', saved.key]] as const) {
        if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
    }
  }

  beforeAll(async () => {
    fake = await startFakeArm();
    t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    listId = await syncList(t, ALIAS);
    await connectList(t, fake, listId);
    await addEntries(t.services, listId, hostNames(3));
  });
  afterAll(async () => { await t.close(); await fake.close(); });

  it('when `quell sync --dry-run --list ALIAS` runs, then it prints the diff per target and Sentinel is not written', async () => {
    const r = await cli('sync', '--dry-run', '--list', ALIAS);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`${ALIAS}\n  soc-prod (soc-workspace): dry run, no watchlist yet (a sync creates it)\n`
      + '    would create 3, update 0, delete 0; 0 unchanged; changes in ' + new Date().toISOString().slice(0, 7) + ': 0 of 100000\n'
      + hostNames(3).map((h) => `    + ${h}\n`).join(''));
    expect(fake.counts['item.put'] + fake.counts['watchlist.put']).toBe(0);
  });

  it('when `quell sync` runs without --dry-run, then every targeted list is synced and the counts are printed', async () => {
    const r = await cli('sync');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${ALIAS}\\n  soc-prod \\(soc-workspace\\): succeeded, watchlist created\\n    created 3, updated 0, deleted 0 of 3/0/0 planned`));
    expect(fake.items(WORKSPACE_BASE, ALIAS)).toHaveLength(3);
    const audit = (await t.services.db.sql.get<{ actorName: string }>(`SELECT "actorName" FROM "AuditEvent" WHERE "action" = 'list.sync' ORDER BY "id" DESC`))!;
    expect(audit.actorName).toBe('cli');
  });

  it('when the list is named by id and Sentinel fails, then the error is printed and the exit code is 1', async () => {
    fake.fail(10, 500, { kinds: ['watchlist.get'] });
    const r = await cli('sync', '--list', listId);
    fake.heal();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error: reading watchlist cli-sync-list .*Sentinel answered 500/);
  });

  it('when the list does not exist, then it exits 1 saying so', async () => {
    const r = await cli('sync', '--dry-run', '--list', 'no-such-list');
    expect(r).toMatchObject({ code: 1, out: '', err: expect.stringMatching(/no suppression list with alias or id no-such-list/) });
  });
});
