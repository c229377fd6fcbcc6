/**
 * Each expectation a sandbox states, run as it states it (one engine run per expectation), with the
 * report validated against its schema. Sandbox test files add what only their sandbox promises.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema, type RunReport } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.ts';

/** Runs of 1,000 callers take several seconds each, longer on a loaded machine. */
export const RUN_TIMEOUT_MS = 120_000;

export function describeExpectations(id: string, alsoHolds: (report: RunReport) => void = () => {}): void {
  describe(`sandbox ${id}`, () => {
    for (const expectation of loadSandbox(id).definition.expectations) {
      it(`${expectation.id}: ${expectation.text}`, async () => {
        const report = await runSandbox(nodeHost, { sandbox: loadSandbox(id), variant: expectation.variant, parameters: expectation.parameters });
        expect(() => runReportSchema.parse(report)).not.toThrow();
        const result = checkExpectation(expectation, report);
        expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);
        alsoHolds(report);
      }, RUN_TIMEOUT_MS);
    }
  });
}
