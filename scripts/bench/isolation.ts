/**
 * The cost of isolating handler code (src/engine/lambda/isolation.ts), per run of each engine
 * sandbox's default, in Node.
 *
 * Lockdown is once per process and cannot be undone, so "the same run without isolation" cannot run
 * in this process; instead each part isolation adds is timed on its own and multiplied by how often
 * a run does it, next to the run's wall time:
 *   - per run: checking the handler in a compartment (the sucrase transform was there before);
 *   - per execution environment (each cold start): its global object (`handlerGlobals`), a new
 *     Compartment and evaluating the handler's function expression in it, where a trusted factory
 *     needs none of these (the module body itself runs either way);
 *   - once per process: lockdown(), timed in a fresh Node process;
 *   - per run of a sandbox whose handlers use the AWS SDK: evaluating the run's own instance of each
 *     SDK bundle (engine/aws/sdk-instance.ts) and freezing its exports, and the first call through it, which a process-wide
 *     SDK paid once per process (its lazy set-up: endpoint rules, schemas), less a call through a
 *     warm instance.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { Scheduler } from '../../src/engine/clock/scheduler.ts';
import { Environment } from '../../src/engine/lambda/environment.ts';
import { compileHandler } from '../../src/engine/lambda/modules.ts';
import { evaluateIsolated, freezeSurfaces } from '../../src/engine/lambda/isolation.ts';
import { runSandbox } from '../../src/run/run.ts';
import { sdkInstance } from '../../src/engine/aws/sdk-instance.ts';
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from '../../src/engine/aws/client-defaults.ts';
import type { SdkBundle } from '../../src/engine/host/sdk-packages.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { Section } from '../lib/bench-section.ts';

const SANDBOXES = ['direct-connection', 'module-pool', 'stale-after-freeze', 'zombie-connections'];
/** A sandbox per SDK bundle, and one call its handlers make. */
const SDK_SANDBOXES: Array<{ id: string; bundle: SdkBundle; client: string; command: string; input: Record<string, unknown>; endpoint: string }> = [
  { id: 'data-api', bundle: 'rds-data', client: 'RDSDataClient', command: 'ExecuteStatementCommand', input: { resourceArn: 'a', secretArn: 's', sql: 'SELECT 1' }, endpoint: SERVICE_ENDPOINTS['rds-data'] },
  { id: 'dynamodb', bundle: 'dynamodb', client: 'DynamoDBClient', command: 'GetItemCommand', input: { TableName: 't', Key: { pk: { S: 'a' } } }, endpoint: SERVICE_ENDPOINTS.dynamodb },
  { id: 'sqs-batching', bundle: 'sqs', client: 'SQSClient', command: 'SendMessageCommand', input: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'x' }, endpoint: SERVICE_ENDPOINTS.sqs },
];
const SDK_SAMPLES = 15;
const SAMPLES = 400;

/** Median wall time of `work`, in microseconds, over SAMPLES calls after a warm-up. */
function medianUs(work: () => unknown): number {
  for (let i = 0; i < 20; i++) work();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    work();
    times.push((performance.now() - start) * 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!;
}

/** Median of `SDK_SAMPLES` timings of an async `work`, in ms, after one warm-up. */
async function medianMs(work: () => Promise<number>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < SDK_SAMPLES; i++) times.push(await work());
  return times.sort((a, b) => a - b)[Math.floor(SDK_SAMPLES / 2)]!;
}

/** A transport that answers every call with an empty JSON body, at once. */
const canned = {
  handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode('{}') } }),
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
  destroy() {},
};

