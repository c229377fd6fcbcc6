/**
 * Lambda Managed Instances against the default compute, with the same handler code: several
 * invocations at once in one module scope, and timers that run between invocations. The sandbox's
 * own before/after and scaling claims are its expectations (expectations.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { Sandbox, SandboxSource } from '../../src/sandboxes/schema.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const ID = 'managed-instances';

/** The sandbox with other traffic (without the parameter that sets the sandbox's), on Managed Instances or (compute removed) on the default compute. */
function variantOf(compute: 'managed-instances' | 'default', traffic: Sandbox['traffic'], durationMs: number): SandboxSource {
  const source = loadSandbox(ID);
  const { compute: managed, ...lambda } = source.definition.lambda;
  const parameters = source.definition.parameters.filter((p) => !p.binds.some((path) => path.startsWith('traffic.') || (compute === 'default' && path.startsWith('lambda.compute.'))));
  return { ...source, definition: { ...source.definition, durationMs, traffic, parameters, lambda: compute === 'default' ? lambda : { ...lambda, compute: managed } } };
}

/** Fails every invocation that finds another one in flight in its module scope, saying how many. */
const COUNTS_NEIGHBOURS = `
let inFlight = 0;
export const handler = async () => {
  inFlight++;
  try {
    if (inFlight > 1) throw new Error('in flight: ' + inFlight);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return inFlight;
  } finally {
    inFlight--;
  }
};`;

/** A module-level interval, and an invocation that reports how often it has ticked. */
const COUNTS_TICKS = `
let ticks = 0;
setInterval(() => ticks++, 1000);
export const handler = async () => {
  throw new Error('ticks: ' + ticks);
};`;

const oneCallAt = (startMs: number): Sandbox['traffic'][number] => ({ kind: 'spike', startMs, durationMs: 1, concurrency: 1, rampMs: 0, thinkMs: 60_000, retryDelayMs: 60_000 });

describe(`sandbox ${ID}: the compute`, () => {
  it('runs several invocations at once in one environment and one module scope; the default compute never does', async () => {
    const traffic: Sandbox['traffic'] = [{ kind: 'steady', startMs: 1000, durationMs: 2000, ratePerSecond: 30 }];
    const managed = await runSandbox(nodeHost, { sandbox: variantOf('managed-instances', traffic, 4000), variant: 'after', handlerSource: COUNTS_NEIGHBOURS });
    expect(managed.environments.peak).toBe(3);
    expect(managed.lambda.peakConcurrency).toBeGreaterThan(managed.environments.peak);
    expect(managed.invocations.failed).toBeGreaterThan(0);
    expect(managed.errors.every((e) => /^in flight: \d+$/.test(e.message))).toBe(true);
    expect(managed.coldStarts).toBe(0);

    const standard = await runSandbox(nodeHost, { sandbox: variantOf('default', traffic, 4000), variant: 'after', handlerSource: COUNTS_NEIGHBOURS });
    expect(standard.invocations.failed).toBe(0);
    expect(standard.environments.peak).toBe(standard.lambda.peakConcurrency);
  }, RUN_TIMEOUT_MS);

  it('lets timers run between invocations, where the default compute freezes them', async () => {
    const traffic = [oneCallAt(1000), oneCallAt(21_000)];
    const ticksSeen = async (compute: 'managed-instances' | 'default') => {
      const report = await runSandbox(nodeHost, { sandbox: variantOf(compute, traffic, 22_000), variant: 'after', handlerSource: COUNTS_TICKS });
      expect(report.invocations.total).toBe(2);
      return Math.max(...report.errors.map((e) => Number(/^ticks: (\d+)$/.exec(e.message)![1])));
    };
    // 20 s between the calls: an environment that keeps running ticks about twenty times.
    expect(await ticksSeen('managed-instances')).toBeGreaterThanOrEqual(19);
    // Frozen between them, the interval only catches up once at thaw.
    expect(await ticksSeen('default')).toBeLessThan(5);
  }, RUN_TIMEOUT_MS);

  it('tells the code its concurrency in AWS_LAMBDA_MAX_CONCURRENCY', async () => {
    const report = await runSandbox(nodeHost, {
      sandbox: variantOf('managed-instances', [oneCallAt(1000)], 2000),
      variant: 'after',
      parameters: { perEnvironmentConcurrency: 7 },
      handlerSource: `export const handler = async () => { throw new Error('max ' + process.env.AWS_LAMBDA_MAX_CONCURRENCY); };`,
    });
    expect(report.errors.map((e) => e.message)).toEqual(['max 7']);
  }, RUN_TIMEOUT_MS);
});
