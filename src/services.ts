import type { Db } from './db/database.js';
import type { Logger } from './logger.js';
import { byteSize, type Config } from './config.js';
import { createAccountsService } from './accounts/accounts-service.js';
import { createHuntsService } from './hunts/hunts-service.js';
import { createDirectoryService } from './directory/directory-service.js';
import { createContextLoader } from './hits/evaluation-context.js';
import { createReevaluator } from './hits/reevaluate.js';
import { createIngestService } from './hits/ingest-service.js';
import { createHitsQuery } from './hits/hits-query.js';
import { createRulesService } from './rules/rules-service.js';
import { createExpirySweeper } from './hits/expiry-sweeper.js';
import { createListsService } from './suppression/lists-service.js';
import { createExportService } from './suppression/export-service.js';
import { createVerdictsService } from './verdicts/verdicts-service.js';

export function createServices(db: Db, logger: Logger, config?: Partial<Pick<Config, 'maxIngestRows' | 'ingestLimit'>>) {
  const directory = createDirectoryService(db);
  const contexts = createContextLoader(db, directory);
  const reevaluator = createReevaluator(db, contexts);
  const sweeper = createExpirySweeper(db, reevaluator, logger);
  const lists = createListsService(db, reevaluator);
  return {
    db,
    logger,
    accounts: createAccountsService(db),
    hunts: createHuntsService(db),
    directory,
    contexts,
    reevaluator,
    ingest: createIngestService(db, contexts, { maxRows: config?.maxIngestRows, maxBytes: byteSize(config?.ingestLimit ?? '50mb') }),
    hitsQuery: createHitsQuery(db, contexts),
    rules: createRulesService(db, contexts, reevaluator),
    sweeper,
    lists,
    exports: createExportService(db, lists),
    verdicts: createVerdictsService(db, lists, reevaluator),
    /** Timers (rule and entry expiry sweeps); started by server.ts, not by tests. */
    startBackground: () => sweeper.start(),
    stopBackground: () => sweeper.stop(),
  };
}

export type Services = ReturnType<typeof createServices>;