async function sdkRows(): Promise<Section['rows']> {
  const rows: Section['rows'] = [];
  for (const { id, bundle, client, command, input, endpoint } of SDK_SANDBOXES) {
    const text = await nodeHost.sdkSource(bundle);
    const instance = () => sdkInstance(bundle, nodeHost.sdkSource);
    const instanceMs = await medianMs(async () => {
      const start = performance.now();
      freezeSurfaces(await instance());
      return performance.now() - start;
    });
    const call = async (modules: Record<string, Record<string, unknown>>) => {
      const sdk = Object.values(modules)[0]!;
      const Client = sdk[client] as new (config: object) => { send(command: unknown): Promise<unknown> };
      const Command = sdk[command] as new (input: object) => unknown;
      const start = performance.now();
      await new Client({ ...SDK_CLIENT_DEFAULTS, endpoint, md5: false, requestHandler: canned }).send(new Command(input));
      return performance.now() - start;
    };
    const warm = await instance();
    const warmCallMs = await medianMs(() => call(warm));
    const firstCallMs = await medianMs(async () => call(await instance()));
    const sandbox = loadSandbox(id);
    await runSandbox(nodeHost, { sandbox }); // warm
    const report = await runSandbox(nodeHost, { sandbox });
    const perRunMs = instanceMs + Math.max(0, firstCallMs - warmCallMs);
    rows.push([id, `${Math.round(text.length / 1024)} KB`, `${instanceMs.toFixed(1)} ms`, `${firstCallMs.toFixed(1)} ms`, `${warmCallMs.toFixed(1)} ms`, `${Math.round(report.wallMs).toLocaleString('en-US')} ms`, `${perRunMs.toFixed(1)} ms`, `${((perRunMs / report.wallMs) * 100).toFixed(1)} %`]);
  }
  return rows;
}

function lockdownMs(): number {
  const module = new URL('../../src/engine/lambda/isolation.ts', import.meta.url).href;
  const script = `const { ensureLockdown } = await import(${JSON.stringify(module)}); const t = performance.now(); ensureLockdown(); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

export default async function bench(): Promise<Section[]> {
  const lockdown = lockdownMs();
  const scheduler = new Scheduler({ seed: 1, yieldMacrotask: () => nodeHost.yieldMacrotask() });
  const environment = new Environment(scheduler, { id: 'bench', envVars: {}, onUncaught: () => {}, onConsole: () => {} });
  const rows: Section['rows'] = [];
  for (const id of SANDBOXES) {
    const sandbox = loadSandbox(id);
    const file = sandbox.definition.variants[0]!.handler;
    const source = sandbox.files[file]!;
    const compiled = compileHandler(source, file);
    if (compiled.kind !== 'isolated') throw new Error('handlers are compiled for a compartment');
    const checkUs = medianUs(() => evaluateIsolated(compiled.source, {}));
    const environmentUs = medianUs(() => evaluateIsolated(compiled.source, environment.handlerGlobals()));
    await runSandbox(nodeHost, { sandbox }); // warm
    const report = await runSandbox(nodeHost, { sandbox });
    const perRunMs = (checkUs + report.coldStarts * environmentUs) / 1000;
    rows.push([
      id,
      report.coldStarts.toLocaleString('en-US'),
      `${Math.round(report.wallMs).toLocaleString('en-US')} ms`,
      `${checkUs.toFixed(0)} µs`,
      `${environmentUs.toFixed(0)} µs`,
      `${perRunMs.toFixed(1)} ms`,
      `${((perRunMs / report.wallMs) * 100).toFixed(1)} %`,
    ]);
  }
  return [
    {
      title: 'Isolation: what running handlers in SES compartments adds to a default run, in Node',
      columns: ['sandbox', 'cold starts', 'run wall', 'check per run', 'per environment', 'isolation per run', 'share of run'],
      rows,
      notes: [
        `lockdown(), once per process (the Worker, or a Node process that runs a sandbox): ${lockdown.toFixed(1)} ms, in a fresh Node process.`,
        `Medians of ${SAMPLES} calls. Per environment: the compartment's global object, a new Compartment, and evaluating the handler's function expression in it.`,
        'Isolation per run: check + cold starts × per environment. Not included: any slower call into a frozen object or through the compartment (not measured here; the engine bench above runs isolated).',
      ],
    },
    {
      title: 'Isolation: the AWS SDK evaluated per run (a run of another reader\'s code cannot leave it changed), in Node',
      columns: ['sandbox', 'bundle', 'instance per run', 'first call', 'warm call', 'run wall', 'SDK per run', 'share of run'],
      rows: await sdkRows(),
      notes: [
        `Medians of ${SDK_SAMPLES}. Instance: the bundle's module body run afresh (compiled once per process), its exports frozen. First call: through a new instance; warm call: through one already used.`,
        'SDK per run: instance + (first call − warm call), what a process-wide SDK paid once per process instead.',
      ],
    },
  ];
}
