/**
 * A reader's own handler through a pattern's sandbox (src/run/own-handler.ts), in process: the PG*
 * variables name the virtual database (through the proxy for rds-proxy), the reader's schema replaces
 * the sandbox's, another export can be the handler, and a failure's stack names the bundle's line
 * when the run is asked for stacks (and only then: capturing them is most of an error's cost).
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import type { InvocationError } from '../../src/engine/lambda/function.ts';
import { databaseVariables, OWN_HANDLER_PATTERNS, ownHandlerSandbox } from '../../src/run/own-handler.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const modulePool = loadSandbox(OWN_HANDLER_PATTERNS['module-pool']);

describe('ownHandlerSandbox', () => {
  it('names the database, or the proxy for rds-proxy, in the PG* variables, with the reader\'s variables over them', () => {
    expect(databaseVariables(modulePool)).toEqual({ PGHOST: modulePool.definition.database.host, PGPORT: '5432', PGUSER: 'app', PGPASSWORD: 'app-password', PGDATABASE: 'postgres' });
    const proxy = loadSandbox(OWN_HANDLER_PATTERNS['rds-proxy']);
    expect(databaseVariables(proxy).PGHOST).toBe(proxy.definition.proxy!.host);
    const sandbox = ownHandlerSandbox(modulePool, { file: 'app.js', code: '', setupSql: 'CREATE TABLE t (id int);', env: { PGUSER: 'mine', STAGE: 'test' } });
    expect(sandbox.definition.lambda.env).toMatchObject({ PGUSER: 'mine', STAGE: 'test', PGPASSWORD: 'app-password' });
    expect(sandbox.definition.lambda.env).not.toHaveProperty('POOL_MAX');
    expect(sandbox.definition.database.setupSql).toBe('CREATE TABLE t (id int);');
    expect(sandbox.definition.variants.map((v) => v.handler)).toEqual(['app.js']);
    // The sandbox's own handler settings are not the reader's to set.
    expect(sandbox.definition.parameters.map((p) => p.key)).toEqual(['concurrency', 'instanceClass', 'maxConnections', 'engineVersion']);
    expect(sandbox.files).toEqual({ 'app.js': '' });
  });

  it('runs another export as the handler, connects with no settings, and reports each failure with its stack', async () => {
    const code = [
      "const pg = require('pg');",
      'const pool = new pg.Pool({ max: 1 });',
      "pool.on('error', () => {});",
      'exports.main = async (event) => {',
      "  if (event.orderId % 2) return (await pool.query('SELECT count(*)::int AS n FROM items')).rows[0];",
      "  return (await pool.query('SELECT * FROM missing')).rows;",
      '};',
    ].join('\n');
    const sandbox = ownHandlerSandbox(modulePool, { file: 'app.js', code, setupSql: 'CREATE TABLE items (id int); INSERT INTO items VALUES (1), (2);', env: {} });
    const failures: InvocationError[] = [];
    const report = await runSandbox(nodeHost, { sandbox, parameters: { concurrency: 2 }, handlerExport: 'main', errorStacks: true }, { onFailure: (error) => failures.push(error) });
    expect(report.invocations.succeeded).toBeGreaterThan(0);
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([['42P01', 'relation "missing" does not exist']]);
    expect(failures).toHaveLength(report.invocations.failed);
    expect(failures[0]!.stack).toMatch(/\/var\/task\/app\.js:6:\d+/);

    // Without the request for stacks: the same report, errors with their first line only, and the process's setting back as it was.
    const limitBefore = Error.stackTraceLimit;
    const plainFailures: InvocationError[] = [];
    const plain = await runSandbox(nodeHost, { sandbox, parameters: { concurrency: 2 }, handlerExport: 'main' }, { onFailure: (error) => plainFailures.push(error) });
    expect({ ...plain, wallMs: 0 }).toEqual({ ...report, wallMs: 0 });
    expect(plainFailures[0]!.stack).toBe('error: relation "missing" does not exist');
    expect(Error.stackTraceLimit).toBe(limitBefore);
    expect(new Error('outside a run').stack).toMatch(/\n\s+at /);
  }, 150_000);
});
