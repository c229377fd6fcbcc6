#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping), so the CLI needs no build step.
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// V8's compiled code for the CLI's modules, kept between runs: a start-up compiles about 300 of them
// (0.15 to 0.25 s of a `connlab simulate`). Set before the first of them is imported; a cache that
// cannot be written (a read-only install) only means compiling again.
enableCompileCache(fileURLToPath(new URL('../.cache/connlab/compile/', import.meta.url)));

const { runInLiftoffChild, wantsLiftoffChild } = await import('../src/cli/liftoff.ts');
const argv = process.argv.slice(2);
if (wantsLiftoffChild(argv)) {
  process.exitCode = await runInLiftoffChild(fileURLToPath(import.meta.url), argv);
} else {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
