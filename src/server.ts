import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './db/database.js';
import { createServices } from './services.js';
import { createApp } from './app.js';
import { seed } from './seed.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config.databaseUrl, {
  onIdleError: (err) => logger.warn({ err }, 'an idle database connection failed; the next query opens another'),
});
const services = createServices(db, logger, config);
const { adminPassword, huntsImported } = await seed(services);
if (huntsImported.length) logger.info({ hunts: huntsImported }, 'seed hunts imported');
if (adminPassword) {
  // Printed once, never stored in clear and never logged again.
  process.stdout.write(`\n  Quell first start: created user "admin" with password: ${adminPassword}\n`
    + '  Sign in at the web UI and keep it somewhere safe; it is not shown again.\n\n');
}
services.startBackground?.();
const server = createApp(services, config, logger).listen(config.port, config.host, () => {
  logger.info({ url: `http://${config.host}:${config.port}` }, 'Quell is listening');
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  void services.stopBackground().finally(() => server.close(() => { void db.close().then(() => process.exit(0)); }));
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
