import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { AppError, Problem } from './errors.js';
import { CHECK_RESPONSES, responseErrors } from './validate.js';

export const PROBLEM_JSON = 'application/problem+json';

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; limit?: number };
  // body-parser signals its own failures with a `type`; map them to clear 4xx answers.
  if (e?.type === 'entity.too.large') return new AppError(413, `request body exceeds the limit of ${e.limit} bytes`);
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'request body is not valid JSON');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError(415, 'unsupported body encoding');
  if (e?.type === 'request.aborted') return new AppError(400, 'request aborted');
  return null;
}

// PostgreSQL refuses some input SQLite stores: text with NUL (22021, 22P05) and index entries over ~2.7 KB (54000).
// Quell checks for both where input arrives; anything that slips past is still the request's fault, not the server's.
function databaseRefusal(err: unknown): AppError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '22021' || code === '22P05') return new AppError(400, 'the request holds text the database cannot store (a NUL character or an invalid byte sequence)');
  if (code === '54000') return new AppError(400, 'a value in the request is too long for the database to index');
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem = toAppError(err);
    if (!problem) {
      problem = databaseRefusal(err);
      if (problem) logger.warn({ err, method: req.method, url: req.originalUrl }, 'the database refused input that validation let through');
    }
    if (!problem) {
      // 5xx details stay in the log: no stack traces, SQL or file paths in responses.
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      problem = new AppError(500, 'an unexpected error occurred; it has been logged');
    }
    for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
    const body = { type: problem.type, title: problem.title, status: problem.status, detail: problem.message, errors: problem.errors, ...problem.extra };
    const departures = CHECK_RESPONSES ? responseErrors(Problem, body) : [];
    if (departures.length) {
      res.status(500).type(PROBLEM_JSON).send(JSON.stringify({ type: 'https://quell.dev/problems/internal-server-error', title: 'Internal Server Error',
        status: 500, detail: `a ${problem.status} problem departed from the problem schema: ${departures.join('; ')}`, errors: [] }));
      return;
    }
    res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(body));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, `no route for ${req.method} ${req.path}`));
};
