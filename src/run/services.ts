/**
 * A sandbox's AWS services besides Lambda and the instance: the Data API, DynamoDB tables, and an SQS
 * queue with its consumer function. Built from the sandbox's `dataApi`, `dynamodb` and `sqs`
 * sections, reached by handlers through the real AWS SDK clients (src/engine/aws), and summarised
 * into the RunReport's sections of the same names.
 *
 * The services run as one process on the virtual network ("aws-services"): never frozen, its own
 * `pg` for the Data API's pool, its own timers for latencies and timeouts.
 */
import type { Scheduler } from '../engine/clock/scheduler.ts';
import type { Timers } from '../engine/clock/timers.ts';
import { functionConfig } from '../engine/lambda/function.ts';
import { compileHandler, type CompiledModule } from '../engine/lambda/modules.ts';
import type { DataApiEmulator } from '../engine/dataapi/emulator.ts';
import { virtualCluster } from '../engine/dataapi/virtual.ts';
import type { DynamoDBEmulator } from '../engine/dynamodb/emulator.ts';
import type { SqsEmulator } from '../engine/sqs/emulator.ts';
import type { QueueConsumer, startConsumer } from '../engine/sqs/consumer.ts';
import { sdkPackagesUsed, type SdkBundle } from '../engine/host/sdk-packages.ts';
import type { EmulatedServices } from '../engine/aws/sdk-modules.ts';
import { dynamodb as dynamodbFacts } from '../facts/dynamodb.ts';
import { sqs as sqsFacts } from '../facts/sqs.ts';
import { dataApi as dataApiFacts } from '../facts/data-api.ts';
import type { World } from '../engine/world/world.ts';
import type { Sandbox } from '../sandboxes/schema.ts';
import type { RunReport } from './report.ts';

export class ServicesSetupError extends Error {
  override name = 'ServicesSetupError';
}

export interface ServicesContext {
  world: World;
  config: Sandbox;
  instanceClass: string;
  /** The host's AWS SDK bundle texts (EngineHost.sdkSource). */
  sdkSource(bundle: SdkBundle): Promise<string>;
  /** Source text of every handler file of the sandbox that may run (the variant's, the consumer's). */
  files: Readonly<Record<string, string>>;
  /** The variant's handler source (edited or not). */
  handlerSource: string;
  event(kind: string, text: string): void;
}

export interface SandboxServices {
  /** The packages every environment of the run gets (emulated AWS SDK clients). */
  readonly packages: Readonly<Record<string, unknown>>;
  report(durationMs: number): Pick<RunReport, 'dataApi' | 'dynamodb' | 'sqs'>;
  /** Readings for the live chart (engine/metrics/sampler.ts): a queue's depth, DynamoDB's consumed and throttled writes. */
  readonly probes: ReadonlyArray<{ name: string; kind: 'level' | 'total'; read: () => number }>;
}

const NO_SERVICES: SandboxServices = { packages: {}, report: () => ({}), probes: [] };

/** Uniform within ±30 % of a mean, as the engine's other latency draws. */
const jitter = (scheduler: Scheduler, mean: number) => mean * scheduler.rng.uniform(0.7, 1.3);

