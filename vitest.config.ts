import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file gets its own SQLite file; files run in parallel processes.
    pool: 'forks',
    // Every success response of the HTTP suite is checked against its route's declared schema (src/http/route.ts),
    // and every problem against the problem schema (src/http/error-handler.ts).
    env: { QUELL_CHECK_RESPONSES: '1' },
  },
});
