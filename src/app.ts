import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { Type } from '@sinclair/typebox';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.js';
import type { Config } from './config.js';
import type { Services } from './services.js';
import { authenticate } from './accounts/authenticate.js';
import { accountsRouter } from './accounts/accounts-router.js';
import { sessionRouter } from './accounts/session-router.js';
import { auditRouter } from './audit/audit-router.js';
import { huntsRouter } from './hunts/hunts-router.js';
import { healthRouter } from './health/health-router.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { configureJsonLimit, defineRoute, ROUTES } from './http/route.js';
import { buildOpenApi } from './http/openapi.js';
import { featureRouters } from './features.js';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** Builds the Express app; server.ts listens, tests drive it in-process. */
export function createApp(services: Services, config: Config, logger: Logger): Express {
  configureJsonLimit(config.bodyLimit);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      // No inline script, nothing from the internet: the UI ships every asset itself.
      directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'] },
    },
  }));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => logger.info({
      method: req.method, url: req.originalUrl, status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    }, 'request'));
    next();
  });

  const api = Router();
  api.use(authenticate(services.accounts));
  api.use(healthRouter(services.db, config.version));
  api.use(sessionRouter(services.accounts, { secureCookies: process.env.QUELL_SECURE_COOKIES === '1' }));
  api.use(accountsRouter(services.accounts));
  api.use(auditRouter(services.db.prisma));
  api.use(huntsRouter(services.hunts));
  for (const r of featureRouters(services, config)) api.use(r);
  defineRoute(api, { method: 'get', path: '/openapi.json', access: 'none', tag: 'meta', summary: 'This API description',
    response: Type.Object({ openapi: Type.String(), info: Type.Object({ title: Type.String(), version: Type.String() }), paths: Type.Record(Type.String(), Type.Unknown()) }) },
    () => ({ body: buildOpenApi(ROUTES, config.version) }));
  api.use(notFoundHandler);
  app.use('/api', api);

  app.use(express.static(PUBLIC_DIR, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
