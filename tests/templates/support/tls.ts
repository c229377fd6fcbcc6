/**
 * A throw-away CA and a server certificate for 127.0.0.1, made with openssl, so generated handlers
 * run with TLS verify-full (CA chain and host name) against local servers exactly as against RDS.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'connlab-tls-'));
  chmodSync(dir, 0o755);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=connlab test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', 'server.key', '-out', 'server.csr');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-copy_extensions', 'copy', '-out', 'server.crt');
  const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const postgresGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  // PostgreSQL refuses a key readable by others and reads it as its own user.
  for (const file of ['server.key', 'server.crt']) chownSync(join(dir, file), postgresUid, postgresGid);
  chmodSync(join(dir, 'server.key'), 0o600);
  chmodSync(join(dir, 'server.crt'), 0o644);
  chmodSync(join(dir, 'ca.pem'), 0o644);
  return { dir, caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
}
