import { describe, expect, it } from 'vitest';
import { Metrics, percentile } from '../../../src/engine/metrics/metrics.ts';

describe('metrics', () => {
  it('keeps the maximum of a gauge within each second and carries it into quiet seconds', () => {
    let now = 0;
    const samples: number[] = [];
    const m = new Metrics(() => now, { eventLogLimit: 10, onSample: (s) => samples.push(s.values.DatabaseConnections) });
    m.gauge('DatabaseConnections', 3);
    now = 400;
    m.gauge('DatabaseConnections', 9);
    now = 900;
    m.gauge('DatabaseConnections', 2);
    now = 3500;
    m.gauge('DatabaseConnections', 1);
    m.finish(5000);
    expect(m.series.DatabaseConnections).toEqual([9, 2, 2, 2, 1]);
    expect(samples).toEqual([9, 2, 2, 2, 1]);
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

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
  });
});
