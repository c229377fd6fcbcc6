/**
 * `connlab serve <service>` as readers run it, a separate process on 127.0.0.1, and Debian's AWS CLI
 * (`/usr/bin/aws … --endpoint-url`) pointed at it with fake credentials: what the serve tests share.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
export const AWS_CLI = '/usr/bin/aws';

const fakeCredentials = {
  AWS_ACCESS_KEY_ID: 'AKIDCONNLABTEST',
  AWS_SECRET_ACCESS_KEY: 'connlab-test-secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  // Keep the CLI away from any real configuration or instance metadata.
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

export interface Served {
  process: ChildProcess;
  endpoint: string;
  /** Everything the process printed so far, stdout and stderr. */
  output: string;
}

const LISTENING = /Listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts `connlab serve <service> --port 0` and waits for its "Listening on" line; `startupMs` bounds a hang, it is not a timing. */
export async function startServe(service: 'dynamodb' | 'data-api', startupMs: number): Promise<Served> {
  const child = spawn(process.execPath, [join(root, 'bin', 'connlab.mjs'), 'serve', service, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const served: Served = { process: child, endpoint: '', output: '' };
  child.stdout?.on('data', (chunk: Buffer) => (served.output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (served.output += chunk.toString()));
  const started = Date.now();
  while (!LISTENING.test(served.output)) {
    if (Date.now() - started > startupMs || child.exitCode !== null) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`connlab serve ${service} did not start:\n${served.output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  served.endpoint = (LISTENING.exec(served.output) as RegExpExecArray)[1] as string;
  return served;
}

/** Runs `aws <args> --endpoint-url <endpoint> --output json`; a failed command is answered, not thrown. */
export async function awsCli(args: string[], endpoint: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(AWS_CLI, [...args, '--endpoint-url', endpoint, '--output', 'json'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...fakeCredentials },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
