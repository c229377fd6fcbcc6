/**
 * The sqs-batching sandbox: the drain time the chapter quotes.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const ID = 'sqs-batching';

describe(`sandbox ${ID}`, () => {
  it('drains later with fewer consumers: the queue trades delay for connections', async () => {
    const [five, twenty] = await Promise.all([5, 20].map((maximumConcurrency) => runSandbox(nodeHost, { sandbox: loadSandbox(ID), parameters: { maximumConcurrency } })));
    expect(five!.sqs!.drainedAtMs).not.toBeNull();
    expect(twenty!.sqs!.drainedAtMs).not.toBeNull();
    expect(twenty!.sqs!.drainedAtMs!).toBeLessThan(five!.sqs!.drainedAtMs!);
    expect(twenty!.database.peakConnections).toBeGreaterThan(five!.database.peakConnections);
    expect(five!.sqs!.series.ConsumerConcurrency.every((n) => n <= 5)).toBe(true);
  });
});