export async function attachServices(ctx: ServicesContext): Promise<SandboxServices> {
  const { world, config } = ctx;
  const { scheduler } = world;
  const consumerSource = config.sqs ? ctx.files[config.sqs.consumer.handler] : undefined;
  if (config.sqs && consumerSource === undefined) throw new ServicesSetupError(`consumer handler file ${config.sqs.consumer.handler} is missing`);
  const packages = sdkPackagesUsed(`${ctx.handlerSource}\n${consumerSource ?? ''}`);
  if (!config.dataApi && !config.dynamodb && !config.sqs && packages.length === 0) return NO_SERVICES;
  // Loaded on demand: in the page each is its own chunk, fetched by the sandboxes that use it.
  const [{ DataApiEmulator }, { DynamoDBEmulator }, { SqsEmulator, startConsumer }, { sdkModules }, { sdkInstance }] = await Promise.all([
    config.dataApi ? import('../engine/dataapi/emulator.ts') : ({} as never),
    config.dynamodb ? import('../engine/dynamodb/emulator.ts') : ({} as never),
    config.sqs ? import('../engine/sqs/index.ts') : ({} as never),
    import('../engine/aws/sdk-modules.ts'),
    import('../engine/aws/sdk-instance.ts'),
  ]);

  const process = world.spawn('aws-services', (error) => ctx.event('services-error', `aws-services: ${(error as Error)?.message ?? String(error)}`));
  const { timers, sleep } = process;
  const services: EmulatedServices = {};

  let dataApi: DataApiEmulator | null = null;
  if (config.dataApi) {
    const secrets: Record<string, { username: string; password: string }> = {};
    for (const [arn, user] of Object.entries(config.dataApi.secrets)) {
      const password = config.database.users[user];
      if (password === undefined) throw new ServicesSetupError(`dataApi.secrets: ${arn} names role ${user}, which database.users does not define`);
      secrets[arn] = { username: user, password };
    }
    dataApi = new DataApiEmulator({
      timers,
      cluster: virtualCluster({
        pg: process.pg,
        host: config.database.host,
        port: config.database.port,
        resourceArn: config.dataApi.resourceArn,
        secrets,
        // data-api.limitations.html: not supported on T instance classes.
        endpointUnavailable: /^db\.t\d/.test(ctx.instanceClass) ? `the Data API isn't supported on T instance classes (${ctx.instanceClass})` : null,
      }),
      latency: true,
      ...(config.dataApi.poolConnections ? { poolConnections: config.dataApi.poolConnections } : {}),
    });
    services.dataApi = dataApi;
  }

  let dynamodb: DynamoDBEmulator | null = null;
  if (config.dynamodb) {
    dynamodb = new DynamoDBEmulator({ clock: { now: () => scheduler.now } });
    for (const table of config.dynamodb.tables) {
      try {
        dynamodb.execute('CreateTable', table);
      } catch (error) {
        throw new ServicesSetupError(`dynamodb.tables: CreateTable ${String(table.TableName)}: ${(error as Error).message}`);
      }
    }
    services.dynamodb = { emulator: dynamodb, latency: () => sleep(jitter(scheduler, dynamodbFacts.requestLatency.value)) };
  }

  let sqs: QueueConsumer | null = null;
  let queue: SqsEmulator | null = null;
  if (config.sqs) {
    queue = new SqsEmulator(timers);
    services.sqs = { emulator: queue, latency: () => sleep(jitter(scheduler, sqsFacts.requestLatency.value)) };
  }

  const modules = await sdkModules(packages, services, (bundle) => sdkInstance(bundle, ctx.sdkSource));
  const probes: Array<SandboxServices['probes'][number]> = [];
  if (config.sqs && queue) {
    const started = startQueue(ctx, config.sqs, queue, startConsumer, timers, modules, consumerSource!);
    sqs = started.consumer;
    const depth = () => queue!.depth(started.queueUrl);
    probes.push({ name: 'sqs.MessagesInQueue', kind: 'level', read: () => depth().visible + depth().inFlight });
  }
  if (dynamodb && config.dynamodb) {
    const names = config.dynamodb.tables.map((table) => String(table.TableName));
    const sum = (field: 'consumedWriteUnits' | 'throttledRequests') => () => names.reduce((total, name) => total + dynamodb!.consumed(name)[field], 0);
    probes.push({ name: 'dynamodb.ConsumedWriteUnits', kind: 'total', read: sum('consumedWriteUnits') }, { name: 'dynamodb.ThrottledRequests', kind: 'total', read: sum('throttledRequests') });
  }

  return {
    packages: modules,
    probes,
    report(durationMs) {
      const out: Pick<RunReport, 'dataApi' | 'dynamodb' | 'sqs'> = {};
      if (dataApi) {
        const s = dataApi.stats;
        out.dataApi = {
          requests: s.requests,
          byOperation: { ...s.byOperation },
          errors: { ...s.errors },
          poolConnections: config.dataApi?.poolConnections ?? dataApiFacts.poolConnections.value,
          peakConnectionsInUse: s.peakConnectionsInUse,
          peakInFlight: s.peakInFlight,
          responsesTooLarge: s.responsesTooLarge,
          statementTimeouts: s.statementTimeouts,
          transactionsExpired: s.transactionsExpired,
        };
      }
      if (dynamodb && config.dynamodb) {
        const tables: NonNullable<RunReport['dynamodb']>['tables'] = {};
        let throttled = 0;
        for (const table of config.dynamodb.tables) {
          const name = String(table.TableName);
          const t = dynamodb.throughput(name);
          tables[name] = { consumedReadUnits: t.consumedReadUnits, consumedWriteUnits: t.consumedWriteUnits, throttledRequests: t.throttledRequests, ceilings: t.ceilings };
          throttled += t.throttledRequests;
        }
        out.dynamodb = { tables, throttledRequests: throttled };
      }
      if (sqs) out.sqs = sqs.report(durationMs);
      return out;
    },
  };
}

function startQueue(
  ctx: ServicesContext,
  settings: NonNullable<Sandbox['sqs']>,
  queue: SqsEmulator,
  start: typeof startConsumer,
  timers: Timers,
  packages: Record<string, unknown>,
  consumerSource: string,
): { consumer: QueueConsumer; queueUrl: string } {
  let handler: CompiledModule;
  try {
    handler = compileHandler(consumerSource, settings.consumer.handler);
  } catch (error) {
    throw new ServicesSetupError(`${settings.consumer.handler} does not compile: ${(error as Error).message}`);
  }
  const { consumer, eventSourceMapping } = settings;
  const queueUrl = queue.createQueue(settings.queueName, { visibilityTimeoutMs: settings.visibilityTimeoutMs });
  const started = start({
    world: ctx.world,
    timers,
    queue,
    queueUrl,
    handler,
    function: functionConfig({
      name: consumer.name,
      memoryMb: consumer.memoryMb,
      timeoutMs: consumer.timeoutMs,
      reservedConcurrency: consumer.reservedConcurrency,
      accountConcurrency: ctx.config.lambda.accountConcurrency,
      idleLifetimeMs: ctx.config.lambda.idleLifetimeMs,
      envVars: consumer.env,
    }),
    mapping: {
      batchSize: eventSourceMapping.batchSize,
      maximumBatchingWindowMs: eventSourceMapping.maximumBatchingWindowMs,
      maximumConcurrency: eventSourceMapping.maximumConcurrency,
      reportBatchItemFailures: eventSourceMapping.reportBatchItemFailures,
    },
    packages,
    event: ctx.event,
  });
  return { consumer: started, queueUrl };
}
