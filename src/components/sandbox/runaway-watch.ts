/**
 * When the engine Worker stops a run that threatens the tab although it keeps yielding (the
 * heartbeat watchdog in engine-client.ts catches code that never yields). Pure: the Worker feeds it
 * each heartbeat and each finished virtual second, and it answers with the reason to stop, if any.
 *
 * Three measures, the first that fires wins:
 *   - the heap, where the browser reports it;
 *   - the share of wall time spent in the handler's own timers over several beats in a row: quick
 *     for a handler that hoards memory in a fast `setInterval` (nearly all of its time goes there),
 *     but it depends on load, as the engine's own work between timer ticks (slower on a busy
 *     machine) dilutes the share;
 *   - a budget of handler-timer time per virtual second, which does not depend on the engine's speed:
 *     a spinning timer spends the same wall time per virtual millisecond however slowly the engine
 *     gets to the next tick. Honest handlers spend almost nothing in timers; the measured worst, a
 *     virtual second of the arena's DynamoDB run on a loaded machine, took 0.18 s.
 */

export interface RunawayLimits {
  /** The Worker's heap, where the browser reports it: far below the 3.8 GB a hoarding handler reached before the tab crashed. */
  heapBytes: number;
  /** Handler timers over this share of the wall time ... */
  busyShare: number;
  /** ... in this many heartbeats in a row. */
  busyBeats: number;
  /** Wall milliseconds handler timers may spend per virtual second; tests/components/runaway-watch.test.ts measures honest runs against it. */
  timerMsPerVirtualSecond: number;
  /** Wall milliseconds they may spend beyond that budget, so that a burst (many cold starts at once) is not a runaway. */
  timerAllowanceMs: number;
}

export const runawayLimits: RunawayLimits = {
  heapBytes: 1.5 * 1024 ** 3,
  busyShare: 0.6,
  busyBeats: 3,
  timerMsPerVirtualSecond: 250,
  timerAllowanceMs: 1000,
};

const READY_AGAIN = 'The sandbox is ready to run again.';

export class RunawayWatch {
  readonly #limits: RunawayLimits;
  readonly #startWork: number;
  #beatAt: number;
  #beatWork: number;
  #busyBeats = 0;
  #busySince = 0;
  #virtualSeconds = 0;

  /** `now`: wall milliseconds; `handlerWork`: the wall milliseconds handler timers have taken so far (environment.ts's handlerTimerWork). */
  constructor(now: number, handlerWork: number, limits: RunawayLimits = runawayLimits) {
    this.#limits = limits;
    this.#startWork = handlerWork;
    this.#beatAt = now;
    this.#beatWork = handlerWork;
  }

  /**
   * A virtual second of the run is over: its budget becomes available. The Worker calls this on each
   * sample, which the metrics emit when something changes after the second, so the budget may come
   * late in a quiet stretch (stricter, never looser); a quiet stretch has few handler timers.
   */
  virtualSecondDone(): void {
    this.#virtualSeconds++;
  }

  /** One heartbeat; the reason to stop the run, or undefined. */
  beat(now: number, handlerWork: number, heapBytes?: number): string | undefined {
    const limits = this.#limits;
    const share = (handlerWork - this.#beatWork) / Math.max(1, now - this.#beatAt);
    if (share > limits.busyShare) {
      if (this.#busyBeats === 0) this.#busySince = this.#beatAt;
      this.#busyBeats++;
    } else this.#busyBeats = 0;
    [this.#beatAt, this.#beatWork] = [now, handlerWork];

    if (heapBytes !== undefined && heapBytes > limits.heapBytes) {
      return `The run was stopped: the engine's memory passed ${gb(limits.heapBytes)} GB (${gb(heapBytes)} GB), as a handler that keeps allocating does. ${READY_AGAIN}`;
    }
    if (this.#busyBeats >= limits.busyBeats) {
      return `The run was stopped: the handler's own timers kept the engine busy for ${seconds(now - this.#busySince)} s, as a handler that keeps allocating in a fast setInterval does, before it uses up memory. ${READY_AGAIN}`;
    }
    const spent = handlerWork - this.#startWork;
    if (spent > limits.timerAllowanceMs + limits.timerMsPerVirtualSecond * this.#virtualSeconds) {
      return `The run was stopped: the handler's own timers took ${seconds(spent)} s of computing, more than the ${seconds(limits.timerAllowanceMs)} s allowed plus ${limits.timerMsPerVirtualSecond} ms per simulated second (${this.#virtualSeconds} s completed so far), as a handler that spins or allocates in a fast setInterval does. ${READY_AGAIN}`;
    }
    return undefined;
  }
}

const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
