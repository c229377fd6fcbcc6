/**
 * The data-api sandbox: its expectations, the exact error the chapter quotes for the 1 MiB limit,
 * and the per-query price of the HTTPS hop against a pg pool (two runs compared).
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.ts';
import { dataApi as facts } from '../../src/facts/data-api.ts';

/** Runs of 1,000 callers take several seconds each, longer on a loaded machine. */
const RUN_TIMEOUT = 120_000;
const ID = 'data-api';

describe(`sandbox ${ID}`, () => {
  for (const expectation of loadSandbox(ID).definition.expectations) {
    it(`${expectation.id}: ${expectation.text}`, async () => {
      const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: expectation.variant, parameters: expectation.parameters });
      expect(() => runReportSchema.parse(report)).not.toThrow();
      const result = checkExpectation(expectation, report);
      expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);
    }, RUN_TIMEOUT);
  }

  it('quotes the 1 MiB error exactly', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: 'large-select', parameters: { concurrency: 2 } });
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([['BadRequestException', 'Database returned more than the allowed response size limit']]);
  });

  it('costs each query the service hop: at low concurrency the Data API is slower than a warm pg pool by about the assumed overhead', async () => {
    const parameters = { concurrency: 20 };
    const [viaDataApi, viaPool] = await Promise.all(['data-api', 'module-pool'].map((variant) => runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant, parameters })));
    const extra = viaDataApi!.latencyMs.p50 - viaPool!.latencyMs.p50;
    expect(extra).toBeGreaterThan(facts.requestOverhead.value * 0.7);
    expect(extra).toBeLessThan(facts.requestOverhead.value * 2);
    expect(viaDataApi!.database.peakConnections).toBeLessThan(viaPool!.database.peakConnections);
  });
});
