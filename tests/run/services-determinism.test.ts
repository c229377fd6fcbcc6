/**
 * Runs with AWS services are functions of (sandbox, code, parameters, seed) like the others: the
 * emulators draw from the run's seeded generator and the SDK clients add no randomness that shows.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const without = <T extends { wallMs: number }>(report: T) => ({ ...report, wallMs: 0 });

describe('determinism with AWS services', () => {
  for (const [id, parameters] of [
    ['data-api', { concurrency: 20 }],
    ['sqs-batching', { concurrency: 50 }],
    ['dynamodb', { concurrency: 50 }],
  ] as const) {
    it(`${id}: two runs with the same seed give the same report`, async () => {
      const first = await runSandbox(nodeHost, { sandbox: loadSandbox(id), parameters });
      const second = await runSandbox(nodeHost, { sandbox: loadSandbox(id), parameters });
      expect(without(second)).toEqual(without(first));
      expect(first.invocations.total).toBeGreaterThan(0);
    }, 120_000);
  }
});
