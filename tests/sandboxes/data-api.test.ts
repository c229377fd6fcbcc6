/**
 * The data-api sandbox: the exact error the chapter quotes for the 1 MiB limit,
 * and the per-query price of the HTTPS hop against a pg pool (two runs compared).
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import { dataApi as facts } from '../../src/facts/data-api.ts';

const ID = 'data-api';

describe(`sandbox ${ID}`, () => {
  it('quotes the 1 MiB error exactly', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: 'large-select', parameters: { concurrency: 2 } });
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([['BadRequestException', 'Database returned more than the allowed response size limit']]);
  });

  it('runs the exports with a few callers unless told otherwise: the spike\'s thousand would take minutes and teach nothing more', async () => {
    for (const variant of ['large-select', 'paged-select']) {
      const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant });
      expect(report.parameters.concurrency).toBe(3);
      expect(report.invocations.total).toBeLessThan(50);
    }
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
