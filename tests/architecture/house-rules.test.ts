/**
 * The rules of the house bite: dependency-cruiser, with the project's own rule set
 * (.dependency-cruiser.cjs), cruises a small tree (fixture/src) laid out like src/, where each
 * illegal file breaks one rule and the legal files show what each rule still allows (facts from the
 * engine, `buffer`/`events`, built-ins in a `*.node.ts` adapter and in src/cli, type-only engine
 * imports in an island, the Worker calling the engine, zod and fflate in a template).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as IConfiguration;

let violations: Array<{ rule: string; from: string; to: string }>;

beforeAll(async () => {
  // The fixture needs no TypeScript path mapping; everything else is the project's configuration.
  const { tsConfig: _projectOnly, ...options } = config.options ?? {};
  const { output } = await cruise(['src'], { ...options, baseDir: join(import.meta.dirname, 'fixture'), validate: true, ruleSet: { forbidden: config.forbidden ?? [] } });
  violations = (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1') }));
}, 60_000);

describe('the rules of the house', () => {
  it('report every illegal import of the fixture, and nothing else', () => {
    expect(violations.toSorted((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`))).toEqual([
      { rule: 'aws-emulators-stand-alone', from: 'src/engine/dataapi/emulator.ts', to: 'src/engine/dynamodb/emulator.ts' },
      { rule: 'engine-imports-only-facts', from: 'src/engine/metrics/reports.ts', to: 'src/run/report.ts' },
      { rule: 'every-import-resolves', from: 'src/run/typo.ts', to: './nowhere.ts' },
      { rule: 'islands-reach-the-engine-through-the-worker', from: 'src/components/sandbox/island.ts', to: 'src/engine/clock/scheduler.ts' },
      { rule: 'no-cycles', from: 'src/engine/clock/one.ts', to: 'src/engine/clock/two.ts' },
      { rule: 'no-folder-cycles', from: 'src/engine/metrics', to: 'src/engine/traffic' },
      { rule: 'no-folder-cycles', from: 'src/engine/traffic', to: 'src/engine/metrics' },
      { rule: 'no-node-adapter-in-browser-safe-code', from: 'src/engine/lambda/uses-node-host.ts', to: 'src/engine/host/host.node.ts' },
      { rule: 'no-node-builtin-in-browser-safe-code', from: 'src/engine/lambda/reads-disk.ts', to: 'fs' },
      { rule: 'pure-generators-need-no-engine', from: 'src/doctor/rules.ts', to: 'src/run/run.ts' },
      { rule: 'pure-generators-need-no-engine', from: 'src/templates/handler.ts', to: 'src/engine/clock/scheduler.ts' },
      { rule: 'pure-generators-stay-small', from: 'src/templates/client.ts', to: 'pg' },
    ]);
  });

  it('has a fixture case for every rule', () => {
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set((config.forbidden ?? []).map((rule) => rule.name)));
  });
});
