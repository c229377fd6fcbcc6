/**
 * The sqs-batching sandbox: its expectations, and the drain time the chapter quotes.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.ts';

/** Runs of 1,000 callers take several seconds each, longer on a loaded machine. */
const RUN_TIMEOUT = 120_000;
const ID = 'sqs-batching';

describe(`sandbox ${ID}`, () => {
  for (const expectation of loadSandbox(ID).definition.expectations) {
    it(`${expectation.id}: ${expectation.text}`, async () => {
      const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: expectation.variant, parameters: expectation.parameters });
      expect(() => runReportSchema.parse(report)).not.toThrow();
      const result = checkExpectation(expectation, report);
      expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);
    }, RUN_TIMEOUT);
  }

  it('drains later with fewer consumers: the queue trades delay for connections', async () => {
    const [five, twenty] = await Promise.all([5, 20].map((maximumConcurrency) => runSandbox(nodeHost, { sandbox: loadSandbox(ID), parameters: { maximumConcurrency } })));
    expect(five!.sqs!.drainedAtMs).not.toBeNull();
    expect(twenty!.sqs!.drainedAtMs).not.toBeNull();
    expect(twenty!.sqs!.drainedAtMs!).toBeLessThan(five!.sqs!.drainedAtMs!);
    expect(twenty!.database.peakConnections).toBeGreaterThan(five!.database.peakConnections);
    expect(five!.sqs!.series.ConsumerConcurrency.every((n) => n <= 5)).toBe(true);
  });
});
