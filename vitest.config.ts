import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // PGlite start-up and real PostgreSQL servers make some suites slow; none may hang.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each test process compiles PGlite's WebAssembly afresh; TurboFan's background recompilation of its
    // largest functions costs more CPU than short runs win back (tests/engine/{dsql,lambda}: 64 s of user
    // CPU with it, 48 s Liftoff only), so tests run on Liftoff alone.
    execArgv: ['--liftoff-only'],
  },
});
