import { Type, type Static } from '@sinclair/typebox';

/** One field at fault; `offset`/`length` (and `line`/`column`) point into the text at `pointer` (an expression). */
export const ProblemFieldError = Type.Object({
  pointer: Type.String({ description: 'JSON pointer into the request (e.g. /expression, /query)' }),
  message: Type.String(),
  code: Type.Optional(Type.String()),
  offset: Type.Optional(Type.Integer()),
  length: Type.Optional(Type.Integer()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
});
export type ProblemFieldError = Static<typeof ProblemFieldError>;

/** The problem+json document every error answers with (RFC 9457); extra members (code, currentVersion…) may follow. */
export const Problem = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(),
  errors: Type.Array(ProblemFieldError),
});

/** One error type for everything a request can get wrong; the error handler renders it as problem+json. */

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  428: 'Precondition Required', 429: 'Too Many Requests', 500: 'Internal Server Error',
};

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly errors: ProblemFieldError[];
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(status: number, detail: string, opts: {
    type?: string; errors?: ProblemFieldError[]; headers?: Record<string, string>; extra?: Record<string, unknown>;
  } = {}) {
    super(detail);
    this.status = status;
    this.title = TITLES[status] ?? 'Error';
    this.type = opts.type ?? `https://quell.dev/problems/${this.title.toLowerCase().replace(/ /g, '-')}`;
    this.errors = opts.errors ?? [];
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }
}

export const badRequest = (detail: string, errors: ProblemFieldError[] = []) => new AppError(400, detail, { errors });
export const unauthorized = (detail = 'authentication required') =>
  new AppError(401, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="quell"' } });
export const forbidden = (detail: string) => new AppError(403, detail);
export const notFound = (what: string) => new AppError(404, `${what} not found`);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) => new AppError(409, detail, { extra });
export const unprocessable = (detail: string, errors: ProblemFieldError[] = [], extra: Record<string, unknown> = {}) =>
  new AppError(422, detail, { errors, extra });
