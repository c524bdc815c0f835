import { defineConfig } from 'vitest/config';

// Tests of pure code (the language, body parsing, export documents, …) do not touch a database: they run once, and so
// do the browser tests (they drive the UI through the same API the HTTP tests check on both). Every other test runs
// twice, on SQLite and on PostgreSQL (a private cluster started for the run).
const ONCE = [
  'test/ui/**',
  'test/language/**', 'test/suppression/export/**', 'test/db/**',
  'test/connections/connection-fields.test.ts', 'test/connections/secret-box.test.ts',
  'test/hits/parse-hits-body.test.ts', 'test/hits/sentinel-rows.test.ts',
  'test/hunts/hunt-document.test.ts', 'test/hunts/result-shape.test.ts',
  'test/schedules/query-document.test.ts', 'test/schedules/retry.test.ts',
  'test/suggestions/entry-suggestions.test.ts', 'test/suggestions/mine.test.ts',
  'test/sync/fake-arm.test.ts', 'test/sync/item-id.test.ts', 'test/sync/watchlist-diff.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    reporters: ['default', './test/support/unhandled-errors-reporter.ts'],
    hookTimeout: 120_000,
    // Each test file gets its own database; files run in parallel processes.
    pool: 'forks',
    // Every success response of the HTTP suite is checked against its route's declared schema (src/http/route.ts),
    // and every problem against the problem schema (src/http/error-handler.ts).
    env: { QUELL_CHECK_RESPONSES: '1' },
    projects: [
      { extends: true, test: { name: 'sqlite' } },
      {
        extends: true,
        test: {
          name: 'postgres',
          exclude: ONCE,
          env: { QUELL_CHECK_RESPONSES: '1', QUELL_TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
