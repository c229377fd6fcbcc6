/**
 * Who calls the function, and when. Two kinds of caller:
 * - open arrivals (`steady`, `ramp`): requests arrive at a rate whatever happens to earlier ones;
 * - callers that wait for their answer (`spike`, `bursts`): N callers join over `rampMs`, and each
 *   calls again `thinkMs` after a success or `retryDelayMs` after a failure, until the phase ends.
 *   This is how a spike reaches N concurrent executions without a storm of instant retries.
 */
import type { Scheduler } from '../clock/scheduler.ts';

export type TrafficPhase =
  | { kind: 'steady'; startMs: number; durationMs: number; ratePerSecond: number }
  | { kind: 'ramp'; startMs: number; durationMs: number; fromRatePerSecond: number; toRatePerSecond: number }
  | { kind: 'spike'; startMs: number; durationMs: number; concurrency: number; rampMs: number; thinkMs: number; retryDelayMs: number }
  | { kind: 'bursts'; startMs: number; count: number; everyMs: number; burstMs: number; concurrency: number; rampMs: number; thinkMs: number; retryDelayMs: number };

/**
 * Arrivals are bookkeeping events (Scheduler.atSync): `invoke` only schedules the call, and the
 * caller calls `answered` from a bookkeeping event of its own, since all it does is schedule the next.
 */
export interface Caller {
  /** Invoke the function; `answered(ok)` when the response arrives. */
  invoke(answered: (ok: boolean) => void): void;
}

export function startTraffic(scheduler: Scheduler, phases: readonly TrafficPhase[], caller: Caller): void {
  for (const phase of phases) {
    switch (phase.kind) {
      case 'steady':
        openArrivals(scheduler, phase.startMs, phase.durationMs, () => phase.ratePerSecond, phase.ratePerSecond, caller);
        break;
      case 'ramp':
        openArrivals(scheduler, phase.startMs, phase.durationMs, (t) => phase.fromRatePerSecond + ((phase.toRatePerSecond - phase.fromRatePerSecond) * t) / phase.durationMs, Math.max(phase.fromRatePerSecond, phase.toRatePerSecond), caller);
        break;
      case 'spike':
        waitingCallers(scheduler, phase.startMs, phase.durationMs, phase, caller);
        break;
      case 'bursts':
        for (let i = 0; i < phase.count; i++) waitingCallers(scheduler, phase.startMs + i * phase.everyMs, phase.burstMs, phase, caller);
        break;
    }
  }
}

/** A Poisson process whose rate may change with time: candidates at the peak rate, kept with probability rate(t)/peak (thinning). */
function openArrivals(scheduler: Scheduler, startMs: number, durationMs: number, rateAt: (elapsedMs: number) => number, peakRate: number, caller: Caller): void {
  if (peakRate <= 0) return;
  const end = startMs + durationMs;
  const next = (t: number) => {
    let at = t;
    do {
      at += scheduler.rng.exponential(1000 / peakRate);
      if (at >= end) return;
    } while (scheduler.rng.next() * peakRate > rateAt(at - startMs));
    scheduler.atSync(at, () => {
      caller.invoke(() => {});
      next(at);
    });
  };
  scheduler.atSync(startMs, () => next(startMs));
}

function waitingCallers(scheduler: Scheduler, startMs: number, durationMs: number, shape: { concurrency: number; rampMs: number; thinkMs: number; retryDelayMs: number }, caller: Caller): void {
  const end = startMs + durationMs;
  for (let i = 0; i < shape.concurrency; i++) {
    const join = startMs + (shape.rampMs * i) / shape.concurrency + scheduler.rng.uniform(0, Math.min(shape.rampMs / shape.concurrency, 1));
    const call = () => {
      if (scheduler.now >= end) return;
      caller.invoke((ok) => {
        scheduler.afterSync(ok ? shape.thinkMs : shape.retryDelayMs, call);
      });
    };
    scheduler.atSync(join, call);
  }
}
