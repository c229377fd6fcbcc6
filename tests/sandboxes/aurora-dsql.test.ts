/**
 * The aurora-dsql sandbox's retry on 53400. A single function's cold starts fit the cluster's burst
 * (Lambda adds at most 1,000 environments per 10 s), so the sandbox's own expectations
 * (expectations.test.ts) never see the retry work; here each environment opens a second connection
 * as well, as a second client sharing the cluster's rate would, and the same handler runs with and
 * without its retry.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const ID = 'aurora-dsql';
const VARIANT = 'client-at-init-with-retry';

function twoConnectionsPerEnvironment(attempts: number): string {
  const source = loadSandbox(ID).files['after.mjs']!;
  const doubled = source.replace('connection ??= connect()', 'connection ??= Promise.all([connect(), connect()]).then(([client]) => client)').replace('const ATTEMPTS = 8;', `const ATTEMPTS = ${attempts};`);
  expect(doubled).toContain('Promise.all([connect(), connect()])');
  expect(doubled).toContain(`const ATTEMPTS = ${attempts};`);
  return doubled;
}

describe(`sandbox ${ID}: the retry on 53400`, () => {
  it('turns refused connections into later ones: twice the burst of connection attempts, without and with the jittered retry', async () => {
    const run = (attempts: number) => runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: VARIANT, parameters: { seconds: 5 }, handlerSource: twoConnectionsPerEnvironment(attempts) });
    const once = await run(1);
    const retried = await run(8);
    for (const report of [once, retried]) {
      expect(report.errors.map((e) => `${e.code} ${e.message}`)).toEqual(report.invocations.failed ? ['53400 Unable to accept connection, rate exceeded.'] : []);
      // No retry adds capacity: the cluster admits its burst and its rate, whoever asks how often.
      expect(report.database.accepted).toBeLessThanOrEqual(report.dsql!.burst + report.dsql!.ratePerSecond * 5);
    }
    // Without the retry, an environment whose second connection is refused fails its invocation.
    expect(once.invocations.failed).toBeGreaterThan(400);
    // With it, refused connections wait and come back: a few environments still run out of attempts
    // in a burst this far over the rate, and some are still waiting when the run ends.
    expect(retried.invocations.failed).toBeLessThan(once.invocations.failed / 10);
    expect(retried.dsql!.rateExceeded).toBeGreaterThan(once.dsql!.rateExceeded);
    expect(retried.database.accepted).toBeGreaterThan(once.database.accepted);
  }, RUN_TIMEOUT_MS * 2);
});
