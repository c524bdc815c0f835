import { badRequest } from '../http/errors.js';

// Where each query API lives, and the token audience that goes with it. A connection may override the endpoint
// (sovereign clouds, a proxy, the fakes in tests); the audience follows the cloud, not the exact host.
const LOG_ANALYTICS_AUDIENCES: Record<string, string> = {
  'api.loganalytics.azure.cn': 'https://api.loganalytics.azure.cn/.default',
  'api.loganalytics.us': 'https://api.loganalytics.us/.default',
};
const GRAPH_AUDIENCES: Record<string, string> = {
  'graph.microsoft.us': 'https://graph.microsoft.us/.default',
  'dod-graph.microsoft.us': 'https://dod-graph.microsoft.us/.default',
  'microsoftgraph.chinacloudapi.cn': 'https://microsoftgraph.chinacloudapi.cn/.default',
};
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(url: string, what: string): URL {
  try { return new URL(url); } catch { throw badRequest(`the ${what} endpoint ${JSON.stringify(url)} is not a URL`); }
}

/** The Log Analytics query API base, version included (the SDK takes the endpoint as the whole base). */
export function logAnalyticsBase(override: string | undefined): string {
  const base = (override ?? 'https://api.loganalytics.io').replace(/\/+$/, '');
  parse(base, 'Log Analytics');
  return /\/v\d+$/.test(base) ? base : `${base}/v1`;
}

export function logAnalyticsScope(base: string): string {
  return LOG_ANALYTICS_AUDIENCES[parse(base, 'Log Analytics').hostname] ?? 'https://api.loganalytics.io/.default';
}

/**
 * Graph's runHuntingQuery URL. A bearer token goes only over TLS, or to this machine (a local proxy, the tests'
 * fake server): the same rule the Azure SDK enforces for Log Analytics, with that one exception.
 */
export function graphHuntingUrl(override: string | undefined): URL {
  const base = (override ?? 'https://graph.microsoft.com').replace(/\/+$/, '').replace(/\/v1\.0$/, '');
  const url = parse(`${base}/v1.0/security/runHuntingQuery`, 'Graph');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw badRequest(`the Graph endpoint ${base} is not https: Quell sends no token over an unencrypted connection`);
  }
  return url;
}

export function graphScope(url: URL): string {
  return GRAPH_AUDIENCES[url.hostname] ?? 'https://graph.microsoft.com/.default';
}
