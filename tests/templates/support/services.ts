/**
 * The real and stand-in services a generated handler meets, started once per test file:
 * PostgreSQL 15 with TLS (only TLS accepted from 127.0.0.1, so a passing run proves the handler
 * negotiated it), PgBouncer in transaction mode, an IAM front door before each, the Secrets Manager
 * and Data API stand-in, and dynalite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRealPostgres, type RealPostgres } from '../../support/postgres.ts';
import { startPgBouncer, type RealPgBouncer } from '../../support/pgbouncer.ts';
import { makeTestTls, type TestTls } from './tls.ts';
import { startIamFrontDoor, type FrontDoor } from './iam-front-door.ts';
import { startAwsStandIn, type AwsStandIn } from './aws-stand-in.ts';
import { startDynalite, type Dynalite } from './dynalite.ts';
import type { GenerateOptions } from '../../../src/templates/index.ts';

export const CREDENTIALS = { accessKeyId: 'AKIDLOCALTESTONLY000', secretAccessKey: 'local-test-only-not-a-real-key' };
export const REGION = 'us-east-1';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-AbCdEf';
export const CLUSTER_ARN = 'arn:aws:rds:us-east-1:111122223333:cluster:orders';
// A password for the throw-away local server only, served to the handlers by the Secrets Manager stand-in.
const APP_PASSWORD = 'local-test-only-password';

export type Route = 'direct' | 'pgbouncer';

export interface Services {
  tls: TestTls;
  postgres: RealPostgres;
  bouncer: RealPgBouncer;
  doors: Record<Route, FrontDoor>;
  standIn: AwsStandIn;
  /** Creates a database for one project and applies its schema.sql. */
  createDatabase(schemaSql: string): string;
  /** The environment the generated handler and its local test read, for one route. */
  env(options: GenerateOptions, database: string, route: Route): Record<string, string>;
  stop(): Promise<void>;
}

export async function startServices(): Promise<Services> {
  const tls = makeTestTls();
  const postgres = await startRealPostgres({
    settings: { listen_addresses: "'127.0.0.1,127.0.0.2'", ssl: 'on', ssl_cert_file: `'${tls.certFile}'`, ssl_key_file: `'${tls.keyFile}'`, max_connections: 60 },
  });
  // The IAM front doors reach upstream from 127.0.0.2, the only address trusted for lambda_app;
  // every other path must present the password and use TLS.
  const hba = join(postgres.dataDir, 'pg_hba.conf');
  writeFileSync(hba, `host all lambda_app 127.0.0.2/32 trust\nhostnossl all lambda_app 127.0.0.1/32 reject\n${readFileSync(hba, 'utf8')}`);
  postgres.psql(`CREATE ROLE lambda_app LOGIN PASSWORD '${APP_PASSWORD}'; SELECT pg_reload_conf();`);
  const bouncer = await startPgBouncer(postgres, {
    poolMode: 'transaction',
    users: { lambda_app: APP_PASSWORD },
    trusted: [{ user: 'lambda_app', address: '127.0.0.2' }],
    hba: ['hostnossl all all 127.0.0.1/32 reject'],
    tls: { certFile: tls.certFile, keyFile: tls.keyFile, mode: 'allow' },
    serverTls: 'require',
  });
  const door = (upstreamPort: number) => startIamFrontDoor({ upstreamPort, upstreamLocalAddress: '127.0.0.2', tls, credentials: CREDENTIALS, region: REGION });
  const doors = { direct: await door(postgres.port), pgbouncer: await door(bouncer.port) };
  const standIn = await startAwsStandIn({
    secrets: { [SECRET_ARN]: { username: 'lambda_app', password: APP_PASSWORD } },
    dataApi: {
      clusterArn: CLUSTER_ARN,
      secretArn: SECRET_ARN,
      connection: { host: '127.0.0.1', port: postgres.port, user: 'lambda_app', password: APP_PASSWORD, ssl: { ca: readFileSync(tls.caFile, 'utf8') } },
    },
  });
  const dynamo: { server: Dynalite; url: string } = await startDynalite(REGION, CREDENTIALS);
  let databases = 0;
  return {
    tls,
    postgres,
    bouncer,
    doors,
    standIn,
    createDatabase(schemaSql) {
      const name = `orders_${++databases}`;
      postgres.psql(`CREATE DATABASE ${name}`);
      postgres.psql(schemaSql, name);
      return name;
    },
    env(options, database, route) {
      const iam = options.auth === 'iam';
      const port = route === 'direct' ? (iam ? doors.direct.port : postgres.port) : iam ? doors.pgbouncer.port : bouncer.port;
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
        DB_NAME: database,
        DB_USER: 'lambda_app',
        DB_CA_BUNDLE: tls.caFile,
        DB_SECRET_ARN: SECRET_ARN,
        DB_CLUSTER_ARN: CLUSTER_ARN,
        TABLE_NAME: 'orders',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
        AWS_ENDPOINT_URL_RDS_DATA: standIn.url,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      };
    },
    async stop() {
      await doors.direct.close();
      await doors.pgbouncer.close();
      await standIn.close();
      await bouncer.stop();
      postgres.stop();
      await new Promise<void>((resolve) => dynamo.server.close(() => resolve()));
    },
  };
}
