/**
 * The real and stand-in services a generated handler meets, started once per test file:
 * PostgreSQL 15 with TLS (only TLS accepted from 127.0.0.1, so a passing run proves the handler
 * negotiated it), PgBouncer in transaction mode standing in for RDS Proxy, an IAM front door before
 * each, the Secrets Manager and Data API stand-in, and dynalite.
 *
 * Each project gets its own database and its own user, set up by the project's own schema.sql, so
 * the role setup it prescribes is what the handler meets. The server enforces RDS's rule for
 * IAM users: a member of `rds_iam` logs in only through the IAM front door (which checked its
 * token), never with a password; a user outside `rds_iam` cannot use a token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startRealPostgres, type RealPostgres } from '../../support/postgres.ts';
import { startPgBouncer, type RealPgBouncer } from '../../support/pgbouncer.ts';
import { makeTestTls, type TestTls } from './tls.ts';
import { startIamFrontDoor, type FrontDoor } from './iam-front-door.ts';
import { startAwsStandIn, type AwsStandIn } from './aws-stand-in.ts';
import { createOrdersTable, startDynalite, type Dynalite } from './dynalite.ts';
import type { GenerateOptions } from '../../../src/templates/index.ts';

export const CREDENTIALS = { accessKeyId: 'AKIDLOCALTESTONLY000', secretAccessKey: 'local-test-only-not-a-real-key' };
export const REGION = 'us-east-1';
export const CLUSTER_ARN = 'arn:aws:rds:us-east-1:111122223333:cluster:orders';
/** The user name every generated schema.sql and IaC default uses; each project's copy is renamed. */
const GENERATED_USER = 'lambda_app';
/** Users PgBouncer knows (it reads its user list at start), one per project database. */
const USERS = 64;

/** 'direct': the function connects to the database. 'pgbouncer': to PgBouncer, standing in for RDS Proxy. */
export type Route = 'direct' | 'pgbouncer';

/** One project's database, user, password and secret. */
export interface Tenant {
  database: string;
  user: string;
  /** The password the user logs in with, also held by the project's secret. */
  password: string;
  secretArn: string;
  /** The project's DynamoDB table. */
  table: string;
}

