import express, { type Router, type Request, type Response, type RequestHandler } from 'express';
import type { TSchema, Static } from '@sinclair/typebox';
import { hasRole, type Actor, type Role } from '../core/actor.js';
import { check, CHECK_RESPONSES, responseErrors } from './validate.js';
import { AppError, forbidden, unauthorized } from './errors.js';

/** `none`: public; `any`: any signed-in user; else the least role that may call the route (SPEC §1). */
export type Access = 'none' | 'any' | Role;

export interface RouteSpec<B extends TSchema | undefined = TSchema | undefined, Q extends TSchema | undefined = TSchema | undefined> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  access: Access;
  summary: string;
  tag: string;
  body?: B;
  /** Media types the body may have when it is not JSON validated by `body` (hunt import text, hit ingest). */
  bodyMediaTypes?: string[];
  query?: Q;
  /** The success body's schema: documented in OpenAPI and, under QUELL_CHECK_RESPONSES=1 (the tests), enforced. */
  response: TSchema;
  /** Media type of a non-JSON success body (exports, tuned query text). */
  responseMediaType?: string;
  /** Body parsers for this route; default: JSON (with the configured limit) when `body` is set. */
  parsers?: RequestHandler[];
}

export interface RouteContext<B, Q> {
  actor: Actor;
  /** Set when the caller signed in with the session cookie. */
  sessionId: string | undefined;
  body: B;
  query: Q;
  params: Record<string, string>;
  header(name: string): string | undefined;
  /** The raw body for non-JSON media types (Buffer or string as parsed by the route's body parser). */
  rawBody: unknown;
  /** The unread request body as a stream of chunks, for routes without a body parser (hit ingest). */
  stream: AsyncIterable<Buffer>;
  contentType: string | undefined;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  /** Send `body` as text with this content type instead of JSON. */
  contentType?: string;
}

/** Every route Quell serves, for the OpenAPI document and the role-matrix test. */
export const ROUTES: RouteSpec[] = [];

let jsonParser: RequestHandler = express.json({ limit: '1mb' });
/** Sets the default JSON body limit; call before routers are built. */
export function configureJsonLimit(limit: string): void {
  jsonParser = express.json({ limit });
}

type In<S> = S extends TSchema ? Static<S> : undefined;

export function defineRoute<B extends TSchema | undefined, Q extends TSchema | undefined>(
  router: Router,
  spec: RouteSpec<B, Q>,
  handler: (ctx: RouteContext<In<B>, In<Q>>) => Promise<Reply> | Reply,
): void {
  if (!ROUTES.some((r) => r.method === spec.method && r.path === spec.path)) ROUTES.push(spec as RouteSpec);
  // The role is checked before the body is read, so an unauthorised caller cannot make us parse 50 MB.
  const gate: RequestHandler = (_req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (spec.access !== 'none') {
      if (!actor) throw unauthorized();
      if (spec.access !== 'any' && !hasRole(actor, spec.access)) {
        throw forbidden(`this action needs the ${spec.access} role; you are ${actor.role}`);
      }
    }
    next();
  };
  const parsers = spec.parsers ?? (spec.body ? [jsonParser] : []);
  router[spec.method](spec.path, gate, ...parsers, async (req: Request, res: Response) => {
    const actor = res.locals.actor as Actor | undefined;
    const isJson = req.is('application/json') !== false && req.is('application/json') !== null;
    const body = spec.body && (isJson || !spec.bodyMediaTypes) ? check(spec.body, req.body ?? null, 'body') : undefined;
    const query = spec.query ? check(spec.query, req.query, 'query') : undefined;
    const reply = await handler({
      actor: actor as Actor,
      sessionId: res.locals.sessionId as string | undefined,
      body: body as In<B>,
      query: query as In<Q>,
      params: req.params as Record<string, string>,
      header: (name) => req.get(name),
      rawBody: req.body,
      stream: req as AsyncIterable<Buffer>,
      contentType: req.get('content-type'),
    });
    // `body` is typed unknown, so a service's promise handed over unawaited would type-check and be sent as `{}`.
    if (reply.body instanceof Promise) throw new AppError(500, `${spec.method.toUpperCase()} ${spec.path} answered with a promise, not its value`);
    if (CHECK_RESPONSES && reply.body !== undefined && !reply.contentType) {
      const errors = responseErrors(spec.response, reply.body);
      if (errors.length) throw new AppError(500, `${spec.method.toUpperCase()} ${spec.path} answered outside its response schema: ${errors.join('; ')}`);
    }
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    res.status(reply.status ?? 200);
    if (reply.body === undefined) res.end();
    else if (reply.contentType) res.type(reply.contentType).send(reply.body);
    else res.json(reply.body);
  });
}
