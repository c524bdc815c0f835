import { readFileSync } from 'node:fs';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: string;
  /** Largest accepted request body for JSON/text payloads other than hit ingest. */
  bodyLimit: string;
  /** Largest accepted hit-ingest body (SPEC §3: streaming parse, default 50 MB). */
  ingestLimit: string;
  /** Most rows one ingest body may hold. */
  maxIngestRows: number;
  /** QUELL_SECRET_KEY: the AES-256 key (32 bytes, base64 or hex) sealing connection secrets; unset = none can be stored. */
  secretKey?: string;
  version: string;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** '50mb', '512kb', '1048576' → bytes. */
export function byteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!m) throw new Error(`not a size: ${text}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL ?? 'file:./data/quell.db',
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    ingestLimit: env.INGEST_LIMIT ?? '50mb',
    maxIngestRows: Number(env.INGEST_MAX_ROWS ?? 1_000_000),
    secretKey: env.QUELL_SECRET_KEY || undefined,
    version: pkg.version,
  };
}
