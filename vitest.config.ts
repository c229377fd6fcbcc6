import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // PGlite start-up and real PostgreSQL servers make some suites slow; none may hang.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
