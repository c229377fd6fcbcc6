/**
 * The proxy-pinning sandbox: each expectation it states, as one run of the engine, plus the exact error texts
 * the chapter quotes.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.ts';

const ID = 'proxy-pinning';
const { definition } = loadSandbox(ID);

describe(`sandbox ${ID}`, () => {
  for (const expectation of definition.expectations) {
    it(`${expectation.id}: ${expectation.text}`, async () => {
      const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: expectation.variant, parameters: expectation.parameters });
      expect(() => runReportSchema.parse(report)).not.toThrow();
      const result = checkExpectation(expectation, report);
      expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);
      expect(report.invocations.total).toBe(report.invocations.succeeded + report.invocations.failed + report.invocations.throttled);
      expect(report.proxy?.peakDatabaseConnections).toBeLessThanOrEqual(report.proxy!.maxDatabaseConnectionsAllowed);
    }, 120_000);
  }
});
