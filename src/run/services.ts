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
import { LambdaFunction } from '../engine/lambda/function.ts';
import { compileHandler, type CompiledModule } from '../engine/lambda/modules.ts';
import type { DataApiEmulator } from '../engine/dataapi/emulator.ts';
import { virtualCluster } from '../engine/dataapi/virtual.ts';
import type { DynamoDBEmulator } from '../engine/dynamodb/emulator.ts';
import type { SqsEmulator } from '../engine/sqs/emulator.ts';
import type { EventSourceMapping as Mapping } from '../engine/sqs/event-source-mapping.ts';
import { sdkPackagesUsed } from '../engine/aws/packages.ts';
import type { EmulatedServices } from '../engine/aws/sdk-modules.ts';
import { dynamodb as dynamodbFacts } from '../facts/dynamodb.ts';
import { lambda as lambdaFacts } from '../facts/lambda.ts';
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
}

const NO_SERVICES: SandboxServices = { packages: {}, report: () => ({}) };

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
  const [{ DataApiEmulator }, { DynamoDBEmulator }, { SqsEmulator, EventSourceMapping }, { sdkModules }] = await Promise.all([
    config.dataApi ? import('../engine/dataapi/emulator.ts') : ({} as never),
    config.dynamodb ? import('../engine/dynamodb/emulator.ts') : ({} as never),
    config.sqs ? import('../engine/sqs/index.ts') : ({} as never),
    import('../engine/aws/sdk-modules.ts'),
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

  let sqs: ReturnType<typeof startQueue> | null = null;
  let queue: SqsEmulator | null = null;
  if (config.sqs) {
    queue = new SqsEmulator(timers);
    services.sqs = { emulator: queue, latency: () => sleep(jitter(scheduler, sqsFacts.requestLatency.value)) };
  }

  const modules = await sdkModules(packages, services);
  if (config.sqs && queue) sqs = startQueue(ctx, config.sqs, queue, EventSourceMapping, timers, modules, consumerSource!);

  return {
    packages: modules,
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

function startQueue(ctx: ServicesContext, settings: NonNullable<Sandbox['sqs']>, queue: SqsEmulator, EventSourceMapping: typeof Mapping, timers: Timers, packages: Record<string, unknown>, consumerSource: string) {
  const { world, config } = ctx;
  const { scheduler, network } = world;
  const url = queue.createQueue(settings.queueName, { visibilityTimeoutMs: settings.visibilityTimeoutMs });
  let handler: CompiledModule;
  try {
    handler = compileHandler(consumerSource, settings.consumer.handler);
  } catch (error) {
    throw new ServicesSetupError(`${settings.consumer.handler} does not compile: ${(error as Error).message}`);
  }
  const concurrency: number[] = [0];
  const depth: number[] = [0];
  const second = () => Math.floor(scheduler.now / 1000);
  let currentBusy = 0;
  /** Each second's maximum; seconds without a change carry the value on. */
  const track = (column: number[], value: number, carry: number) => {
    const s = second();
    while (column.length <= s) column.push(carry);
    if (value > column[s]!) column[s] = value;
  };
  const counts = { invocations: 0, succeeded: 0, failed: 0, throttled: 0 };
  const errors = new Map<string, { code: string; message: string; count: number }>();
  const consumer = new LambdaFunction(
    scheduler,
    network,
    { driver: world.pgModules.driver, shared: world.pgModules.shared, packages },
    handler,
    {
      name: settings.consumer.name,
      memoryMb: settings.consumer.memoryMb,
      timeoutMs: settings.consumer.timeoutMs,
      reservedConcurrency: settings.consumer.reservedConcurrency,
      accountConcurrency: config.lambda.accountConcurrency,
      scalingEnvironments: lambdaFacts.scalingEnvironments.value,
      scalingWindowMs: lambdaFacts.scalingWindow.value,
      initLimitMs: lambdaFacts.initLimit.value,
      coldStartMs: lambdaFacts.coldStartPlatform.value,
      idleLifetimeMs: config.lambda.idleLifetimeMs,
      envVars: { QUEUE_URL: url, ...settings.consumer.env },
      handlerExport: 'handler',
    },
    {
      concurrencyChanged(busy) {
        track(concurrency, busy, currentBusy);
        currentBusy = busy;
      },
      environmentEvent(kind, _environment, text) {
        ctx.event(`consumer-${kind}`, `${settings.consumer.name}: ${text}`);
      },
      wantsLogs: () => false,
      invocationLog() {},
    },
  );
  const overhead = lambdaFacts.invokeOverhead.value;
  const mapping = new EventSourceMapping(
    timers,
    queue,
    {
      queueUrl: url,
      batchSize: settings.eventSourceMapping.batchSize,
      maximumBatchingWindowMs: settings.eventSourceMapping.maximumBatchingWindowMs,
      maximumConcurrency: settings.eventSourceMapping.maximumConcurrency,
      reportBatchItemFailures: settings.eventSourceMapping.reportBatchItemFailures,
    },
    (event, done) => {
      scheduler.after(overhead, () =>
        consumer.invoke(event, (outcome) => {
          if (outcome.throttled) counts.throttled++;
          else {
            counts.invocations++;
            if (outcome.ok) counts.succeeded++;
            else counts.failed++;
          }
          if (outcome.error) {
            const key = `${outcome.error.code}\0${outcome.error.message}`;
            const entry = errors.get(key) ?? { code: outcome.error.code, message: outcome.error.message, count: 0 };
            entry.count++;
            errors.set(key, entry);
          }
          scheduler.after(overhead, () => done({ ok: outcome.ok, throttled: outcome.throttled, result: outcome.result }));
        }),
      );
    },
  );
  // Sample the queue depth ten times a virtual second; the series keeps each second's maximum.
  const sample = () => {
    track(depth, queue.depth(url).visible, 0);
    scheduler.after(100, sample);
  };
  sample();
  return {
    report(durationMs: number): NonNullable<RunReport['sqs']> {
      const seconds = Math.max(1, Math.round(durationMs / 1000));
      const fit = (column: number[]) => Array.from({ length: seconds }, (_, i) => column[i] ?? (column === concurrency ? currentBusy : 0));
      const stats = queue.stats(url);
      const now = queue.depth(url);
      return {
        sent: stats.sent,
        deleted: stats.deleted,
        redelivered: stats.redelivered,
        peakDepth: stats.peakDepth,
        depthAtEnd: now.visible + now.inFlight,
        drainedAtMs: now.visible + now.inFlight === 0 ? mapping.stats.drainedAt : null,
        batches: mapping.stats.batches,
        messagesInvoked: mapping.stats.messagesInvoked,
        failedBatches: mapping.stats.failedBatches,
        throttledBatches: mapping.stats.throttledBatches,
        partialFailures: mapping.stats.partialFailures,
        peakConcurrentBatches: mapping.stats.peakConcurrentBatches,
        maximumConcurrency: settings.eventSourceMapping.maximumConcurrency,
        consumer: { ...counts, coldStarts: consumer.stats.coldStarts, peakConcurrency: consumer.stats.peakConcurrency, errors: [...errors.values()].sort((a, b) => b.count - a.count) },
        series: { ApproximateNumberOfMessagesVisible: fit(depth), ConsumerConcurrency: fit(concurrency) },
      };
    },
  };
}