export interface Services {
  tls: TestTls;
  postgres: RealPostgres;
  bouncer: RealPgBouncer;
  /** An IAM front door before PostgreSQL and one before PgBouncer; `dsql` checks Aurora DSQL's tokens before PostgreSQL. */
  doors: Record<Route | 'dsql', FrontDoor>;
  standIn: AwsStandIn;
  /**
   * Creates a database and a user for one project and runs its schema.sql as the master user, as the
   * README says. psql's `\password USER` prompt is answered with the secret's password.
   */
  createTenant(schemaSql: string): Tenant;
  /** Creates a DynamoDB table for one project that has no database. */
  createTableTenant(): Promise<Tenant>;
  /** The environment the generated handler and its local test read, for one route. */
  env(options: GenerateOptions, tenant: Tenant, route: Route): Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the services before a test file's tests, hands them to `use`, and stops them after its last. */
export function servicesForThisFile(use: (services: Services) => void): void {
  let services: Services | undefined;
  beforeAll(async () => {
    services = await startServices();
    use(services);
  }, 180_000);
  afterAll(async () => {
    await services?.stop();
  });
}

/**
 * What the projects' runs must have left behind: IAM projects signed real tokens that both front
 * doors verified and none was refused, and the AWS stand-in saw only well-formed calls, Secrets
 * Manager's and the Data API's among them.
 */
export function expectServicesUsedAsAws(services: Services): void {
  for (const door of Object.values(services.doors)) {
    expect(door.refusals).toEqual([]);
    expect(door.accepted).toBeGreaterThan(0);
  }
  expect(services.standIn.shapeErrors).toEqual([]);
  expect(services.standIn.calls).toContain('SecretsManager.GetSecretValue');
  expect(services.standIn.calls).toContain('RDSData.ExecuteStatement');
}

/** The routes a project describes: IAM projects connect only the way their schema.sql allows. */
export function routesFor(options: GenerateOptions): Route[] {
  if (options.auth === 'iam') return [options.pattern === 'rds-proxy' ? 'pgbouncer' : 'direct'];
  return ['direct', 'pgbouncer'];
}

/**
 * An Aurora DSQL schema.sql as PostgreSQL 15 runs it: the index built at once instead of ASYNC, and the
 * link to the function's IAM role as membership of rds_iam, which lets the role in only through a front
 * door (here the one that checked the DSQL token), as the link does on a cluster.
 */
function asLocalPostgres(schemaSql: string): string {
  return schemaSql.replace(/\bCREATE INDEX ASYNC\b/g, 'CREATE INDEX').replace(/^AWS IAM GRANT (\w+) TO :'function_role_arn';$/gm, 'GRANT rds_iam TO $1;');
}

const userName = (n: number) => `app_${n}`;
// Passwords for the throw-away local server only, served to the handlers by the Secrets Manager stand-in.
const passwordOf = (n: number) => `local-test-only-password-${n}`;

export async function startServices(): Promise<Services> {
  const tls = makeTestTls();
  const postgres = await startRealPostgres({
    settings: { listen_addresses: "'127.0.0.1,127.0.0.2'", ssl: 'on', ssl_cert_file: `'${tls.certFile}'`, ssl_key_file: `'${tls.keyFile}'`, max_connections: 60 },
  });
  // RDS's rule for IAM users, with 127.0.0.2 as the IAM front doors' address: members of rds_iam come in
  // only through a front door, which verified their token; nobody else may use a token; and every
  // password login from 127.0.0.1 must use TLS.
  const hba = join(postgres.dataDir, 'pg_hba.conf');
  writeFileSync(
    hba,
    [
      'host all +rds_iam 127.0.0.2/32 trust',
      'host all +rds_iam all reject',
      'host all all 127.0.0.2/32 reject',
      'hostnossl all all 127.0.0.1/32 reject',
      readFileSync(hba, 'utf8'),
    ].join('\n'),
  );
  postgres.psql('CREATE ROLE rds_iam NOLOGIN; SELECT pg_reload_conf();');
  const users = Object.fromEntries(Array.from({ length: USERS }, (_, i) => [userName(i + 1), passwordOf(i + 1)]));
  const bouncer = await startPgBouncer(postgres, {
    poolMode: 'transaction',
    // PgBouncer logs in to PostgreSQL with these passwords, as RDS Proxy does with its secret.
    users,
    trusted: Object.keys(users).map((user) => ({ user, address: '127.0.0.2' })),
    hba: ['hostnossl all all 127.0.0.1/32 reject'],
    tls: { certFile: tls.certFile, keyFile: tls.keyFile, mode: 'allow' },
    serverTls: 'require',
  });
  const door = (upstreamPort: number) => startIamFrontDoor({ upstreamPort, upstreamLocalAddress: '127.0.0.2', tls, credentials: CREDENTIALS, region: REGION });
  const doors = {
    direct: await door(postgres.port),
    pgbouncer: await door(bouncer.port),
    dsql: await startIamFrontDoor({ upstreamPort: postgres.port, upstreamLocalAddress: '127.0.0.2', tls, credentials: CREDENTIALS, region: REGION, kind: 'dsql' }),
  };
  const standIn = await startAwsStandIn({
    secrets: {},
    dataApi: { clusterArn: CLUSTER_ARN, connection: { host: '127.0.0.1', port: postgres.port, ssl: { ca: readFileSync(tls.caFile, 'utf8') } } },
  });
  const dynamo: { server: Dynalite; url: string } = await startDynalite(REGION, CREDENTIALS);
  let tenants = 0;
  let tables = 0;
  return {
    tls,
    postgres,
    bouncer,
    doors,
    standIn,
    createTenant(schemaSql) {
      const n = ++tenants;
      if (n > USERS) throw new Error(`more than ${USERS} projects: raise USERS`);
      const tenant: Tenant = { database: `orders_${n}`, user: userName(n), password: passwordOf(n), secretArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-${n}-AbCdEf`, table: `orders_${n}` };
      const sql = asLocalPostgres(schemaSql)
        .replace(new RegExp(`\\b${GENERATED_USER}\\b`, 'g'), tenant.user)
        .replace(new RegExp(`^\\\\password ${tenant.user}$`, 'gm'), `ALTER ROLE ${tenant.user} PASSWORD '${tenant.password}';`);
      const metaCommand = sql.match(/^\\.*$/m);
      if (metaCommand) throw new Error(`schema.sql holds a psql command the test cannot answer: ${metaCommand[0]}`);
      postgres.psql(`CREATE DATABASE ${tenant.database}`);
      postgres.psql(sql, tenant.database);
      standIn.putSecret(tenant.secretArn, { username: tenant.user, password: tenant.password });
      return tenant;
    },
    async createTableTenant() {
      const n = ++tables;
      const tenant: Tenant = { database: 'unused', user: 'unused', password: 'unused', secretArn: 'unused', table: `orders_table_${n}` };
      await createOrdersTable(dynamo.url, REGION, CREDENTIALS, tenant.table);
      return tenant;
    },
    env(options, tenant, route) {
      const iam = options.auth === 'iam';
      const port = options.pattern === 'aurora-dsql' ? doors.dsql.port : route === 'direct' ? (iam ? doors.direct.port : postgres.port) : iam ? doors.pgbouncer.port : bouncer.port;
      return {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        DB_HOST: '127.0.0.1',
        DB_PORT: String(port),
        DB_NAME: tenant.database,
        DB_USER: tenant.user,
        DB_CA_BUNDLE: tls.caFile,
        // Read by the Managed Instances projects only; unset AWS_LAMBDA_MAX_CONCURRENCY keeps their pool at one here.
        DB_POOL_SHARE: '4',
        DB_SECRET_ARN: tenant.secretArn,
        DB_CLUSTER_ARN: CLUSTER_ARN,
        TABLE_NAME: tenant.table,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
        AWS_ENDPOINT_URL_RDS_DATA: standIn.url,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      };
    },
    async stop() {
      await doors.direct.close();
      await doors.pgbouncer.close();
      await doors.dsql.close();
      await standIn.close();
      await bouncer.stop();
      postgres.stop();
      await new Promise<void>((resolve) => dynamo.server.close(() => resolve()));
    },
  };
}
