import { describe, expect, it } from 'vitest';
import { Metrics, percentile } from '../../../src/engine/metrics/metrics.ts';

describe('metrics', () => {
  it('keeps the maximum of a gauge within each second and carries it into quiet seconds', () => {
    let now = 0;
    const tapped: Array<[string, string, number]> = [];
    const m = new Metrics(() => now, { eventLogLimit: 10, tap: (name, kind, value) => tapped.push([name, kind, value]) });
    m.gauge('DatabaseConnections', 3);
    now = 400;
    m.gauge('DatabaseConnections', 9);
    now = 900;
    m.gauge('DatabaseConnections', 2);
    now = 3500;
    m.gauge('DatabaseConnections', 1);
    m.finish(5000);
    expect(m.series.DatabaseConnections).toEqual([9, 2, 2, 2, 1]);
    expect(tapped).toEqual([3, 9, 2, 1].map((value) => ['DatabaseConnections', 'gauge', value]));
  });

  it('counts per second, groups errors by code and exact message, caps the event log', () => {
    let now = 0;
    const m = new Metrics(() => now, { eventLogLimit: 2 });
    m.count('Invocations');
    now = 1200;
    m.count('Invocations');
    m.count('Invocations');
    m.error('53300', 'sorry, too many clients already');
    m.error('53300', 'sorry, too many clients already');
    m.error('53300', 'remaining connection slots are reserved for roles with the SUPERUSER attribute');
    for (let i = 0; i < 5; i++) m.event('lambda', 'cold-start', `env ${i}`);
    m.finish(2000);
    expect(m.series.Invocations).toEqual([1, 2]);
    expect([...m.errors.values()]).toEqual([
      { code: '53300', message: 'sorry, too many clients already', count: 2 },
      { code: '53300', message: 'remaining connection slots are reserved for roles with the SUPERUSER attribute', count: 1 },
    ]);
    expect(m.events).toHaveLength(2);
    expect(m.eventsDropped).toBe(3);
  });

  it('starts a sample series at 0 each second, where a gauge carries its level', () => {
    let now = 0;
    const m = new Metrics(() => now, { eventLogLimit: 0, series: { Depth: 'sample', Busy: 'gauge' } });
    m.gauge('Depth', 50);
    m.gauge('Busy', 4);
    now = 1000;
    m.gauge('Depth', 10);
    now = 2500;
    m.finish(4000);
    expect(m.series.Depth).toEqual([50, 10, 0, 0]);
    expect(m.series.Busy).toEqual([4, 4, 4, 4]);
  });

  it('counts invocation outcomes, and keeps the logs of the first invocations and of the first failure of each code', () => {
    let now = 0;
    const m = new Metrics(() => now, { eventLogLimit: 0, logs: { first: 1, limit: 3 } });
    const outcome = (requestId: string, error?: { code: string; message: string }) => ({ requestId, ok: !error, throttled: false, receivedAt: now, finishedAt: now + 5, environment: 'env-0001', ...(error ? { error } : {}) });
    const runs = [outcome('a'), outcome('b'), outcome('c', { code: '53300', message: 'sorry, too many clients already' }), outcome('d', { code: '53300', message: 'sorry, too many clients already' }), outcome('e', { code: 'Sandbox.Timedout', message: 'Task timed out after 3.00 seconds' })];
    for (const run of runs) {
      m.invocation(run);
      if (m.wantsLogs()) m.invocationLog(run, [`START RequestId: ${run.requestId}`]);
    }
    m.invocation({ requestId: 'f', ok: false, throttled: true, receivedAt: now, finishedAt: now, environment: null, error: { code: 'TooManyRequestsException', message: 'Rate Exceeded.' } });
    m.finish(1000);
    expect(m.logs.map((log) => log.requestId)).toEqual(['a', 'c', 'e']);
    expect(m.wantsLogs()).toBe(false);
    expect(m.invocations).toEqual({ total: 6, succeeded: 2, failed: 3, throttled: 1 });
    expect(m.series.Invocations).toEqual([5]);
    expect(m.series.Errors).toEqual([3]);
    expect(m.series.Throttles).toEqual([1]);
    expect(m.latencies).toEqual([5, 5]);
    expect([...m.errors.values()].map((e) => [e.code, e.count])).toEqual([['53300', 2], ['Sandbox.Timedout', 1], ['TooManyRequestsException', 1]]);
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
  });
});
