/**
 * The page's side of the engine Worker, with a stand-in Worker that answers as the real one does:
 * one run at a time, and a `stopped` reply for a run it was told to stop.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, ToWorker } from '../../src/components/sandbox/protocol.ts';

class StandInWorker extends EventTarget {
  static last: StandInWorker | undefined;
  readonly received: ToWorker[] = [];
  constructor() {
    super();
    StandInWorker.last = this;
  }
  postMessage(message: ToWorker): void {
    this.received.push(message);
    // As engine.worker.ts does: a stopped (or superseded) run says so, naming its own id.
    if (message.type === 'stop') queueMicrotask(() => this.reply({ type: 'stopped', id: message.id }));
  }
  reply(message: FromWorker): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  terminate(): void {}
}

const handlers = () => ({ onDone: vi.fn(), onFailed: vi.fn(), onStopped: vi.fn() });

describe('startRun', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    vi.stubGlobal('Worker', StandInWorker);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('tells a run replaced by another sandbox\'s run that it stopped, and clears its watchdog', async () => {
    const { startRun } = await import('../../src/components/sandbox/engine-client.ts');
    const first = handlers();
    const second = handlers();
    startRun({} as never, first);
    startRun({} as never, second);
    await vi.waitFor(() => expect(first.onStopped).toHaveBeenCalledWith('Stopped: another sandbox on this page started a run.'));
    expect(StandInWorker.last!.received.map((message) => message.type)).toEqual(['run', 'stop', 'run']);
    // One watchdog only, the second run's: the first's went with it.
    expect(vi.getTimerCount()).toBe(1);
    // The second run goes on and finishes normally.
    const secondId = (StandInWorker.last!.received[2] as { id: number }).id;
    StandInWorker.last!.reply({ type: 'failed', id: secondId, error: { name: 'Error', message: 'handler threw' } });
    await vi.waitFor(() => expect(second.onFailed).toHaveBeenCalled());
    expect(second.onStopped).not.toHaveBeenCalled();
    expect(first.onStopped).toHaveBeenCalledTimes(1);
  });
});
