/** `connlab generate`, through bin/connlab.mjs as a user runs it. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { generate, zipProject } from '../../src/templates/index.ts';

const execFileAsync = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/connlab.mjs');

async function connlab(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = execFileAsync(process.execPath, [BIN, 'generate', ...args], { encoding: 'utf8' });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const flags = ['--pattern', 'rds-proxy', '--runtime', 'nodejs24.x', '--language', 'typescript', '--auth', 'iam', '--iac', 'aws-cli'];
const options = { pattern: 'rds-proxy', runtime: 'nodejs24.x', language: 'typescript', auth: 'iam', iac: 'aws-cli', database: 'rds-postgresql' } as const;

describe('connlab generate', () => {
  it('writes the project to --out, byte for byte, scripts executable', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'connlab-cli-')), 'project');
    const result = await connlab([...flags, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of generate(options)) {
      expect(readFileSync(join(out, file.path), 'utf8')).toBe(file.contents);
    }
    expect(statSync(join(out, 'deploy.sh')).mode & 0o111).not.toBe(0);
  });

  it('writes a zip identical to zipProject for the same answers, twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connlab-cli-'));
    await connlab([...flags, '--zip', join(dir, 'a.zip')]);
    await connlab([...flags, '--zip', join(dir, 'b.zip')]);
    const a = readFileSync(join(dir, 'a.zip'));
    expect(a.equals(readFileSync(join(dir, 'b.zip')))).toBe(true);
    expect(a.equals(Buffer.from(zipProject(generate(options))))).toBe(true);
    expect(strFromU8(unzipSync(a)['README.md']!)).toContain('RDS Proxy');
  });

  it('exits 2 on a bad value and lists the valid ones', async () => {
    const result = await connlab(['--pattern', 'rds-proxy', '--runtime', 'nodejs18.x', '--language', 'typescript', '--auth', 'iam', '--iac', 'sam', '--out', '/tmp/never']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--runtime 'nodejs18.x' is not valid; valid values: nodejs22.x, nodejs24.x, python3.12, python3.13");
    expect(existsSync('/tmp/never')).toBe(false);
  });

  it('exits 2 on an impossible combination with the reason', async () => {
    const result = await connlab(['--pattern', 'data-api', '--runtime', 'python3.12', '--language', 'python', '--auth', 'secrets-manager', '--iac', 'sam', '--out', '/tmp/never']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the RDS Data API serves Aurora clusters only');
  });

  it('refuses a non-empty folder without --force, and overwrites with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'connlab-cli-'));
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const refused = await connlab([...flags, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    expect(existsSync(join(out, 'README.md'))).toBe(false);
    const forced = await connlab([...flags, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(join(out, 'README.md'))).toBe(true);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('--list prints every valid value', async () => {
    const result = await connlab(['--list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--pattern   module-pool, rds-proxy, data-api, dynamodb, sqs-batching');
    expect(result.stdout).toContain('--iac       sam, cdk, terraform, aws-cli');
  });

  it('--interactive asks the wizard questions, explains the decision and writes the recommended project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connlab-cli-'));
    mkdirSync(join(dir, 'out'));
    // database, class, existing, relational, concurrency, other connections, traffic, latency, spend, model, async,
    // reads, runtime and language, Managed Instances, auth, iac (the ACU range is asked only for Serverless v2)
    const input = ['', '', '', '', '5000', '', 'spiky', '', '', '', 'yes', '', 'python3.13-python', '', 'bogus', '2', '3', ''].join('\n') + '\n';
    const result = await connlab(['--interactive', '--out', join(dir, 'out')], input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('auth: expected one of iam, secrets-manager; got "bogus"');
    expect(result.stdout).toContain('Recommended: an SQS queue with a capped batch consumer (sqs-batching)');
    expect(result.stdout).toContain('Reads: RDS Proxy (rds-proxy)');
    expect(result.stdout).toContain('connlab generate --pattern rds-proxy --runtime python3.13 --language python --auth secrets-manager');
    expect(result.stdout).toContain('Runner-up: RDS Proxy');
    const handler = readFileSync(join(dir, 'out/app/handler.py'), 'utf8');
    expect(handler).toContain('Produced by: pattern=sqs-batching, language=python, auth=secrets-manager');
    expect(existsSync(join(dir, 'out/infra/main.tf'))).toBe(true);
  });

  it('--interactive refuses a class the engine does not offer, with the reason, and asks again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connlab-cli-'));
    // Aurora PostgreSQL, then db.t3.micro (refused), then the default class; the rest default.
    const input = ['2', '1', '', ...Array(16).fill('')].join('\n') + '\n';
    const result = await connlab(['--interactive', '--out', join(dir, 'out')], input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('instanceClass: aurora-postgresql offers db.t3.medium, db.r6g.large, db.r6g.2xlarge; got db.t3.micro (Aurora PostgreSQL offers no db.t3.micro');
    expect(result.stdout).toContain('Answer [db.r6g.large]:');
  });
});
