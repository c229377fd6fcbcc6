/**
 * The secret-rotation sandbox: when each version starts to fail, and where. The password changes at
 * setSecret; a login with the old one fails from then on, but only a new login: the connections
 * opened before carry on until the server closes them.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { RunReport } from '../../src/run/report.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const ID = 'secret-rotation';
const sandbox = loadSandbox(ID);
/** The three bursts of callers: before the rotation, just after it, and after the quiet period. */
const [, secondBurst, thirdBurst] = sandbox.definition.traffic.map((phase) => {
  if (phase.kind !== 'spike') throw new Error(`${ID}: the test reads spike phases, not ${phase.kind}`);
  return phase;
});

/** When the server refused a password, in virtual ms. */
const refusals = (report: RunReport) => report.events.entries.filter((e) => e.kind === 'reject:28P01').map((e) => e.t);

describe(`sandbox ${ID}`, () => {
  it('read at INIT: nothing fails until the connections opened before the rotation are closed, then those environments fail every login', async () => {
    const report = await runSandbox(nodeHost, { sandbox, variant: 'before' });
    const rotation = report.secretsManager!.rotation!;
    const refused = refusals(report);
    expect(refused.length).toBeGreaterThan(0);
    // The second burst, after the rotation, runs on the old connections and on new environments that read the new secret.
    expect(Math.min(...refused)).toBeGreaterThanOrEqual(thirdBurst!.startMs);
    expect(rotation.finishedAtMs!).toBeLessThan(secondBurst!.startMs);
    expect(report.database.idleSessionTimeouts).toBe(report.environments.peak);
    const [error] = report.errors;
    expect(error).toMatchObject({ code: '28P01', message: 'password authentication failed for user "app"' });
    expect(report.logs.some((log) => log.lines.some((line) => line.includes('"errorMessage":"password authentication failed for user \\"app\\"","code":"28P01"')))).toBe(true);
  }, RUN_TIMEOUT_MS);

  it('password in an environment variable: the environments started after the rotation fail at once', async () => {
    const report = await runSandbox(nodeHost, { sandbox, variant: 'env-var' });
    const refused = refusals(report);
    expect(Math.min(...refused)).toBeGreaterThanOrEqual(secondBurst!.startMs);
    expect(Math.min(...refused)).toBeLessThan(secondBurst!.startMs + secondBurst!.durationMs);
    expect(report.secretsManager!.requests).toBe(0);
  }, RUN_TIMEOUT_MS);
});
