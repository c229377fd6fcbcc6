/**
 * The dynamodb sandbox: its expectations and the exact throttling error the chapter quotes.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.ts';
import { dynamodb as facts } from '../../src/facts/dynamodb.ts';

/** Runs of 1,000 callers take several seconds each, longer on a loaded machine. */
const RUN_TIMEOUT = 120_000;
const ID = 'dynamodb';

describe(`sandbox ${ID}`, () => {
  for (const expectation of loadSandbox(ID).definition.expectations) {
    it(`${expectation.id}: ${expectation.text}`, async () => {
      const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: expectation.variant, parameters: expectation.parameters });
      expect(() => runReportSchema.parse(report)).not.toThrow();
      const result = checkExpectation(expectation, report);
      expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);
    }, RUN_TIMEOUT);
  }

  it('throttles the hot key at the per-partition bound: about 1,000 successful writes per second', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: 'hot-key' });
    const [error] = report.errors;
    expect(error?.code).toBe('ProvisionedThroughputExceededException');
    expect(error?.message).toMatch(/^Throughput exceeds the current capacity of your table or index\./);
    const units = report.dynamodb!.tables.orders!.consumedWriteUnits;
    const seconds = report.virtualMs / 1000;
    expect(units / seconds).toBeLessThanOrEqual(facts.partitionWriteUnitsPerSecond.value);
    expect(units).toBe(report.invocations.succeeded);
  });
});
