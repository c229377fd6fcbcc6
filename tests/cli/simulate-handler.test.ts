/**
 * `connlab simulate --handler`: the reader's own handler file, bundled with esbuild and run through a
 * pattern's sandbox, as a reader's shell runs it (`node bin/connlab.mjs`, from the handler's folder).
 * Each run is a whole simulation in a child process (up to a minute on a loaded machine), so the
 * runs are few and each test checks everything its run shows.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReportSchema } from '../../src/run/report.ts';
import { expectUsageError, runNode } from '../support/connlab-process.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'own-handler');
const cli = join(import.meta.dirname, '..', '..', 'bin', 'connlab.mjs');
const RUN_TIMEOUT_MS = 170_000;
const connlab = (...args: string[]) => runNode([cli, ...args], fixtures, RUN_TIMEOUT_MS - 10_000);

describe('connlab simulate --handler', () => {
  it('runs a multi-file TypeScript handler with its local module, against the reader\'s schema, with --env, and passes --expect', async () => {
    const result = await connlab('simulate', '--handler', 'handler.ts', '--setup-sql', 'schema.sql', '--env', 'ORDER_STATUS=paid', '--set', 'concurrency=3', '--expect', 'no-errors', '--expect', 'peak-connections<=3', '--json');
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { report: unknown; failures: unknown[]; doctor: { files: string[]; totals: Record<string, number> }; expectations: Array<{ text: string; passed: boolean }>; pattern: string };
    const report = runReportSchema.parse(out.report);
    expect(out.pattern).toBe('module-pool');
    expect(report.sandbox).toBe('module-pool');
    expect(report.handler).toBe('handler.js');
    // Every invocation reached the table through the pool that was given no host, user or password.
    expect(report.invocations.succeeded).toBeGreaterThan(10);
    expect(report.invocations.failed).toBe(0);
    expect(report.database.queries).toBeGreaterThanOrEqual(report.invocations.succeeded);
    expect(out.failures).toEqual([]);
    expect(out.doctor.files).toEqual(['handler.ts']);
    expect(out.expectations.map((e) => [e.text, e.passed])).toEqual([
      ['no-errors', true],
      ['peak-connections<=3', true],
    ]);
  }, RUN_TIMEOUT_MS);

  it('fails a query on a missing table with PostgreSQL\'s 42P01, at the line of the reader\'s module, and exits 1 on --expect no-errors', async () => {
    const result = await connlab('simulate', '--handler', 'client-per-invocation.ts', '--pattern', 'direct', '--set', 'concurrency=2', '--expect', 'no-errors');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe('');
    // new pg.Client() with no settings connected (PG* variables) and the server answered the query.
    expect(result.stdout).toMatch(/^\s+[\d,]+\s+42P01\s+relation "orders" does not exist$/m);
    expect(result.stdout).toMatch(/^ {2}orders\.ts:11:\d+ {2}42P01 {2}relation "orders" does not exist \([\d,]+×\)\n {6}const \{ rows \} = await db\.query<Order>\('SELECT id, status FROM orders/m);
    expect(result.stdout).toMatch(/^ {2}FAIL {2}no-errors {2}\(invocations\.failed = [1-9][\d,]*, invocations\.throttled = 0\)$/m);
    // The doctor's findings for the same file come with the run.
    expect(result.stdout).toMatch(/^client-per-invocation\.ts:6:\d+ {2}error {2}per-invocation-connection /m);
    expect(result.stdout).toMatch(/^Pattern +direct: the direct-connection sandbox's traffic/m);
  }, RUN_TIMEOUT_MS);

  it('checks a Python handler with the doctor, says it is not run, and exits as the doctor does', async () => {
    const result = await connlab('simulate', '--handler', 'handler.py');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('handler.py is Python: the doctor checks it, the simulator does not run it');
    expect(result.stdout).toMatch(/^handler\.py:\d+:\d+ {2}error {2}credentials-in-code /m);
    expect(result.stdout).not.toContain('Lambda\n');
  });

  it.each([
    ['a missing file', ['--handler', 'no-such-handler.ts'], "cannot read 'no-such-handler.ts': no such file or folder"],
    ['a file in no language it runs', ['--handler', 'schema.sql'], "'schema.sql' is in no language the simulator reads"],
    ['an import esbuild cannot resolve', ['--handler', 'unresolved-import.mjs'], `cannot bundle 'unresolved-import.mjs': unresolved-import.mjs:1:27: Could not resolve "./no-such-module.mjs"`],
    ['an export the file does not have', ['--handler', 'handler.ts', '--export', 'main'], "'handler.ts' has no export named 'main' (it exports handler); choose one with --export"],
    ['an AWS SDK client the simulator does not provide', ['--handler', 'unsupported-sdk.mjs'], "'unsupported-sdk.mjs' imports @aws-sdk/client-s3, which the simulator does not provide"],
    ['an unknown option', ['--handler', 'handler.ts', '--bogus'], "Unknown option '--bogus'"],
    ['an unknown pattern', ['--handler', 'handler.ts', '--pattern', 'pgbouncer'], "--pattern must be one of direct, module-pool, rds-proxy, got 'pgbouncer'"],
    ['a parameter the pattern does not take', ['--handler', 'handler.ts', '--set', 'poolMax=2'], 'unknown parameter'],
    ['a missing schema file', ['--handler', 'handler.ts', '--setup-sql', 'no-such.sql'], "cannot read 'no-such.sql': no such file or folder"],
    ['an --env that is not KEY=VALUE', ['--handler', 'handler.ts', '--env', 'ORDER_STATUS'], "--env expects key=value, got 'ORDER_STATUS'"],
    ['an --expect it cannot read', ['--handler', 'handler.ts', '--expect', 'fast'], '--expect cannot read "fast"'],
    ['an --expect on a figure the report lacks', ['--handler', 'handler.ts', '--expect', 'latency<=5'], "the report has no 'latency'"],
    ['a sandbox and --handler at once', ['module-pool', '--handler', 'handler.ts'], 'give a sandbox or --handler, not both'],
    ['a handler-only option without --handler', ['module-pool', '--pattern', 'direct'], '--pattern goes with --handler <file>'],
  ])('refuses %s with exit 2 and one line', async (_name, args, message) => {
    expectUsageError(await connlab('simulate', ...args), message);
  });
});
