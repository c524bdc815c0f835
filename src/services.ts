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
import { createScheduledRuns, type ScheduledRunsOptions } from './schedules/scheduled-runs.js';
import { createConnectionsService } from './connections/connections-service.js';
import type { AzureOptions } from './connections/azure-options.js';
import { createSyncService, type SyncOptions } from './sync/sync-service.js';

export function createServices(db: Db, logger: Logger, config?: Partial<Pick<Config, 'maxIngestRows' | 'ingestLimit' | 'secretKey'>>,
  overrides: { scheduledRuns?: ScheduledRunsOptions; azure?: AzureOptions; sync?: SyncOptions } = {}) {
  const directory = createDirectory(db);
  const contexts = createContextLoader(db, directory);
  const reevaluator = createReevaluator(db, contexts);
  const sweeper = createExpirySweeper(db, reevaluator, logger);
  const lists = createListsService(db, reevaluator);
  const rules = createRulesService(db, directory, reevaluator);
  const ingest = createIngestService(db, contexts, { maxRows: config?.maxIngestRows, maxBytes: byteSize(config?.ingestLimit ?? '50mb') });
  // Sentinel connections: secrets sealed under QUELL_SECRET_KEY; credentials and SDK client options injectable for tests.
  const connections = createConnectionsService(db, { secretKey: config?.secretKey, azure: overrides.azure });
  // Scheduled hunt runs query Sentinel through those connections (tests override the resolver, sleep and TLS).
  const scheduledRuns = createScheduledRuns(db, ingest, logger, { resolver: connections.resolver, ...overrides.scheduledRuns });
  return {
    db,
    logger,
    accounts: createAccountsService(db),
    hunts: createHuntsService(db),
    directory: createDirectoryService(db, directory, reevaluator),
    contexts,
    reevaluator,
    ingest,
    hitsQuery: createHitsQuery(db, contexts),
    rules,
    backtests: createBacktestService(db, contexts, rules),
    suggestions: createSuggestionsService(db, rules, lists, reevaluator),
    sweeper,
    lists,
    exports: createExportService(db, lists),
    verdicts: createVerdictsService(db, lists, reevaluator),
    savedFilters: createSavedFiltersService(db),
    overview: createOverviewService(db),
    scheduledRuns,
    connections,
    sync: createSyncService(db, lists, connections, overrides.sync),
    /** Timers (rule and entry expiry sweeps, the hunt-run scheduler); started by server.ts, not by tests. */
    startBackground: () => { sweeper.start(); scheduledRuns.scheduler.start(); },
    stopBackground: async () => { await Promise.all([sweeper.stop(), scheduledRuns.scheduler.stop()]); },
  };
}

export type Services = ReturnType<typeof createServices>;
