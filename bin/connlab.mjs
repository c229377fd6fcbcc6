#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping), so the CLI needs no build step.
import { fileURLToPath } from 'node:url';
import { runInLiftoffChild, wantsLiftoffChild } from '../src/cli/liftoff.ts';

const argv = process.argv.slice(2);
if (wantsLiftoffChild(argv)) {
  process.exitCode = await runInLiftoffChild(fileURLToPath(import.meta.url), argv);
} else {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
