import type { Db } from './db/database.js';
import type { Logger } from './logger.js';
import { byteSize, type Config } from './config.js';
import { createAccountsService } from './accounts/accounts-service.js';
import { createHuntsService } from './hunts/hunts-service.js';
import { createDirectory, createDirectoryService } from './directory/directory-service.js';
import { createContextLoader } from './evaluation/evaluation-context.js';
import { createReevaluator } from './evaluation/reevaluate.js';
import { createExpirySweeper } from './evaluation/expiry-sweeper.js';
import { createBacktestService } from './evaluation/backtest-service.js';
import { createIngestService } from './hits/ingest-service.js';
import { createHitsQuery } from './hits/hits-query.js';
import { createRulesService } from './rules/rules-service.js';
import { createListsService } from './suppression/lists-service.js';
import { createExportService } from './suppression/export-service.js';
import { createVerdictsService } from './verdicts/verdicts-service.js';
import { createSuggestionsService } from './suggestions/suggestions-service.js';
import { createSavedFiltersService } from './saved-filters/saved-filters-service.js';
import { createOverviewService } from './overview/overview-service.js';

export function createServices(db: Db, logger: Logger, config?: Partial<Pick<Config, 'maxIngestRows' | 'ingestLimit'>>) {
  const directory = createDirectory(db);
  const contexts = createContextLoader(db, directory);
  const reevaluator = createReevaluator(db, contexts);
  const sweeper = createExpirySweeper(db, reevaluator, logger);
  const lists = createListsService(db, reevaluator);
  const rules = createRulesService(db, directory, reevaluator);
  return {
    db,
    logger,
    accounts: createAccountsService(db),
    hunts: createHuntsService(db),
    directory: createDirectoryService(db, directory, reevaluator),
    contexts,
    reevaluator,
    ingest: createIngestService(db, contexts, { maxRows: config?.maxIngestRows, maxBytes: byteSize(config?.ingestLimit ?? '50mb') }),
    hitsQuery: createHitsQuery(db, contexts),
    rules,
    backtests: createBacktestService(db, contexts, rules),
    suggestions: createSuggestionsService(db, rules),
    sweeper,
    lists,
    exports: createExportService(db, lists),
    verdicts: createVerdictsService(db, lists, reevaluator),
    savedFilters: createSavedFiltersService(db),
    overview: createOverviewService(db),
    /** Timers (rule and entry expiry sweeps); started by server.ts, not by tests. */
    startBackground: () => sweeper.start(),
    stopBackground: () => sweeper.stop(),
  };
}

export type Services = ReturnType<typeof createServices>;
