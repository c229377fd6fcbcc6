/**
 * Every expectation every sandbox states, each run as it states it (one engine run per expectation):
 * the report fits its schema, keeps its accounting, meets the expectation's checks, and is the report
 * recorded in `recorded/` (wallMs aside). A new sandbox is covered by adding its folder.
 *
 * The recordings are what a reader sees; refactoring the engine must not move them. A change meant to
 * move them (a new handler, a corrected fact) re-records with
 * `RECORD_RUN_REPORTS=1 npx vitest run tests/sandboxes/expectations.test.ts`, and the diff shows what moved.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { checkExpectation } from '../../src/run/expectations.ts';
import { runReportSchema, type RunReport } from '../../src/run/report.ts';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.node.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const recordedDir = join(dirname(fileURLToPath(import.meta.url)), 'recorded');
const recording = process.env.RECORD_RUN_REPORTS === '1';

/** As the file holds it: through JSON, without the wall-clock time. */
const recordable = ({ wallMs: _wallMs, ...rest }: RunReport): unknown => JSON.parse(JSON.stringify(rest));

for (const id of listSandboxIds()) {
  const { definition } = loadSandbox(id);
  describe(`sandbox ${id}`, () => {
    it('states an expectation for every variant', () => {
      const covered = new Set(definition.expectations.map((e) => e.variant));
      expect(definition.variants.map((v) => v.id).filter((v) => !covered.has(v))).toEqual([]);
    });

    for (const expectation of definition.expectations) {
      it(`${expectation.id}: ${expectation.text}`, async () => {
        const report = await runSandbox(nodeHost, { sandbox: loadSandbox(id), variant: expectation.variant, parameters: expectation.parameters });
        expect(() => runReportSchema.parse(report)).not.toThrow();
        expect(report.invocations.total).toBe(report.invocations.succeeded + report.invocations.failed + report.invocations.throttled);
        if (report.proxy) expect(report.proxy.peakDatabaseConnections).toBeLessThanOrEqual(report.proxy.maxDatabaseConnectionsAllowed);
        const result = checkExpectation(expectation, report);
        expect(result.checks.filter((c) => !c.passed), JSON.stringify(result.checks)).toEqual([]);

        const file = join(recordedDir, id, `${expectation.id}.json`);
        if (recording) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, `${JSON.stringify(recordable(report), null, 1)}\n`);
        }
        expect(existsSync(file), `${file} is missing: record it with RECORD_RUN_REPORTS=1`).toBe(true);
        expect(recordable(report)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      }, RUN_TIMEOUT_MS);
    }
  });
}
