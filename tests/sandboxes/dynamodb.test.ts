/**
 * The dynamodb sandbox: the exact throttling error the chapter quotes.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import { dynamodb as facts } from '../../src/facts/dynamodb.ts';

const ID = 'dynamodb';

describe(`sandbox ${ID}`, () => {
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
