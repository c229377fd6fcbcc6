/**
 * A real PgBouncer (Debian's package) in front of a RealPostgres, for a test file. PgBouncer
 * refuses to run as root, so it runs as the `postgres` system user like the server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RealPostgres } from './postgres.ts';

const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** session, transaction or statement; Lambda guides use transaction mode. */
  poolMode?: 'session' | 'transaction' | 'statement';
  /** Users PgBouncer logs in as, with the passwords it also checks clients against (SCRAM). */
  users: Record<string, string>;
  /** Users PgBouncer lets in without a password from one address (hba `trust`), e.g. behind an IAM front door. */
  trusted?: Array<{ user: string; address: string }>;
  /** PEM files for client-side TLS (copied so PgBouncer can read them) and the client_tls_sslmode. */
  tls?: { certFile: string; keyFile: string; mode?: 'allow' | 'prefer' | 'require' };
  /** server_tls_sslmode towards PostgreSQL. */
  serverTls?: 'disable' | 'prefer' | 'require';
  /** Extra hba lines placed first, e.g. `hostnossl all all 127.0.0.1/32 reject`. */
  hba?: string[];
  defaultPoolSize?: number;
  maxClientConn?: number;
}

export interface RealPgBouncer {
  readonly host: '127.0.0.1';
  readonly port: number;
  stop(): Promise<void>;
}

export function hasPgBouncer(): boolean {
  return existsSync(PGBOUNCER);
}

export async function startPgBouncer(postgres: RealPostgres, options: PgBouncerOptions): Promise<RealPgBouncer> {
  if (!hasPgBouncer()) throw new Error(`PgBouncer is not installed (${PGBOUNCER}); .ci/run installs it with apt-get install pgbouncer`);
  const root = mkdtempSync(join(tmpdir(), 'connlab-pgbouncer-'));
  chmodSync(root, 0o755);
  const port = await freePort();
  const own = (path: string, mode = 0o600) => {
    chownSync(path, uid(), gid());
    chmodSync(path, mode);
  };
  const authFile = join(root, 'users.txt');
  writeFileSync(authFile, Object.entries(options.users).map(([user, password]) => `"${user}" "${password}"\n`).join(''));
  own(authFile);
  const hbaFile = join(root, 'hba.conf');
  writeFileSync(
    hbaFile,
    [
      ...(options.trusted ?? []).map(({ user, address }) => `host all ${user} ${address}/32 trust`),
      ...(options.hba ?? []),
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  own(hbaFile);
  const lines = [
    '[databases]',
    `* = host=127.0.0.1 port=${postgres.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${root}`,
    'auth_type = hba',
    `auth_hba_file = ${hbaFile}`,
    `auth_file = ${authFile}`,
    `pool_mode = ${options.poolMode ?? 'transaction'}`,
    `default_pool_size = ${options.defaultPoolSize ?? 5}`,
    `max_client_conn = ${options.maxClientConn ?? 200}`,
    `server_tls_sslmode = ${options.serverTls ?? 'disable'}`,
    'ignore_startup_parameters = extra_float_digits,options',
    `logfile = ${join(root, 'pgbouncer.log')}`,
  ];
  if (options.tls) {
    for (const [name, source] of [['server.crt', options.tls.certFile], ['server.key', options.tls.keyFile]] as const) {
      execFileSync('cp', [source, join(root, name)]);
      own(join(root, name));
    }
    lines.push(`client_tls_sslmode = ${options.tls.mode ?? 'require'}`, `client_tls_cert_file = ${join(root, 'server.crt')}`, `client_tls_key_file = ${join(root, 'server.key')}`);
  }
  const ini = join(root, 'pgbouncer.ini');
  writeFileSync(ini, lines.join('\n') + '\n');
  own(ini, 0o644);
  chownSync(root, uid(), gid());
  const child: ChildProcess = spawn('runuser', ['-u', 'postgres', '--', PGBOUNCER, ini], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  await waitForPort(port, () => child.exitCode !== null, () => `PgBouncer exited: ${stderr}`);
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, failed: () => boolean, why: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (failed()) throw new Error(why());
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`PgBouncer did not listen on ${port}: ${why()}`);
}

const uid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
const gid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
