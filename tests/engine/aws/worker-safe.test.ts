/**
 * The Data API and SQS emulators and the emulated AWS SDK clients must load in the page's Worker:
 * bundled for the browser (which fails on any Node built-in), run in a bare VM context with only
 * web globals, a handler-style `new SQSClient({})` and `new RDSDataClient({})` answer through the
 * emulators. Also measures what each SDK bundle adds to the page (it loads only when a sandbox uses it).
 */
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleSdk } from '../../../src/engine/host/sdk-bundle.ts';
import { SDK_BUNDLES, type SdkBundle } from '../../../src/engine/host/sdk-packages.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const src = (...parts: string[]) => join(root, 'src', ...parts);

describe('AWS emulators and SDK clients in a Worker', () => {
  it('bundle for the browser and answer SDK calls with web globals only', async () => {
    const entry = `
      import { sdkModules } from ${JSON.stringify(src('engine', 'aws', 'sdk-modules.ts'))};
      import { SqsEmulator } from ${JSON.stringify(src('engine', 'sqs', 'emulator.ts'))};
      import { DataApiEmulator } from ${JSON.stringify(src('engine', 'dataapi', 'emulator.ts'))};
      export async function demo(sources) {
        // Short delays run at once; the 45 s call timeout never comes in this demo.
        const timers = { now: () => 0, setTimeout: (run, ms) => (ms < 1000 ? Promise.resolve().then(run) : null), clearTimeout: () => {}, random: () => 0.5 };
        const sqs = new SqsEmulator(timers);
        const url = sqs.createQueue('orders', { visibilityTimeoutMs: 30000 });
        const rows = { rows: [['1']], fields: [{ name: 'one', dataTypeID: 23, tableID: 0, columnID: 0 }], rowCount: 1, command: 'SELECT' };
        const pool = { connect: async () => ({ query: async () => rows, release() {} }), end: async () => {}, totalCount: 0, idleCount: 0 };
        const dataApi = new DataApiEmulator({ timers, latency: false, cluster: { resourceArn: 'arn:c', secrets: { 'arn:s': { username: 'app', password: 'x' } }, endpointUnavailable: null, openPool: () => pool } });
        const modules = await sdkModules(['@aws-sdk/client-sqs', '@aws-sdk/client-rds-data'], { sqs: { emulator: sqs }, dataApi }, async (bundle) => {
          // As sdk-instance.ts evaluates a bundle, without the engine's lockdown (SES needs strict mode, this demo is sloppy).
          const module = { exports: {} };
          new Function('require', 'module', 'exports', sources[bundle])((name) => { throw new Error('the SDK bundle requires ' + name); }, module, module.exports);
          return module.exports.default;
        });
        const { SQSClient, SendMessageCommand } = modules['@aws-sdk/client-sqs'];
        const { RDSDataClient, ExecuteStatementCommand } = modules['@aws-sdk/client-rds-data'];
        const sent = await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }));
        const out = await new RDSDataClient({}).send(new ExecuteStatementCommand({ resourceArn: 'arn:c', secretArn: 'arn:s', sql: 'SELECT 1 AS one' }));
        return { messageId: sent.MessageId, depth: sqs.depth(url).visible, records: out.records };
      }`;
    const result = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'browser', format: 'iife', globalName: 'worker', write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]?.text ?? '';
    // The typed-array constructors of this realm, so the SDK's `instanceof Uint8Array` sees the emulator's bytes as a Worker would.
    const globals: Record<string, unknown> = { Uint8Array, ArrayBuffer, DataView, TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, ReadableStream, Blob, Headers, Request, Response, setTimeout, clearTimeout, crypto: globalThis.crypto, atob, btoa, navigator: { userAgent: 'Worker' }, queueMicrotask, console: { warn() {}, log() {}, error() {}, info() {}, debug() {} } };
    globals.globalThis = globals;
    globals.self = globals;
    runInNewContext(`${code};\nglobalThis.worker = worker;`, globals);
    // The SDK bundle texts, as the page's build makes them.
    const sources = { sqs: await bundleSdk(build as never, root, 'sqs'), 'rds-data': await bundleSdk(build as never, root, 'rds-data') };
    const out = await (globals.worker as { demo(sources: Record<string, string>): Promise<{ messageId: string; depth: number; records: unknown }> }).demo(sources);
    expect(out.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.depth).toBe(1);
    expect(out.records).toEqual([[{ longValue: 1 }]]);
  });

  it('keeps the SDK out of the services chunk: each SDK bundle is its own text; reports their weight', async () => {
    // SES (about 28 KB gzip) isolates every run's handler code, with or without services: not counted here.
    const result = await build({ entryPoints: [src('run', 'services.ts')], bundle: true, splitting: true, platform: 'browser', format: 'esm', minify: true, outdir: '/tmp/connlab-chunks', write: false, logLevel: 'silent', metafile: true, external: ['ses'] });
    const entry = result.outputFiles.find((f) => f.path.endsWith('services.js'))!;
    const sizes = result.outputFiles.map((f) => ({ file: f.path.split('/').pop(), gzip: gzipSync(f.contents).length }));
    for (const bundle of Object.keys(SDK_BUNDLES) as SdkBundle[]) sizes.push({ file: `aws-sdk/${bundle}`, gzip: gzipSync(await bundleSdk(build as never, root, bundle)).length });
    console.info(sizes.map((s) => `${s.file}: ${(s.gzip / 1024).toFixed(1)} KB gzip`).join('\n'));
    // The entry itself stays small: the emulators and the SDK arrive only with a sandbox that uses them.
    expect(gzipSync(entry.contents).length).toBeLessThan(60 * 1024);
    expect(result.outputFiles.length).toBeGreaterThan(3);
    // No SDK code in any chunk of the engine: it arrives as the bundle texts, evaluated per run.
    expect(Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/@aws-sdk/client-'))).toEqual([]);
  });
});
