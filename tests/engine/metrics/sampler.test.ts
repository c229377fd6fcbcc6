import { describe, expect, it } from 'vitest';
import { ChartSampler, chartIntervalMs, type ChartSample } from '../../../src/engine/metrics/sampler.ts';

describe('chart sampler', () => {
  it('keeps a gauge\'s maximum per bucket, carries its level into quiet buckets, and gives counters per second', () => {
    let now = 0;
    const samples: ChartSample[] = [];
    const sampler = new ChartSampler(() => now, 100, (sample) => samples.push(sample));
    sampler.gauge('DatabaseConnections', 3);
    now = 40;
    sampler.gauge('DatabaseConnections', 9);
    sampler.count('Errors');
    now = 90;
    sampler.gauge('DatabaseConnections', 2);
    now = 350;
    sampler.count('Errors', 2);
    sampler.finish(500);
    expect(samples.map((s) => s.startMs)).toEqual([0, 100, 200, 300, 400]);
    expect(samples.map((s) => s.values.DatabaseConnections)).toEqual([9, 2, 2, 2, 2]);
    expect(samples.map((s) => s.values.Errors)).toEqual([10, 0, 0, 20, 0]);
  });

  it('reads probes when a bucket closes: a level as read, a running total as its growth per second', () => {
    let now = 0;
    let depth = 5;
    let consumed = 100;
    const samples: ChartSample[] = [];
    const sampler = new ChartSampler(() => now, 500, (sample) => samples.push(sample));
    sampler.probe('sqs.MessagesInQueue', 'level', () => depth);
    sampler.probe('dynamodb.ConsumedWriteUnits', 'total', () => consumed);
    depth = 7;
    consumed = 150;
    now = 600;
    sampler.gauge('ConcurrentExecutions', 1);
    sampler.finish(1000);
    expect(samples.map((s) => [s.values['sqs.MessagesInQueue'], s.values['dynamodb.ConsumedWriteUnits']])).toEqual([
      [7, 100],
      [7, 0],
    ]);
  });

  it('gives every run of up to 20 s about 200 points, and long runs one per second', () => {
    expect([2000, 2500, 12_000, 20_000, 130_000, 1_200_000].map(chartIntervalMs)).toEqual([10, 20, 100, 100, 1000, 1000]);
    for (const duration of [2000, 2500, 5000, 10_000, 12_000, 15_000, 100_000, 130_000]) expect(duration / chartIntervalMs(duration), String(duration)).toBeGreaterThanOrEqual(100);
  });
});
