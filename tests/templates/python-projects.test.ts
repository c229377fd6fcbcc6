/**
 * Every generated Python project run against real services with Debian's Python 3 (psycopg 3,
 * boto3): its own unittest suite against a real PostgreSQL 15 with TLS verify-full, directly and
 * through a real PgBouncer in transaction mode. IAM variants sign tokens with boto3's
 * generate_db_auth_token and fake credentials, checked by the IAM front door.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServices, type Route, type Services } from './support/services.ts';
import { allProjects, describeOptions, groupBy, inBatches, scratch, writeProject } from './support/projects.ts';
import { usesConnection } from '../../src/templates/index.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

const pythonProjects = allProjects().filter((p) => p.options.runtime.startsWith('python'));
const groups = groupBy(pythonProjects, (path) => path.startsWith('app/') || path.startsWith('tests/') || path.startsWith('events/') || path === 'schema.sql');

let services: Services;
beforeAll(async () => {
  services = await startServices();
}, 180_000);
afterAll(async () => {
  await services?.stop();
});

async function unittest(dir: string, database: string, route: Route, options: (typeof pythonProjects)[number]['options']): Promise<string> {
  try {
    const { stderr } = await run(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
      cwd: dir,
      env: { ...services.env(options, database, route), PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 60_000,
    });
    return stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`python -m unittest failed for ${describeOptions(options)} (${route}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** The handler survives PostgreSQL closing its connection between two invocations (direct route). */
async function serverClose(dir: string, database: string, options: (typeof pythonProjects)[number]['options']): Promise<string> {
  try {
    const { stdout } = await run(PYTHON, [join(import.meta.dirname, 'support/server-close/check.py')], {
      cwd: dir,
      env: { ...services.env(options, database, 'direct'), PYTHONDONTWRITEBYTECODE: '1', ADMIN_PORT: String(services.postgres.port), ADMIN_PASSWORD: services.postgres.superuser.password },
      timeout: 60_000,
    });
    return stdout.trim().split('\n').pop()!;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`after a server-side close, ${describeOptions(options)} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

describe('generated Python projects against real services', () => {
  it(`groups ${pythonProjects.length} Python combinations into ${groups.length} distinct projects`, () => {
    expect(pythonProjects.length).toBe(168);
    expect(groups.length).toBe(8);
  });

  it('compile and pass their own tests directly and through PgBouncer', async () => {
    const outputs = await inBatches(groups, 2, async (group) => {
      const options = group.members[0]!;
      const dir = writeProject(scratch('python-project'), group.files);
      await run(PYTHON, ['-m', 'py_compile', 'app/handler.py', 'tests/test_handler.py'], { cwd: dir });
      const database = options.pattern === 'dynamodb' ? 'unused' : services.createDatabase(readFileSync(join(dir, 'schema.sql'), 'utf8'));
      if (!usesConnection(options.pattern)) return [await unittest(dir, database, 'direct', options)];
      return [await unittest(dir, database, 'direct', options), await unittest(dir, database, 'pgbouncer', options), await serverClose(dir, database, options)];
    });
    const runs = outputs.flat();
    // After the server closed their connection, the handlers' next invocation still succeeded.
    const closes = runs.filter((o) => o.startsWith('{')).map((o) => JSON.parse(o) as { terminated: number; first: { orders?: number }; second: { orders?: number } });
    expect(closes.length).toBe(6);
    for (const close of closes) {
      expect(close.terminated).toBeGreaterThan(0);
      if (close.first.orders !== undefined) expect(close.second.orders).toBe(close.first.orders + 1);
      else expect(close.second).toEqual(close.first);
    }
    for (const output of runs.filter((o) => !o.startsWith('{'))) {
      expect(output).toMatch(/\nOK\s*$/);
      expect(output).not.toMatch(/skipped/);
    }
    expect(services.doors.direct.refusals).toEqual([]);
    expect(services.doors.pgbouncer.refusals).toEqual([]);
    expect(services.doors.direct.accepted).toBeGreaterThan(0);
    expect(services.doors.pgbouncer.accepted).toBeGreaterThan(0);
    expect(services.standIn.shapeErrors).toEqual([]);
    expect(services.standIn.calls).toContain('SecretsManager.GetSecretValue');
    expect(services.standIn.calls).toContain('RDSData.ExecuteStatement');
    console.info(`python projects: ${groups.length} distinct (covering ${pythonProjects.length} combinations), ${runs.length} test runs`);
  }, 600_000);
});
