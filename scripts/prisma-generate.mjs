// Runs `prisma generate` on machines that cannot reach Prisma's binary download host, once per database Quell runs on.
// The generated `prisma-client` with a driver adapter needs no engine binary, but the CLI insists on one before
// generating; any existing file satisfies that check.
// One schema is the source: the PostgreSQL client is generated from a copy of prisma/schema.prisma with only the
// provider and the output folder changed, so the two clients cannot drift apart.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

function generate(schema) {
  const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', schema], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

generate('prisma/schema.prisma');

const source = readFileSync('prisma/schema.prisma', 'utf8');
const postgres = source
  .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
  .replace(/output\s*=\s*"\.\.\/src\/generated\/prisma"/, 'output       = "../../src/generated/prisma-postgres"');
if (postgres === source || !postgres.includes('prisma-postgres') || !postgres.includes('"postgresql"')) {
  console.error('prisma-generate: could not derive the PostgreSQL schema from prisma/schema.prisma (provider or output line changed?)');
  process.exit(1);
}
mkdirSync('.tmp/prisma-postgres', { recursive: true });
writeFileSync('.tmp/prisma-postgres/schema.prisma', `// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs: do not edit.\n${postgres}`);
generate('.tmp/prisma-postgres/schema.prisma');
