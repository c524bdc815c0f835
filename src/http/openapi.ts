import type { RouteSpec } from './route.js';
import { Problem } from './errors.js';

// TypeBox schemas are JSON Schema already; drop its internal symbol-keyed markers by round-tripping through JSON.
const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
const PROBLEM = plain(Problem);

/** The OpenAPI 3.1 document, built from the same route specs and schemas that validate requests. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? plain(r.query) : null;
    const queryParams = query
      ? Object.entries((query.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
        name, in: 'query', required: ((query.required ?? []) as string[]).includes(name) && !(schema as { default?: unknown }).default,
        schema,
      }))
      : [];
    const content: Record<string, unknown> = {};
    if (r.body) content['application/json'] = { schema: plain(r.body) };
    for (const t of r.bodyMediaTypes ?? []) content[t] ??= { schema: { type: 'string' } };
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      'x-quell-role': r.access,
      security: r.access === 'none' ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [...params, ...queryParams],
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses: {
        '2XX': { description: 'success', ...(r.response ? { content: { [r.responseMediaType ?? 'application/json']: { schema: plain(r.response) } } } : {}) },
        default: { description: 'problem', content: { 'application/problem+json': { schema: PROBLEM } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Quell', version, description: 'False-positive triage and exclusion manager for Microsoft Sentinel / Defender XDR hunts' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'quell_session' },
      },
    },
    paths,
  };
}
