/**
 * `connlab list` and `connlab simulate`, run as a reader runs them: `node bin/connlab.mjs`.
 * Each simulate is a whole run in a child process (up to 120 s on a loaded machine), so these tests
 * get the same bound.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runReportSchema } from '../../src/run/report.ts';
import { listSandboxIds } from '../../src/sandboxes/load.node.ts';

const SIMULATE_TIMEOUT_MS = 150_000;

const connlab = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['bin/connlab.mjs', ...args], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('connlab list', () => {
  it('prints one line per sandbox', () => {
    const { code, stdout } = connlab('list');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(listSandboxIds());
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['direct-connection', 'module-pool', 'stale-after-freeze', 'zombie-connections']));
    expect(stdout).toContain('The connection that died while the environment slept (variants: before|after)');
  });
});

describe('connlab simulate', () => {
  it('prints a summary with the errors, grouped with their exact messages', () => {
    const { code, stdout } = connlab('simulate', 'stale-after-freeze', '--variant', 'before');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Sandbox\s+stale-after-freeze \/ .+ \(before, /m);
    expect(stdout).toMatch(/^Lambda\n {2}Invocations +[\d,]+\n {2}Succeeded +[\d,]+ \([\d.]+ %\)\n {2}Failed +5 \(/m);
    expect(stdout).toMatch(/^\s+5\s+57P05\s+terminating connection due to idle-session timeout$/m);
    expect(stdout).toContain('What to look for:');
    expect(stdout).toMatch(/^ {2}Instance +db\.t3\.micro, 2 vCPUs, PostgreSQL 18$/m);
    expect(stdout).toMatch(/^ {2}Peak database connections +\d+ of max_connections 112 \(nominal\)/m);
    expect(stdout).toContain('Nominal: the formula on the instance class\'s nominal memory.');
  }, SIMULATE_TIMEOUT_MS);

  it('takes the real max_connections with --set maxConnections, and drops the "nominal" label', () => {
    const { code, stdout } = connlab('simulate', 'stale-after-freeze', '--variant', 'after', '--set', 'maxConnections=80');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}Peak database connections +\d+ of max_connections 80(, at \d+ s)?$/m);
    expect(stdout).not.toContain('Nominal:');
  }, SIMULATE_TIMEOUT_MS);

  it('reports RDS for PostgreSQL 15\'s own reserved-slot message with --set engineVersion=15', () => {
    const { code, stdout, stderr } = connlab('simulate', 'direct-connection', '--set', 'engineVersion=15', '--json');
    expect(code, stderr).toBe(0);
    const report = runReportSchema.parse(JSON.parse(stdout));
    expect(report.database.engineVersion).toBe('15');
    const messages = report.errors.filter((e) => e.code === '53300').map((e) => e.message).sort();
    expect(messages).toEqual(['remaining connection slots are reserved for non-replication superuser and rds_superuser connections', 'sorry, too many clients already']);
  }, SIMULATE_TIMEOUT_MS);

  it('prints the RunReport as JSON with --json, honouring --set and --seed', () => {
    const { code, stdout } = connlab('simulate', 'module-pool', '--set', 'poolMax=1', '--set', 'concurrency=20', '--seed', '9', '--json');
    expect(code).toBe(0);
    const report = runReportSchema.parse(JSON.parse(stdout));
    expect(report).toMatchObject({ sandbox: 'module-pool', seed: 9, parameters: { poolMax: 1, concurrency: 20 } });
    expect(report.database.peakConnections).toBe(report.environments.peak);
  }, SIMULATE_TIMEOUT_MS);

  it('exits 2 and lists the valid choices for an unknown sandbox, parameter or value', () => {
    const unknownSandbox = connlab('simulate', 'no-such-sandbox');
    expect(unknownSandbox.code).toBe(2);
    expect(unknownSandbox.stderr).toContain(`Valid sandboxes: ${listSandboxIds().join(', ')}`);

    const unknownParameter = connlab('simulate', 'module-pool', '--set', 'poolSize=3');
    expect(unknownParameter.code).toBe(2);
    expect(unknownParameter.stderr).toContain("unknown parameter 'poolSize'");
    expect(unknownParameter.stderr).toContain('poolMax: 1..2 connections (default 2)');

    const outOfRange = connlab('simulate', 'direct-connection', '--set', 'concurrency=5000');
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('valid range 1..1000 callers');

    const badChoice = connlab('simulate', 'direct-connection', '--set', 'instanceClass=db.x9.huge');
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toContain('Valid choices: db.t3.micro, db.t3.small');

    const badVariant = connlab('simulate', 'stale-after-freeze', '--variant', 'later');
    expect(badVariant.code).toBe(2);
    expect(badVariant.stderr).toContain('Valid variants: before, after');

    expect(connlab('simulate').code).toBe(2);
  });
});
