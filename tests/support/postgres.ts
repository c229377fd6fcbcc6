/**
 * A real PostgreSQL 15 server (Debian's package) started for a test file on 127.0.0.1 and stopped
 * after it. initdb refuses to run as root, so the cluster belongs to the `postgres` system user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface RealPostgres {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** A superuser with a password, `postgres`/`postgres`. */
  readonly superuser: { user: string; password: string };
  readonly dataDir: string;
  /** Runs SQL as the superuser through psql and returns its stdout. */
  psql(sql: string, database?: string): string;
  stop(): void;
}

export interface RealPostgresOptions {
  /** Extra lines for postgresql.conf, e.g. `max_connections = 20`. */
  settings?: Record<string, string | number>;
}

export function hasRealPostgres(): boolean {
  return existsSync(join(PG_BIN, 'initdb'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asPostgresUser = (command: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe', encoding: 'utf8' });

export async function startRealPostgres(options: RealPostgresOptions = {}): Promise<RealPostgres> {
  if (!hasRealPostgres()) {
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); .ci/run installs it with apt-get install postgresql`);
  }
  const root = mkdtempSync(join(tmpdir(), 'connlab-pg-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  const pwFile = join(root, 'pw');
  writeFileSync(pwFile, 'postgres\n');
  execFileSync('mkdir', ['-p', socketDir]);
  for (const path of [root, socketDir, pwFile]) chownSync(path, uidOf('postgres'), gidOf('postgres'));
  asPostgresUser(join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${socketDir}'`,
    fsync: 'off',
    logging_collector: 'off',
    ...options.settings,
  };
  appendFileSync(join(dataDir, 'postgresql.conf'), Object.entries(settings).map(([k, v]) => `${k} = ${v}\n`).join(''));
  asPostgresUser(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-l', join(root, 'server.log'), '-w', 'start']);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    superuser: { user: 'postgres', password: 'postgres' },
    dataDir,
    psql(sql, database = 'postgres') {
      const result = spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'psql'), '-h', socketDir, '-p', String(port), '-d', database, '-v', 'ON_ERROR_STOP=1', '-XAtq', '-c', sql], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
      return result.stdout;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgresUser(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
