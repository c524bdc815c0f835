import type { Router } from 'express';
import type { Services } from './services.js';
import type { Config } from './config.js';
import { hitsRouter } from './hits/hits-router.js';
import { evaluationRouter } from './evaluation/evaluation-router.js';
import { rulesRouter } from './rules/rules-router.js';
import { directoryRouter } from './directory/directory-router.js';
import { verdictsRouter } from './verdicts/verdicts-router.js';
import { suppressionRouter } from './suppression/suppression-router.js';
import { connectionsRouter } from './connections/connections-router.js';
import { syncRouter } from './sync/sync-router.js';
import { suggestionsRouter } from './suggestions/suggestions-router.js';
import { savedFiltersRouter } from './saved-filters/saved-filters-router.js';
import { overviewRouter } from './overview/overview-router.js';
import { schedulesRouter } from './schedules/schedules-router.js';

/** Routers of the features built on the foundation (hits, evaluation, rules, directory, verdicts, suppression, saved filters, overview). */
export function featureRouters(s: Services, _config: Config): Router[] {
  return [
    hitsRouter({ ingest: s.ingest, hits: s.hitsQuery }),
    evaluationRouter(s.backtests),
    rulesRouter(s.rules),
    directoryRouter(s.directory),
    verdictsRouter(s.verdicts),
    suppressionRouter({ lists: s.lists, exports: s.exports }),
    connectionsRouter(s.connections),
    syncRouter(s.sync),
    suggestionsRouter(s.suggestions),
    savedFiltersRouter(s.savedFilters),
    overviewRouter(s.overview),
    schedulesRouter(s.scheduledRuns),
  ];
}
