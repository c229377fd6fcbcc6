/**
 * Every generated Node.js project, compiled and run against real services: its pinned
 * dependencies installed (cached), TypeScript type-checked and compiled by the pinned tsc, and its
 * own local test run with `node --test` against a real PostgreSQL 15 with TLS verify-full, on the
 * routes the project describes: directly, and through a real PgBouncer in transaction mode standing
 * in for RDS Proxy. Each project's own schema.sql sets up its database user, and the server
 * enforces RDS's rules for `rds_iam` members. IAM variants sign real tokens with
 * @aws-sdk/rds-signer and fake credentials, checked by an IAM front door; Secrets Manager and the
 * Data API are local stand-ins that check request shapes; DynamoDB is dynalite.
 *
 * Beyond the project's own test, each connecting handler meets: PostgreSQL closing its connection
 * between invocations; a password rotation between invocations (Secrets Manager variants); and a
 * server that never answers (its connection attempt must be bounded). Aurora DSQL projects sign
 * DbConnect tokens for a front door that checks them the way a cluster does and, once, refuses
 * their first connections with DSQL's 53400 (the handler must retry).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectServicesUsedAsAws, routesFor, servicesForThisFile, type Route, type Services, type Tenant } from './support/services.ts';
import { allProjects, describeOptions, groupBy, inBatches, installDependencies, scratch, writeProject, type Group } from './support/projects.ts';
import { usesConnection } from '../../src/templates/index.ts';
import { statementTimeout } from '../../src/facts/starter-code.ts';

const run = promisify(execFile);

const nodeProjects = allProjects().filter((p) => p.options.runtime.startsWith('nodejs'));
// The files the Node checks read: everything but the infrastructure and the README.
const groups = groupBy(nodeProjects, (path) => !path.startsWith('infra/') && !['template.yaml', 'samconfig.toml', 'deploy.sh', 'README.md'].includes(path));

let services: Services;
servicesForThisFile((started) => (services = started));

interface Prepared {
  group: Group;
  dir: string;
  tenant: Tenant;
}

async function prepare(group: Group): Promise<Prepared> {
  const dir = writeProject(scratch('node-project'), group.files);
  const deps = await installDependencies(readFileSync(join(dir, 'package.json'), 'utf8'));
  symlinkSync(join(deps, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const options = group.members[0]!;
  const tenant = options.pattern === 'dynamodb' ? await services.createTableTenant() : services.createTenant(readFileSync(join(dir, 'schema.sql'), 'utf8'));
  if (options.language === 'typescript') {
    await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed for ${describeOptions(options)}:\n${error.stdout}`);
    });
  }
  return { group, dir, tenant };
}

async function nodeTest(prepared: Prepared, route: Route): Promise<string> {
  const options = prepared.group.members[0]!;
  try {
    const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/handler.test.mjs'], {
      cwd: prepared.dir,
      env: services.env(options, prepared.tenant, route),
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`node --test failed for ${describeOptions(options)} (${route}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** Runs one of the support/<check>/check.mjs scripts in the project folder and parses its last line. */
async function check<T>(prepared: Prepared, name: 'server-close' | 'rotation' | 'silent-server', route: Route, extra: Record<string, string> = {}): Promise<T> {
  const options = prepared.group.members[0]!;
  const script = `${name}-check.mjs`;
  copyFileSync(join(import.meta.dirname, `support/${name}/check.mjs`), join(prepared.dir, script));
  const handlerModule = join(prepared.dir, options.language === 'typescript' ? 'dist/handler.js' : 'src/handler.mjs');
  try {
    const { stdout } = await run(process.execPath, [script], {
      cwd: prepared.dir,
      env: { ...services.env(options, prepared.tenant, route), HANDLER_MODULE: handlerModule, ADMIN_PORT: String(services.postgres.port), ADMIN_PASSWORD: services.postgres.superuser.password, ...extra },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as T;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${name} check failed for ${describeOptions(options)}:\n${e.stdout}\n${e.stderr}`);
  }
}

/**
 * One project per distinct set of bytes the checks below read (handler, dependencies, schema,
 * event): the Node.js 22 and 24 variants differ only in @types/node and `engines`.
 */
function onePerHandler(projects: Prepared[]): Prepared[] {
  const seen = new Map<string, Prepared>();
  for (const p of projects) {
    const read = (path: string) => p.group.files.find((f) => f.path === path)?.contents ?? '';
    const key = [read('src/handler.ts') || read('src/handler.mjs'), JSON.stringify(JSON.parse(read('package.json')).dependencies), read('schema.sql'), read('events/event.json')].join('\0');
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
}

interface Orders {
  orders?: number;
}

describe('generated Node.js projects against real services', () => {
  it(`groups ${nodeProjects.length} Node.js combinations into ${groups.length} distinct projects`, () => {
    expect(nodeProjects.length).toBe(544);
    expect(groups.length).toBe(52);
  });

  // Each step below uses the projects the one before prepared; vitest runs them in order.
  let prepared: Prepared[] = [];
  let connecting: Prepared[] = [];
  let checked: Prepared[] = [];

  it('type-check and compile with their pinned dependencies', async () => {
    prepared = await inBatches(groups, 3, prepare);
    connecting = prepared.filter((p) => usesConnection(p.group.members[0]!.pattern));
    checked = onePerHandler(connecting);
    expect(connecting.length).toBe(40);
    expect(checked.length).toBe(20);
  }, 900_000);

  it('pass their own tests on the routes they describe: directly, and through PgBouncer standing in for RDS Proxy', async () => {
    const outputs = await inBatches(prepared, 2, async (p) => {
      const options = p.group.members[0]!;
      if (!usesConnection(options.pattern)) return [await nodeTest(p, 'direct')];
      const runs: string[] = [];
      for (const route of routesFor(options)) runs.push(await nodeTest(p, route));
      return runs;
    });
    for (const output of outputs.flat()) {
      expect(output).toMatch(/# fail 0/);
      expect(output).toMatch(/# pass [1-9]/);
    }
    expectServicesUsedAsAws(services);
    console.info(`node projects: ${groups.length} distinct (covering ${nodeProjects.length} combinations), ${outputs.flat().length} test runs`);
  }, 900_000);

  it("survive PostgreSQL closing their connection between invocations, on sessions that carry the role's statement_timeout", async () => {
    const closes = await inBatches(checked, 2, (p) =>
      check<{ terminated: number; first: Orders; second: Orders; statementTimeout: string }>(p, 'server-close', routesFor(p.group.members[0]!)[0]!),
    );
    for (const close of closes) {
      expect(close.terminated).toBeGreaterThan(0);
      if (close.first.orders !== undefined) expect(close.second.orders).toBe(close.first.orders + 1);
      else expect(close.second).toEqual(close.first);
      expect(close.statementTimeout).toBe(`${statementTimeout.value}s`);
    }
  }, 600_000);

  it('read the secret once at INIT and again only after a rotation made the kept password fail with 28P01 (the control)', async () => {
    const rotating = checked.filter((p) => p.group.members[0]!.auth === 'secrets-manager');
    const readsBefore = { ...services.standIn.secretReads };
    const rotations = await inBatches(rotating, 2, (p) =>
      check<{ first: Orders; second: Orders; third: Orders; control: string }>(p, 'rotation', 'direct', { ROTATED_PASSWORD: `${p.tenant.password}-rotated` }),
    );
    expect(rotations.length).toBe(10);
    rotations.forEach((rotation, i) => {
      const p = rotating[i]!;
      expect(rotation.control, describeOptions(p.group.members[0]!)).toBe('28P01');
      if (rotation.first.orders !== undefined) expect(rotation.third.orders).toBe(rotation.first.orders + 2);
      else expect(rotation.third).toEqual(rotation.first);
      expect(services.standIn.secretReads[p.tenant.secretArn]! - readsBefore[p.tenant.secretArn]!, describeOptions(p.group.members[0]!)).toBe(2);
    });
  }, 600_000);

  it("retry Aurora DSQL's 53400 (rate exceeded) with jitter and then connect, signing a DbConnect token the door verifies", async () => {
    const dsql = prepared.filter((p) => p.group.members[0]!.pattern === 'aurora-dsql');
    expect(dsql.length).toBe(4);
    const door = services.doors.dsql;
    for (const p of dsql) {
      const before = { refused: door.rateRefusals, accepted: door.accepted };
      door.refuseNextForRate = 2;
      expect(await nodeTest(p, 'direct')).toMatch(/# fail 0/);
      expect(door.rateRefusals - before.refused, describeOptions(p.group.members[0]!)).toBe(2);
      expect(door.accepted).toBeGreaterThan(before.accepted);
    }
    expect(door.refusals).toEqual([]);
  }, 300_000);

  it('give up on a server that never answers start-up after connectionTimeoutMillis (once more on a new connection) instead of hanging', async () => {
    const silent = await inBatches(checked, 6, (p) => check<{ error?: string; logged: string[]; attempts: number }>(p, 'silent-server', routesFor(p.group.members[0]!)[0]!));
    for (const outcome of silent) {
      expect(JSON.stringify([outcome.error, outcome.logged])).toContain('Connection terminated due to connection timeout');
      expect(outcome.attempts).toBe(2);
    }
  }, 600_000);
});
