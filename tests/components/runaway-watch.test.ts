/**
 * The Worker's runaway watch (src/components/sandbox/runaway-watch.ts). A handler spinning in a 1 ms
 * timer evaded the share-of-wall-time measure for 60 s in a loaded Chromium: the engine's own work
 * between ticks, slower under load, kept the share under 60 %. The budget of handler-timer time per
 * virtual second stops it however slow the engine is, and honest runs stay within it.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { handlerTimerWork } from '../../src/engine/lambda/environment.ts';
import { runSandbox, type RunRequest } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import { RunawayWatch, runawayLimits, type RunawayLimits } from '../../src/components/sandbox/runaway-watch.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const BEAT_MS = 200;

/**
 * A run driven by synthetic time: every virtual millisecond one handler tick of `tickMs` wall time
 * plus `engineMs` of the engine's own work (the part that grows with load); heartbeats every 200 ms
 * of wall time. Returns when the watch stopped it (wall and virtual seconds), or undefined.
 */
function simulate(tickMs: number, engineMs: number, limits?: RunawayLimits, virtualSeconds = 120) {
  const watch = new RunawayWatch(0, 0, limits);
  let wall = 0;
  let work = 0;
  let nextBeat = BEAT_MS;
  for (let virtualMs = 1; virtualMs <= virtualSeconds * 1000; virtualMs++) {
    wall += tickMs + engineMs;
    work += tickMs;
    if (virtualMs % 1000 === 0) watch.virtualSecondDone();
    while (wall >= nextBeat) {
      const reason = watch.beat(nextBeat, work);
      if (reason) return { reason, wallSeconds: nextBeat / 1000, virtualSeconds: virtualMs / 1000 };
      nextBeat += BEAT_MS;
    }
  }
  return undefined;
}

describe('RunawayWatch', () => {
  it('stops a timer that hoards the wall time within a second, by its share', () => {
    const stopped = simulate(1, 0.05);
    expect(stopped?.reason).toContain('kept the engine busy');
    expect(stopped!.wallSeconds).toBeLessThanOrEqual(1);
  });

  it.each([1, 2, 5])('stops a spinning 1 ms timer (0.7 ms a tick) by the budget when the engine takes %s ms between ticks (its share of the wall time stays under the bound)', (engineMs) => {
    const stopped = simulate(0.7, engineMs);
    expect(stopped?.reason).toMatch(/own timers took \d+\.\d s of computing, more than the 1\.0 s allowed plus 250 ms per simulated second \(\d+ s completed so far\)/);
    // Within a few virtual seconds however slow each of them is: the wall time is bounded by the load, not by luck.
    expect(stopped!.virtualSeconds).toBeLessThanOrEqual(3);
  });

  it('leaves the share measure quiet for the loaded case: without the budget the spin would run on', () => {
    expect(simulate(0.7, 1, { ...runawayLimits, timerMsPerVirtualSecond: Infinity })).toBeUndefined();
  });

  it('lets a burst of handler timers (many cold starts at once) pass, and a steady trickle', () => {
    const watch = new RunawayWatch(0, 0);
    // 0.9 s of handler timers in the first virtual second, spread over 4 s of wall time (share 0.23).
    for (let beat = 1; beat <= 20; beat++) expect(watch.beat(beat * BEAT_MS, beat * 45)).toBeUndefined();
    // 0.2 ms a tick, steadily: 0.2 s per virtual second, under the budget.
    expect(simulate(0.2, 0.5)).toBeUndefined();
  });

  it('stops a heap past its bound where the browser reports one', () => {
    expect(new RunawayWatch(0, 0).beat(BEAT_MS, 0, 2 * 1024 ** 3)).toContain("the engine's memory passed 1.5 GB (2.0 GB)");
  });
});

/** A run as the Worker drives it: a heartbeat every 200 ms feeds the watch, each sample ends a virtual second. */
async function watchedRun(request: RunRequest, limits?: RunawayLimits): Promise<{ stopped?: string; wallSeconds: number }> {
  const abort = new AbortController();
  const started = performance.now();
  const watch = new RunawayWatch(started, handlerTimerWork(), limits);
  const heartbeat = setInterval(() => {
    const reason = watch.beat(performance.now(), handlerTimerWork());
    if (reason) abort.abort(new Error(reason));
  }, BEAT_MS);
  try {
    await runSandbox(nodeHost, request, { signal: abort.signal, onSample: () => watch.virtualSecondDone() });
    return { wallSeconds: (performance.now() - started) / 1000 };
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    return { stopped: (abort.signal.reason as Error).message, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(heartbeat);
  }
}

describe('RunawayWatch on real runs', () => {
  it('stops the real spinning handler by its budget alone (the share measure off, as under load in Chromium)', async () => {
    const spinning = 'let spun = 0;\nexport const handler = async () => {\n  setInterval(() => { for (let i = 0; i < 2e5; i++) spun += i % 7; }, 1);\n  await new Promise(() => {});\n};\n';
    const run = await watchedRun({ sandbox: loadSandbox('direct-connection'), parameters: { concurrency: 1 }, handlerSource: spinning }, { ...runawayLimits, busyShare: Infinity });
    expect(run.stopped).toContain("the handler's own timers took");
  }, RUN_TIMEOUT_MS);

  // The runs whose handlers spend the most in timers (the SDK's), measured: up to 0.18 s in one virtual second.
  it.each([
    ['arena', 'dynamodb'],
    ['dynamodb', 'hot-key'],
  ])('lets the honest %s run (%s) finish', async (id, variant) => {
    const run = await watchedRun({ sandbox: loadSandbox(id), variant });
    expect(run.stopped).toBeUndefined();
  }, RUN_TIMEOUT_MS);
});
