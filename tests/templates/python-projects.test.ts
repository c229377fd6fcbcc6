/**
 * Every generated Python project run against real services with Debian's Python 3 (psycopg 3,
 * boto3): its own unittest suite against a real PostgreSQL 15 with TLS verify-full, on the routes
 * the project describes: directly, and through a real PgBouncer in transaction mode standing in for
 * RDS Proxy. Each project's own schema.sql sets up its database user, and the server enforces RDS's
 * rules for `rds_iam` members. IAM variants sign tokens with boto3's generate_db_auth_token and
 * fake credentials, checked by the IAM front door.
 *
 * Beyond the project's own test, each connecting handler meets: PostgreSQL closing its connection
 * between invocations; a password rotation between invocations (Secrets Manager variants); and a
 * server that never answers (its connection attempt must be bounded). The Aurora DSQL project signs
 * DbConnect tokens for a front door that checks them as a cluster does, and retries DSQL's 53400.
 * The controls show the same setup failing where a project's role setup is wrong.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectServicesUsedAsAws, routesFor, servicesForThisFile, type Route, type Services, type Tenant } from './support/services.ts';
import { allProjects, describeOptions, groupBy, inBatches, scratch, writeProject, type Group } from './support/projects.ts';
import { usesConnection, type GenerateOptions } from '../../src/templates/index.ts';
import { statementTimeout } from '../../src/facts/starter-code.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

const pythonProjects = allProjects().filter((p) => p.options.runtime.startsWith('python'));
const groups = groupBy(pythonProjects, (path) => path.startsWith('app/') || path.startsWith('tests/') || path.startsWith('events/') || path === 'schema.sql');

let services: Services;
servicesForThisFile((started) => (services = started));

interface Prepared {
  options: GenerateOptions;
  dir: string;
  tenant: Tenant;
}

/** Writes the project and runs its schema.sql (with `extraSql` appended, for the controls). */
async function prepare(group: Group, extraSql = ''): Promise<Prepared> {
  const options = group.members[0]!;
  const dir = writeProject(scratch('python-project'), group.files);
  await run(PYTHON, ['-m', 'py_compile', 'app/handler.py', 'tests/test_handler.py'], { cwd: dir });
  const tenant = options.pattern === 'dynamodb' ? await services.createTableTenant() : services.createTenant(readFileSync(join(dir, 'schema.sql'), 'utf8') + extraSql);
  return { options, dir, tenant };
}

let dsqlBoto3: string | undefined;

/**
 * Debian's boto3 (1.26) predates Aurora DSQL's client, so the DSQL project runs with the boto3,
 * botocore and s3transfer of the python3 on PATH (pure Python, same 3.11) ahead of Debian's; the
 * project's requirements.txt pins a boto3 that has the client.
 */
function pythonPathFor(options: GenerateOptions): Record<string, string> {
  if (options.pattern !== 'aurora-dsql') return {};
  if (!dsqlBoto3) {
    const site = execFileSync('python3', ['-c', 'import boto3, os; print(os.path.dirname(os.path.dirname(boto3.__file__)))'], { encoding: 'utf8' }).trim();
    dsqlBoto3 = scratch('dsql-boto3');
    for (const module of ['boto3', 'botocore', 's3transfer']) symlinkSync(join(site, module), join(dsqlBoto3, module), 'dir');
  }
  return { PYTHONPATH: dsqlBoto3 };
}

async function unittest(p: Prepared, route: Route): Promise<string> {
  try {
    const { stderr } = await run(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
      cwd: p.dir,
      env: { ...services.env(p.options, p.tenant, route), PYTHONDONTWRITEBYTECODE: '1', ...pythonPathFor(p.options) },
      timeout: 60_000,
    });
    return stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`python -m unittest failed for ${describeOptions(p.options)} (${route}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** Runs one of the support/<check>/check.py scripts in the project folder and parses its last line. */
async function check<T>(p: Prepared, name: 'server-close' | 'rotation' | 'silent-server', route: Route, extra: Record<string, string> = {}): Promise<T> {
  try {
    const { stdout } = await run(PYTHON, [join(import.meta.dirname, `support/${name}/check.py`)], {
      cwd: p.dir,
      env: { ...services.env(p.options, p.tenant, route), PYTHONDONTWRITEBYTECODE: '1', ...pythonPathFor(p.options), ADMIN_PORT: String(services.postgres.port), ADMIN_PASSWORD: services.postgres.superuser.password, ...extra },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as T;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${name} check failed for ${describeOptions(p.options)}:\n${e.stdout}\n${e.stderr}`);
  }
}

interface Orders {
  orders?: number;
}

const groupOf = (pattern: GenerateOptions['pattern'], auth: GenerateOptions['auth']) => groups.find((g) => g.members[0]!.pattern === pattern && g.members[0]!.auth === auth)!;

