// One sync in a process of its own, so a test can kill it half-way with SIGKILL: no cleanup runs, as in a crash.
// argv: DATABASE_URL, list id. The fake ARM server's certificate is trusted and the credential is a fake.
import { openDatabase } from '../../src/db/database.js';
import { createServices } from '../../src/services.js';
import { createLogger } from '../../src/logger.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { sentinelOverrides } from './sentinel.js';

const [databaseUrl, listId] = process.argv.slice(2) as [string, string];
const db = await openDatabase(databaseUrl);
const services = createServices(db, createLogger('silent'), { secretKey: process.env.QUELL_SECRET_KEY }, sentinelOverrides());
const result = await services.sync.sync(SYSTEM_ACTOR, listId, {});
process.stdout.write(`${JSON.stringify(result.results.map((r) => r.applied))}\n`);
await db.close();
