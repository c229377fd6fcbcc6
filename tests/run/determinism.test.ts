/**
 * A run is a function of (sandbox, code, parameters, seed): identical inputs give identical
 * reports apart from wallMs, and another seed gives another run.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox, type RunRequest } from '../../src/run/run.ts';
import type { ChartSample } from '../../src/engine/metrics/sampler.ts';
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
  it('reports chart samples in contiguous buckets of at least one per second, and log events as they happen', async () => {
    const starts: number[] = [];
    const kinds = new Set<string>();
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox('zombie-connections'), parameters: { callers: 10 } }, { onSample: (s) => starts.push(s.startMs), onEvent: (e) => kinds.add(e.kind) });
    expect(starts).toEqual(Array.from({ length: report.series.DatabaseConnections.length }, (_, i) => i * 1000));
    expect([...kinds]).toEqual(expect.arrayContaining(['cold-start', 'reclaimed']));
  });

  it('samples a short run finely (at least 100 points) without changing its report, and each second\'s maximum is the report\'s', async () => {
    const sandbox = loadSandbox('direct-connection');
    const samples: ChartSample[] = [];
    const sampled = await runSandbox(nodeHost, { sandbox }, { onSample: (s) => samples.push(s) });
    const plain = await runSandbox(nodeHost, { sandbox });
    expect(JSON.stringify(withoutWall(sampled))).toBe(JSON.stringify(withoutWall(plain)));
    expect(samples.length).toBeGreaterThanOrEqual(100);
    const interval = samples[0]!.intervalMs;
    expect(interval).toBeLessThan(1000);
    expect(samples.map((s) => s.startMs)).toEqual(samples.map((_, i) => i * interval));
    const perSecond = sampled.series.DatabaseConnections.map((_, second) =>
      Math.max(...samples.filter((s) => Math.floor(s.startMs / 1000) === second).map((s) => s.values.DatabaseConnections ?? 0)),
    );
    expect(perSecond).toEqual(sampled.series.DatabaseConnections);
    // Counters arrive as rates per second: summed back over the run they give the report's count.
    const errors = samples.reduce((sum, s) => sum + ((s.values.Errors ?? 0) * interval) / 1000, 0);
    expect(Math.round(errors)).toBe(sampled.invocations.failed);
  }, RUN_TIMEOUT_MS * 2);

  it('charts the proxy\'s, the queue\'s and DynamoDB\'s series beside the run\'s, each run unchanged by it', async () => {
    for (const [id, names] of [
      ['proxy-pinning', ['proxy.ClientConnections', 'proxy.DatabaseConnectionsCurrentlySessionPinned']],
      ['sqs-batching', ['sqs.MessagesInQueue']],
      ['dynamodb', ['dynamodb.ConsumedWriteUnits', 'dynamodb.ThrottledRequests']],
    ] as const) {
      const sandbox = loadSandbox(id);
      const peaks = new Map<string, number>();
      const sampled = await runSandbox(nodeHost, { sandbox }, { onSample: (s) => names.forEach((name) => peaks.set(name, Math.max(peaks.get(name) ?? 0, s.values[name] ?? 0))) });
      const plain = await runSandbox(nodeHost, { sandbox });
      expect(JSON.stringify(withoutWall(sampled)), id).toBe(JSON.stringify(withoutWall(plain)));
      for (const name of names) expect(peaks.get(name), `${id} ${name}`).toBeGreaterThan(0);
      if (id === 'proxy-pinning') expect(peaks.get('proxy.DatabaseConnectionsCurrentlySessionPinned')).toBe(sampled.proxy!.peakPinned);
      if (id === 'sqs-batching') expect(peaks.get('sqs.MessagesInQueue')).toBeLessThanOrEqual(sampled.sqs!.peakDepth);
    }
  }, RUN_TIMEOUT_MS * 6);

  it('stops when the abort signal fires', async () => {
    const controller = new AbortController();
    const run = runSandbox(nodeHost, { sandbox: loadSandbox('direct-connection') }, { signal: controller.signal, onSample: (s) => s.startMs >= 2000 && controller.abort(new Error('stopped by the reader')) });
    await expect(run).rejects.toThrow('stopped by the reader');
  });
});
