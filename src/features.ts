import type { Router } from 'express';
import type { Services } from './services.js';
import type { Config } from './config.js';
import { hitsRouter } from './hits/hits-router.js';
import { rulesRouter } from './rules/rules-router.js';
import { verdictsRouter } from './verdicts/verdicts-router.js';
import { suppressionRouter } from './suppression/suppression-router.js';

/** Routers of the features built on the foundation (hits, rules, verdicts, suppression). */
export function featureRouters(s: Services, _config: Config): Router[] {
  return [
    hitsRouter({ ingest: s.ingest, hits: s.hitsQuery }),
    rulesRouter({ db: s.db, rules: s.rules, contexts: s.contexts, hunts: s.hunts, directory: s.directory, reevaluator: s.reevaluator }),
    verdictsRouter(s.verdicts),
    suppressionRouter({ db: s.db, lists: s.lists, exports: s.exports }),
  ];
}
