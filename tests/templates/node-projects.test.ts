/**
 * Every generated Node.js project, compiled and run against real services: its pinned
 * dependencies installed (cached), TypeScript type-checked and compiled by the pinned tsc, and its
 * own local test run with `node --test` against a real PostgreSQL 15 with TLS verify-full, directly
 * and through a real PgBouncer in transaction mode. IAM variants sign real tokens with
 * @aws-sdk/rds-signer and fake credentials, checked by an IAM front door; Secrets Manager and the
 * Data API are local stand-ins that check request shapes; DynamoDB is dynalite.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServices, type Route, type Services } from './support/services.ts';
import { allProjects, describeOptions, groupBy, inBatches, installDependencies, scratch, writeProject, type Group } from './support/projects.ts';
import { usesConnection } from '../../src/templates/index.ts';

const run = promisify(execFile);

const nodeProjects = allProjects().filter((p) => p.options.runtime.startsWith('nodejs'));
// The files the Node checks read: everything but the infrastructure and the README.
const groups = groupBy(nodeProjects, (path) => !path.startsWith('infra/') && !['template.yaml', 'samconfig.toml', 'deploy.sh', 'README.md'].includes(path));

let services: Services;
beforeAll(async () => {
  services = await startServices();
}, 180_000);
afterAll(async () => {
  await services?.stop();
});

interface Prepared {
  group: Group;
  dir: string;
  database: string;
}

async function prepare(group: Group): Promise<Prepared> {
  const dir = writeProject(scratch('node-project'), group.files);
  const deps = await installDependencies(readFileSync(join(dir, 'package.json'), 'utf8'));
  symlinkSync(join(deps, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const options = group.members[0]!;
  const database = options.pattern === 'dynamodb' ? 'unused' : services.createDatabase(readFileSync(join(dir, 'schema.sql'), 'utf8'));
  if (options.language === 'typescript') {
    await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed for ${describeOptions(options)}:\n${error.stdout}`);
    });
  }
  return { group, dir, database };
}

async function nodeTest(prepared: Prepared, route: Route): Promise<string> {
  const options = prepared.group.members[0]!;
  try {
    const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/handler.test.mjs'], {
      cwd: prepared.dir,
      env: services.env(options, prepared.database, route),
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`node --test failed for ${describeOptions(options)} (${route}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** The handler survives PostgreSQL closing its connection between two invocations (direct route). */
async function serverClose(prepared: Prepared): Promise<string> {
  const options = prepared.group.members[0]!;
  copyFileSync(join(import.meta.dirname, 'support/server-close/check.mjs'), join(prepared.dir, 'close-check.mjs'));
  const handlerModule = join(prepared.dir, options.language === 'typescript' ? 'dist/handler.js' : 'src/handler.mjs');
  try {
    const { stdout } = await run(process.execPath, ['close-check.mjs'], {
      cwd: prepared.dir,
      env: { ...services.env(options, prepared.database, 'direct'), HANDLER_MODULE: handlerModule, ADMIN_PORT: String(services.postgres.port), ADMIN_PASSWORD: services.postgres.superuser.password },
      timeout: 60_000,
    });
    return stdout.trim().split('\n').pop()!;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`after a server-side close, ${describeOptions(options)} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

describe('generated Node.js projects against real services', () => {
  it(`groups ${nodeProjects.length} Node.js combinations into ${groups.length} distinct projects`, () => {
    expect(nodeProjects.length).toBe(336);
    expect(groups.length).toBe(32);
  });

  it('type-check and compile with their pinned dependencies, then pass their own tests directly and through PgBouncer', async () => {
    const prepared = await inBatches(groups, 3, prepare);
    const results = await inBatches(prepared, 2, async (p) => {
      const options = p.group.members[0]!;
      if (!usesConnection(options.pattern)) return [await nodeTest(p, 'direct')];
      return [await nodeTest(p, 'direct'), await nodeTest(p, 'pgbouncer'), await serverClose(p)];
    });
    const runs = results.flat();
    for (const output of runs.filter((o) => !o.startsWith('{'))) {
      expect(output).toMatch(/# fail 0/);
      expect(output).toMatch(/# pass [1-9]/);
    }
    // After the server closed their connections, the handlers' next invocation still succeeded.
    const closes = runs.filter((o) => o.startsWith('{')).map((o) => JSON.parse(o) as { terminated: number; first: unknown; second: unknown });
    expect(closes.length).toBe(24);
    for (const close of closes) {
      expect(close.terminated).toBeGreaterThan(0);
      const { first, second } = close as { first: { orders?: number }; second: { orders?: number } };
      if (first.orders !== undefined) expect(second.orders).toBe(first.orders + 1);
      else expect(second).toEqual(first);
    }
    // IAM projects signed real tokens that the front doors verified, and none was refused.
    expect(services.doors.direct.refusals).toEqual([]);
    expect(services.doors.pgbouncer.refusals).toEqual([]);
    expect(services.doors.direct.accepted).toBeGreaterThan(0);
    expect(services.doors.pgbouncer.accepted).toBeGreaterThan(0);
    expect(services.standIn.shapeErrors).toEqual([]);
    expect(services.standIn.calls).toContain('SecretsManager.GetSecretValue');
    expect(services.standIn.calls).toContain('RDSData.ExecuteStatement');
    console.info(`node projects: ${groups.length} distinct (covering ${nodeProjects.length} combinations), ${runs.length} test runs`);
  }, 600_000);
});
