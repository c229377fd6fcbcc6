import { describe, expect, it } from 'vitest';
import { macrotaskTurns, queuedTurnEveryMs } from '../../../src/engine/host/macrotask-turns.ts';

/** Turns taken at the given clock readings, each as 'queued' or 'priority'. */
function turnsAt(readings: number[], withPriority: boolean): string[] {
  let clock = 0;
  const taken: string[] = [];
  const turn = macrotaskTurns({
    queued: async () => void taken.push('queued'),
    ...(withPriority ? { priority: async () => void taken.push('priority') } : {}),
    now: () => clock,
  });
  for (const reading of readings) {
    clock = reading;
    void turn();
  }
  return taken;
}

describe('the Worker macrotask turns', () => {
  it('takes the cheap priority turn between queued ones, and a queued one at least every few milliseconds', () => {
    const readings = Array.from({ length: 40 }, (_, i) => i * 0.5); // 20 ms of turns, one every 0.5 ms
    const taken = turnsAt(readings, true);
    expect(taken.filter((t) => t === 'priority').length).toBeGreaterThan(30);
    // The longest stretch without a queued turn (which lets the heartbeat and Stop in) stays under the bound.
    let since = 0;
    readings.forEach((at, i) => {
      if (taken[i] === 'queued') since = at;
      expect(at - since).toBeLessThan(queuedTurnEveryMs);
    });
  });

  it('takes only queued turns where the platform has no scheduler.yield', () => {
    expect(new Set(turnsAt([0, 0.1, 0.2, 7, 7.1], false))).toEqual(new Set(['queued']));
  });
});
