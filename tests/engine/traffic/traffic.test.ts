import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/engine/clock/scheduler.ts';
import { startTraffic, type TrafficPhase } from '../../../src/engine/traffic/traffic.ts';

const make = () => new Scheduler({ seed: 3, yieldMacrotask: () => new Promise<void>((resolve) => setImmediate(resolve)) });

/** Runs phases against a caller whose invocations take `serviceMs` and succeed unless `fail`. */
async function arrivals(phases: TrafficPhase[], serviceMs = 100, fail = false) {
  const scheduler = make();
  const times: number[] = [];
  let inFlight = 0;
  let peak = 0;
  startTraffic(scheduler, phases, {
    invoke(answered) {
      times.push(scheduler.now);
      inFlight++;
      peak = Math.max(peak, inFlight);
      scheduler.after(serviceMs, () => {
        inFlight--;
        answered(!fail);
      });
    },
  });
  await scheduler.run();
  return { times, peak };
}

describe('traffic', () => {
  it('steady: Poisson arrivals at the stated mean rate, within the phase', async () => {
    const { times } = await arrivals([{ kind: 'steady', startMs: 1000, durationMs: 10_000, ratePerSecond: 200 }]);
    expect(times.length).toBeGreaterThan(1800);
    expect(times.length).toBeLessThan(2200);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...times)).toBeLessThan(11_000);
  });

  it('ramp: the rate grows linearly', async () => {
    const { times } = await arrivals([{ kind: 'ramp', startMs: 0, durationMs: 10_000, fromRatePerSecond: 0, toRatePerSecond: 400 }]);
    const firstHalf = times.filter((t) => t < 5000).length;
    const secondHalf = times.length - firstHalf;
    // ∫ rate: 500 in the first half, 1,500 in the second.
    expect(firstHalf).toBeGreaterThan(380);
    expect(firstHalf).toBeLessThan(620);
    expect(secondHalf).toBeGreaterThan(1300);
    expect(secondHalf).toBeLessThan(1700);
  });

  it('spike: N callers waiting for their answers reach N concurrent calls', async () => {
    const { times, peak } = await arrivals([{ kind: 'spike', startMs: 0, durationMs: 2000, concurrency: 50, rampMs: 500, thinkMs: 0, retryDelayMs: 0 }], 100);
    expect(peak).toBe(50);
    // Each caller: one call per 100 ms for 2 s, minus its join time.
    expect(times.length).toBeGreaterThan(50 * 15);
    expect(times.length).toBeLessThanOrEqual(50 * 20);
  });

  it('spike: failed calls wait retryDelayMs before the next attempt', async () => {
    const { times } = await arrivals([{ kind: 'spike', startMs: 0, durationMs: 2000, concurrency: 10, rampMs: 0, thinkMs: 0, retryDelayMs: 400 }], 100, true);
    expect(times.length).toBe(10 * 4);
  });

  it('bursts: repeated spikes, quiet in between', async () => {
    const { times } = await arrivals([{ kind: 'bursts', startMs: 0, count: 3, everyMs: 10_000, burstMs: 1000, concurrency: 5, rampMs: 0, thinkMs: 100, retryDelayMs: 100 }], 100);
    for (const burst of [0, 1, 2]) {
      const inBurst = times.filter((t) => t >= burst * 10_000 && t < burst * 10_000 + 1000);
      expect(inBurst.length).toBe(25);
    }
    expect(times.filter((t) => t % 10_000 >= 1000).length).toBe(0);
  });
});
