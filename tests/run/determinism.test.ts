/**
 * A run is a function of (sandbox, code, parameters, seed): identical inputs give identical
 * reports apart from wallMs, and another seed gives another run.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox, type RunRequest } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { RunReport } from '../../src/run/report.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const withoutWall = ({ wallMs: _wallMs, ...rest }: RunReport) => rest;

describe('determinism', () => {
  it('gives identical reports for identical inputs, and different ones for another seed', async () => {
    const request: RunRequest = { sandbox: loadSandbox('module-pool'), parameters: { concurrency: 120 } };
    const first = await runSandbox(nodeHost, request);
    const second = await runSandbox(nodeHost, request);
    expect(withoutWall(second)).toEqual(withoutWall(first));
    // Enough happened for the comparison to mean something: failures, retries, cold starts.
    expect(first.invocations.failed).toBeGreaterThan(0);
    expect(first.coldStarts).toBeGreaterThan(50);
    const other = await runSandbox(nodeHost, { ...request, seed: 2 });
    expect(withoutWall(other)).not.toEqual(withoutWall(first));
  }, RUN_TIMEOUT_MS * 3);

  it('also for a run with freezes, thaws and crashes', async () => {
    const request: RunRequest = { sandbox: loadSandbox('stale-after-freeze'), variant: 'before' };
    const [a, b] = [await runSandbox(nodeHost, request), await runSandbox(nodeHost, request)];
    expect(JSON.stringify(withoutWall(a))).toBe(JSON.stringify(withoutWall(b)));
  }, RUN_TIMEOUT_MS * 2);
});

describe('progress and cancellation', () => {
  it('reports one sample per virtual second and log events as they happen', async () => {
    const seconds: number[] = [];
    const kinds = new Set<string>();
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox('zombie-connections'), parameters: { callers: 10 } }, { onSample: (s) => seconds.push(s.second), onEvent: (e) => kinds.add(e.kind) });
    expect(seconds).toEqual(Array.from({ length: report.series.DatabaseConnections.length }, (_, i) => i));
    expect([...kinds]).toEqual(expect.arrayContaining(['cold-start', 'reclaimed']));
  });

  it('stops when the abort signal fires', async () => {
    const controller = new AbortController();
    const run = runSandbox(nodeHost, { sandbox: loadSandbox('direct-connection') }, { signal: controller.signal, onSample: (s) => s.second === 2 && controller.abort(new Error('stopped by the reader')) });
    await expect(run).rejects.toThrow('stopped by the reader');
  });
});
