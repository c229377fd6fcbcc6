/**
 * The emulator must load in a browser Web Worker: no Node built-ins (its HTTP adapter's Node side is
 * the emulators' shared net/http-endpoint.ts).
 * esbuild bundles it for the browser platform, which fails on any `node:` import, and the bundle
 * then runs in a bare VM context with only the web globals a Worker has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const folder = join(import.meta.dirname, '..', '..', '..', 'src', 'engine', 'dynamodb');

describe('DynamoDB emulator in a Worker', () => {
  it('imports no Node built-in', () => {
    const withNode = readdirSync(folder).filter((f) => /from 'node:|require\(|import\('node:/.test(readFileSync(join(folder, f), 'utf8')));
    expect(withNode).toEqual([]);
  });

  it('bundles for the browser and answers a request with web globals only', async () => {
    const result = await build({
      entryPoints: [join(folder, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'ddb',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder, atob, structuredClone, Date, Math, JSON };
    runInNewContext(`${code};\nglobalThis.ddb = ddb;`, sandbox);
    const { DynamoDBEmulator } = sandbox['ddb'] as typeof import('../../../src/engine/dynamodb/index.ts');
    const emulator = new DynamoDBEmulator({ clock: { now: () => 0 } });
    const answer = emulator.respond(
      'DynamoDB_20120810.CreateTable',
      JSON.stringify({ TableName: 'worker', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }),
    );
    expect(answer.statusCode).toBe(200);
  });

  it('stays small once minified (zod/mini, no Node polyfills): under 120 KB', async () => {
    const result = await build({ entryPoints: [join(folder, 'index.ts')], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, logLevel: 'silent' });
    const bytes = result.outputFiles[0]?.contents.length ?? Number.POSITIVE_INFINITY;
    console.info(`DynamoDB emulator for the browser: ${(bytes / 1024).toFixed(1)} KB minified`);
    expect(bytes).toBeLessThan(120 * 1024);
  });
});
