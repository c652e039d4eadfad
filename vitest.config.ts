import { defineConfig } from 'vitest/config';

// Integration tests run twice, once per database, with the same files: the database is the only
// difference between the two projects.
const integration = ['test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    // PostgreSQL and Chromium from the npm registry when the machine has neither.
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'web/**/*.test.tsx'], environment: 'node' } },
      { test: { name: 'sqlite', include: integration, env: { HOTLINE_TEST_DATABASE: 'sqlite' }, testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'postgres', include: integration, env: { HOTLINE_TEST_DATABASE: 'postgres' }, testTimeout: 30_000, hookTimeout: 60_000 } },
      // Several `hotline serve` processes on PostgreSQL and Redis behind nginx (deploy/nginx).
      { test: { name: 'cluster', include: ['test/cluster/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