describe('generated Python projects against real services', () => {
  it(`groups ${pythonProjects.length} Python combinations into ${groups.length} distinct projects`, () => {
    expect(pythonProjects.length).toBe(176);
    expect(groups.length).toBe(9);
  });

  it('compile and pass their own tests on the routes they describe, and survive server closes, rotations and a silent server', async () => {
    const prepared = await inBatches(groups, 2, (group) => prepare(group));
    const connecting = prepared.filter((p) => usesConnection(p.options.pattern));
    const outputs = await inBatches(prepared, 2, async (p) => {
      if (!usesConnection(p.options.pattern)) return [await unittest(p, 'direct')];
      const runs: string[] = [];
      for (const route of routesFor(p.options)) runs.push(await unittest(p, route));
      return runs;
    });
    for (const output of outputs.flat()) {
      expect(output).toMatch(/\nOK\s*$/);
      expect(output).not.toMatch(/skipped/);
    }

    // Aurora DSQL refuses the first two connections with 53400 (rate exceeded): the handler waits with
    // jitter, retries, and its DbConnect token passes the door.
    const dsql = prepared.filter((p) => p.options.pattern === 'aurora-dsql');
    expect(dsql.length).toBe(1);
    const door = services.doors.dsql;
    const refusedBefore = door.rateRefusals;
    door.refuseNextForRate = 2;
    expect(await unittest(dsql[0]!, 'direct')).toMatch(/\nOK\s*$/);
    expect(door.rateRefusals - refusedBefore).toBe(2);

    // PostgreSQL closes the handler's connection between two invocations; the next one still succeeds,
    // on a session that carries the role's statement_timeout from schema.sql.
    const closes = await inBatches(connecting, 2, (p) => check<{ terminated: number; first: Orders; second: Orders; statementTimeout: string }>(p, 'server-close', routesFor(p.options)[0]!));
    expect(closes.length).toBe(6);
    for (const close of closes) {
      expect(close.terminated).toBeGreaterThan(0);
      if (close.first.orders !== undefined) expect(close.second.orders).toBe(close.first.orders + 1);
      else expect(close.second).toEqual(close.first);
      expect(close.statementTimeout).toBe(`${statementTimeout.value}s`);
    }

    // The password rotates between invocations. The secret is read once at INIT and not per
    // connection; the kept password then fails with 28P01 (the control), and the handler reads the
    // secret again and succeeds.
    const rotating = connecting.filter((p) => p.options.auth === 'secrets-manager');
    const readsBefore = { ...services.standIn.secretReads };
    const rotations = await inBatches(rotating, 2, (p) => check<{ first: Orders; second: Orders; third: Orders; control: string }>(p, 'rotation', 'direct', { ROTATED_PASSWORD: `${p.tenant.password}-rotated` }));
    expect(rotations.length).toBe(3);
    rotations.forEach((rotation, i) => {
      const p = rotating[i]!;
      expect(rotation.control, describeOptions(p.options)).toBe('28P01');
      if (rotation.first.orders !== undefined) expect(rotation.third.orders).toBe(rotation.first.orders + 2);
      else expect(rotation.third).toEqual(rotation.first);
      expect(services.standIn.secretReads[p.tenant.secretArn]! - readsBefore[p.tenant.secretArn]!, describeOptions(p.options)).toBe(2);
    });

    // A server that never answers start-up: the connection attempt ends on connect_timeout and the
    // handler reports it instead of hanging.
    const silent = await inBatches(connecting, 6, (p) => check<{ error?: string; logged: string }>(p, 'silent-server', routesFor(p.options)[0]!));
    for (const outcome of silent) expect(JSON.stringify(outcome)).toMatch(/timeout expired/);

    expectServicesUsedAsAws(services);
    console.info(`python projects: ${groups.length} distinct (covering ${pythonProjects.length} combinations), ${outputs.flat().length + closes.length + rotations.length + silent.length} runs`);
  }, 600_000);

  it("controls: RDS's rds_iam rule holds on the test server, so a wrong grant in schema.sql fails the project's own test", async () => {
    // rds-proxy + iam with the old advice (GRANT rds_iam) added: the proxy stand-in logs in with the
    // secret's password, which the server refuses for a member of rds_iam.
    const proxyIam = await prepare(groupOf('rds-proxy', 'iam'), '\nGRANT rds_iam TO lambda_app;\n');
    await expect(unittest(proxyIam, 'pgbouncer')).rejects.toThrow(/pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "app_\d+"/);
    // module-pool + iam without the grant: its IAM token gets it no further than a password would.
    const schema = groupOf('module-pool', 'iam').files.find((f) => f.path === 'schema.sql')!;
    expect(schema.contents).toMatch(/^GRANT rds_iam TO lambda_app;$/m);
    const withoutGrant = { ...groupOf('module-pool', 'iam'), files: groupOf('module-pool', 'iam').files.map((f) => (f === schema ? { ...f, contents: f.contents.replace(/^GRANT rds_iam TO lambda_app;$/m, '') } : f)) };
    const directIam = await prepare(withoutGrant);
    await expect(unittest(directIam, 'direct')).rejects.toThrow(/pg_hba\.conf rejects connection for host "127\.0\.0\.2", user "app_\d+"/);
    // And a member of rds_iam cannot log in with a password at all, even with the right one.
    const { tenant } = proxyIam;
    const login = run(PYTHON, ['-c', 'import os, psycopg; psycopg.connect(host="127.0.0.1", port=int(os.environ["PORT"]), user=os.environ["USER_NAME"], password=os.environ["PASSWORD"], dbname=os.environ["DB"], sslmode="verify-full", sslrootcert=os.environ["CA"])'], {
      env: { PORT: String(services.postgres.port), USER_NAME: tenant.user, PASSWORD: tenant.password, DB: tenant.database, CA: services.tls.caFile },
    });
    await expect(login).rejects.toThrow(/pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "app_\d+"/);
  }, 120_000);
});
