/**
 * The verdict line and the "what to look for" checklist, on real RunReports (the recordings in
 * tests/sandboxes/recorded/) and on the sandboxes' own definitions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runReportSchema, type RunReport } from '../../src/run/report.ts';
import { checkExpectation, expectationsFor, plainWords } from '../../src/run/expectations.ts';
import { formatRunTime, limitReachedAt, runVerdict } from '../../src/run/verdict.ts';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.node.ts';

const recorded = (path: string): RunReport =>
  runReportSchema.parse({ ...JSON.parse(readFileSync(new URL(`../sandboxes/recorded/${path}.json`, import.meta.url), 'utf8')), wallMs: 0 });

describe('runVerdict', () => {
  it('names the failures and when the connection slots ran out (the first 53300)', () => {
    const report = recorded('direct-connection/most-fail-53300');
    expect(runVerdict(report)).toBe('2,454 of 3,740 invocations failed: connections reached 112 of 112 at 0.38 s.');
    expect(limitReachedAt(report)).toBe(report.events.entries.find((entry) => entry.kind === 'reject:53300')!.t);
  });

  it('uses the reader\'s own max_connections when the run had it', () => {
    expect(runVerdict(recorded('direct-connection/your-max-connections'))).toBe('2,835 of 3,677 invocations failed: connections reached 80 of 80 at 0.32 s.');
  });

  it('says every invocation succeeded, and the peak below the limit, with no time', () => {
    const report = recorded('direct-connection/bigger-instance-fewer-errors');
    expect(limitReachedAt(report)).toBeUndefined();
    expect(runVerdict(report)).toBe('All 3,880 invocations succeeded: database connections peaked at 745 of 1,802.');
  });

  it('explains a proxy run by its borrow queue and pinned connections', () => {
    expect(runVerdict(recorded('proxy-pinning/pins-climb-to-cap'))).toBe(
      '29 of 259 invocations failed: the proxy\'s database connections reached 21 of 21, 21 of them pinned; 29 clients timed out waiting for one, the first at 3.2 s.',
    );
    expect(runVerdict(recorded('rds-proxy/no-53300'))).toBe('All 1,211 invocations succeeded: 971 client connections shared 107 of the proxy\'s 111 database connections.');
  });

  it('gives the first refused IAM login in minutes for a long run', () => {
    expect(runVerdict(recorded('proxy-iam/works-for-15-minutes-then-fails'))).toBe('67 of 268 invocations failed: the proxy refused 67 logins, the first at 15 min 8 s.');
  });

  it('explains DynamoDB by its throttles and write units, with no max_connections', () => {
    const text = runVerdict(recorded('dynamodb/hot-key-throttles'));
    expect(text).toBe('520 of 2,000 invocations failed: DynamoDB throttled 520 requests; orders consumed 1,480 write units against a ceiling of 4,000 per second.');
    expect(text).not.toContain('max_connections');
  });

  it('explains a queue by its depth and when it drained', () => {
    expect(runVerdict(recorded('sqs-batching/drains-after-the-spike'))).toBe(
      'All 2,000 invocations succeeded: the queue peaked at 1,654 messages and drained at 6.94 s; database connections peaked at 5 of 112.',
    );
  });

  it('formats virtual times in seconds, then minutes', () => {
    expect([formatRunTime(370.147), formatRunTime(12_345), formatRunTime(907_589), formatRunTime(1_200_000)]).toEqual(['0.37 s', '12.3 s', '15 min 8 s', '20 min']);
  });
});

describe('expectationsFor (the checklist)', () => {
  it('lists the expectations of the variant at these values only, each in plain words', () => {
    const { definition } = loadSandbox('direct-connection');
    const defaults = Object.fromEntries(definition.parameters.map((p) => [p.key, p.default]));
    expect(expectationsFor(definition, 'client-per-invocation', defaults).map((e) => e.id)).toEqual(['most-fail-53300', 'slots-full']);
    expect(expectationsFor(definition, 'client-per-invocation', { ...defaults, instanceClass: 'db.r6g.large' }).map((e) => e.id)).toEqual(['bigger-instance-fewer-errors']);
    expect(expectationsFor(definition, 'client-per-invocation', { ...defaults, workMs: 10 })).toEqual([]);
    expect(expectationsFor(definition, 'client-per-invocation', { ...defaults, concurrency: 0 })).toEqual([]);
    const [mostFail] = expectationsFor(definition, 'client-per-invocation', defaults);
    expect(plainWords(mostFail!)).not.toContain('53300');
  });

  it('ticks and crosses each from the report', () => {
    const { definition } = loadSandbox('direct-connection');
    const defaults = Object.fromEntries(definition.parameters.map((p) => [p.key, p.default]));
    const [mostFail, slotsFull] = expectationsFor(definition, 'client-per-invocation', defaults);
    const failing = recorded('direct-connection/most-fail-53300');
    expect([checkExpectation(mostFail!, failing).passed, checkExpectation(slotsFull!, failing).passed]).toEqual([true, true]);
    const roomy = recorded('direct-connection/bigger-instance-fewer-errors');
    expect([checkExpectation(mostFail!, roomy).passed, checkExpectation(slotsFull!, roomy).passed]).toEqual([false, false]);
  });

  it('every sandbox shows at least one expectation for its first variant at the defaults', () => {
    for (const id of listSandboxIds()) {
      const { definition } = loadSandbox(id);
      const defaults = Object.fromEntries(definition.parameters.map((p) => [p.key, p.default]));
      expect(expectationsFor(definition, definition.variants[0]!.id, defaults).length, id).toBeGreaterThan(0);
    }
  });
});
