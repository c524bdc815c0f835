import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../db/database.js';
import { createServices } from '../services.js';
import { SYSTEM_ACTOR, ROLES, type Role, type Actor } from '../core/actor.js';
import { AppError } from '../http/errors.js';
import { syncCommand } from '../sync/sync-cli.js';

const USAGE = `usage:
  quell user add NAME --role viewer|analyst|admin [--token-name NAME] [--expires ISO-DATE]
      creates the user and prints a new API token for it, alone on stdout
  quell user list
  quell token create NAME [--token-name NAME] [--expires ISO-DATE]
  quell token revoke TOKEN-ID
  quell sync [--dry-run] [--list ALIAS|ID] [--connection NAME|ID]
      syncs each suppression list to its target Sentinel watchlists; --dry-run prints the diff and changes nothing`;

// The CLI runs with shell access to the database file, so it acts as Quell itself, audited as `cli`.
const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'cli' };

type Out = { write(text: string): unknown };

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr,
  overrides?: Parameters<typeof createServices>[3]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { role: { type: 'string' }, 'token-name': { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean' },
      'dry-run': { type: 'boolean' }, list: { type: 'string' }, connection: { type: 'string' } },
  });
  const [noun, verb, arg] = positionals;
  if (values.help || !noun) { err.write(`${USAGE}\n`); return values.help ? 0 : 2; }

  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl);
  // Logs go to stderr so stdout carries only what the command prints (a token, a table).
  const services = createServices(db, createLogger('silent'), config, overrides);
  try {
    if (noun === 'user' && verb === 'add' && arg) {
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) { err.write(`--role must be one of ${ROLES.join(', ')}\n`); return 2; }
      const user = await services.accounts.createUser(CLI_ACTOR, { username: arg, role });
      const token = await services.accounts.createToken(CLI_ACTOR, user.id,
        { name: values['token-name'] ?? 'cli', expiresAt: values.expires });
      out.write(`${token.token}\n`);
      return 0;
    }
    if (noun === 'sync' && !verb) {
      return await syncCommand(services, CLI_ACTOR, { dryRun: values['dry-run'] ?? false, list: values.list, connection: values.connection }, out, err);
    }
    if (noun === 'user' && verb === 'list') {
      for (const u of await services.accounts.listUsers()) out.write(`${u.username}\t${u.role}\t${u.id}${u.disabled ? '\tdisabled' : ''}\n`);
      return 0;
    }
    if (noun === 'token' && verb === 'create' && arg) {
      const user = await services.accounts.findUserByName(arg);
      if (!user) { err.write(`no user named ${arg}\n`); return 1; }
      const token = await services.accounts.createToken(CLI_ACTOR, user.id, { name: values['token-name'] ?? 'cli', expiresAt: values.expires });
      out.write(`${token.token}\n`);
      return 0;
    }
    if (noun === 'token' && verb === 'revoke' && arg) {
      const t = await services.accounts.revokeToken(CLI_ACTOR, arg);
      err.write(`revoked token ${t.id} (${t.prefix}…)\n`);
      return 0;
    }
    err.write(`${USAGE}\n`);
    return 2;
  } catch (e) {
    if (e instanceof AppError) { err.write(`quell: ${e.message}\n`); return 1; }
    throw e;
  } finally {
    await db.close();
  }
}
