/**
 * Rotation of a database secret with the single-user strategy, as AWS's rotation function template
 * for PostgreSQL (SecretsManagerRDSPostgreSQLRotationSingleUser) does it, one step after the other:
 *
 * 1. createSecret: a new version with a new password, labelled AWSPENDING.
 * 2. setSecret: log in with AWSCURRENT and `ALTER USER … WITH PASSWORD` the pending password. From
 *    here on the AWSCURRENT password no longer logs in, while open connections carry on.
 * 3. testSecret: log in with AWSPENDING and run a query.
 * 4. finishSecret: move AWSCURRENT to the new version (the old one becomes AWSPREVIOUS).
 *
 * Between steps 2 and 4 the secret's current value is a password the database refuses: the single
 * user strategy has no overlap (facts.secretsManager.singleUserOverlapMs).
 */
import { AWSCURRENT, AWSPENDING, type SecretsManagerEmulator } from './emulator.ts';

interface PgClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

export interface DatabaseSecret {
  username: string;
  password: string;
  host: string;
  port: number;
  dbname?: string;
  engine?: string;
}

export interface RotationOptions {
  emulator: SecretsManagerEmulator;
  secretId: string;
  /** The rotation function's `pg` (a process of its own on the virtual network). */
  pg: { Client: new (config: Record<string, unknown>) => PgClient };
  sleep(ms: number): Promise<void>;
  /** Secrets Manager's pause between two invocations of the rotation function. */
  stepGapMs: number;
  /** The password createSecret generates (GetRandomPassword is not modelled). */
  newPassword: string;
  /** One line per step, as the rotation function logs them. */
  log(step: string, text: string): void;
}

const secretOf = (output: Record<string, unknown>): DatabaseSecret => JSON.parse(output.SecretString as string) as DatabaseSecret;

/** A string literal as PostgreSQL reads it with standard_conforming_strings on. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const identifier = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** Runs the four steps; resolves when AWSCURRENT has moved, rejects with the step's error otherwise. */
export async function rotateSingleUser(options: RotationOptions): Promise<void> {
  const { emulator, secretId, sleep, stepGapMs, log } = options;
  const get = (input: Record<string, unknown>) => emulator.execute('GetSecretValue', { SecretId: secretId, ...input });
  // RotateSecret's ClientRequestToken: the id of the version the rotation creates.
  const token = emulator.newVersionId();

  const current = secretOf(get({ VersionStage: AWSCURRENT }));
  emulator.execute('PutSecretValue', { SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify({ ...current, password: options.newPassword }), VersionStages: [AWSPENDING] });
  log('createSecret', `put a new secret version ${token} labelled AWSPENDING`);
  await sleep(stepGapMs);

  const pending = secretOf(get({ VersionId: token, VersionStage: AWSPENDING }));
  const admin = await login(options, current);
  try {
    await admin.query(`ALTER USER ${identifier(current.username)} WITH PASSWORD ${literal(pending.password)}`);
  } finally {
    await admin.end();
  }
  log('setSecret', `set the password of user ${current.username} to the AWSPENDING value`);
  await sleep(stepGapMs);

  const test = await login(options, pending);
  try {
    await test.query('SELECT NOW()');
  } finally {
    await test.end();
  }
  log('testSecret', 'logged in with the AWSPENDING secret');
  await sleep(stepGapMs);

  const currentVersion = get({ VersionStage: AWSCURRENT }).VersionId as string;
  emulator.execute('UpdateSecretVersionStage', { SecretId: secretId, VersionStage: AWSCURRENT, MoveToVersionId: token, RemoveFromVersionId: currentVersion });
  log('finishSecret', `moved AWSCURRENT to version ${token}`);
}

async function login(options: RotationOptions, secret: DatabaseSecret): Promise<PgClient> {
  const client = new options.pg.Client({ host: secret.host, port: secret.port, user: secret.username, password: secret.password, database: secret.dbname ?? 'postgres', connectionTimeoutMillis: 5_000 });
  // An error on the idle client after the step would otherwise be uncaught in the rotation's process.
  client.on('error', () => {});
  await client.connect();
  return client;
}
