/**
 * The Worker's macrotask turn (EngineHost.yieldMacrotask). A run takes tens of thousands of them (a
 * default chapter 1 run about 43,000), so their cost shows in its wall time: in Chromium a
 * MessageChannel round trip costs about three times a `scheduler.yield()`. But a yield's
 * continuation goes before every other task, so yields alone starve the Worker's heartbeat timer and
 * the page's Stop (measured: not one 200 ms tick in 43,000 yields). A turn queued behind those tasks
 * (a MessageChannel message) every few milliseconds lets them in. Where `scheduler.yield` is
 * missing (Safari), every turn is a queued one.
 */

/** How often the Worker's other tasks get in: often against the page's 200 ms heartbeat. */
export const queuedTurnEveryMs = 5;

export interface TurnSources {
  /** A turn behind every task already queued (a MessageChannel message). */
  queued: () => Promise<void>;
  /** A cheaper turn that goes first (`scheduler.yield`), where the platform has one. */
  priority?: () => Promise<void>;
  now: () => number;
}

export function macrotaskTurns({ queued, priority, now }: TurnSources): () => Promise<void> {
  let lastQueued = now();
  return () => {
    const at = now();
    if (!priority || at - lastQueued >= queuedTurnEveryMs) {
      lastQueued = at;
      return queued();
    }
    return priority();
  };
}
