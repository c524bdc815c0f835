/** One error type for everything a request can get wrong; the error handler renders it as problem+json. */
export interface ProblemFieldError {
  /** JSON pointer into the request (e.g. `/expression`, `/query`). */
  pointer: string;
  message: string;
  code?: string;
  offset?: number;
  length?: number;
}

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
