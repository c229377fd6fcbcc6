/**
 * A sandbox's AWS services besides Lambda and the instance: the Data API, DynamoDB tables, an SQS
 * queue with its consumer function, and secrets in Secrets Manager with their rotation. Built from
 * the sandbox's `dataApi`, `dynamodb`, `sqs` and `secretsManager` sections, reached by handlers through the real AWS SDK clients (src/engine/aws), and summarised
 * into the RunReport's sections of the same names.
 *
 * The services run as one process on the virtual network ("aws-services"): never frozen, its own
 * `pg` for the Data API's pool, its own timers for latencies and timeouts.
 */
import type { Scheduler } from '../engine/clock/scheduler.ts';
import type { Timers } from '../engine/clock/timers.ts';
import { functionConfig } from '../engine/lambda/function.ts';
import { compileHandler, type CompiledModule } from '../engine/lambda/modules.ts';
import { VIRTUAL_EPOCH } from '../engine/lambda/environment.ts';
import type { DataApiEmulator } from '../engine/dataapi/emulator.ts';
import { virtualCluster } from '../engine/dataapi/virtual.ts';
import type { DynamoDBEmulator } from '../engine/dynamodb/emulator.ts';
import type { SqsEmulator } from '../engine/sqs/emulator.ts';
import type { SecretsManagerEmulator } from '../engine/secretsmanager/emulator.ts';
import type { QueueConsumer, startConsumer } from '../engine/sqs/consumer.ts';
import type { rotateSingleUser } from '../engine/secretsmanager/rotation.ts';
import { bundleOf, sdkPackagesUsed, type SdkBundle, type SdkPackage } from '../engine/host/sdk-packages.ts';
import type { EmulatedServices } from '../engine/aws/sdk-modules.ts';
import { dynamodb as dynamodbFacts } from '../facts/dynamodb.ts';
import { sqs as sqsFacts } from '../facts/sqs.ts';
import { dataApi as dataApiFacts } from '../facts/data-api.ts';
import { secretsManager as secretsManagerFacts } from '../facts/secrets-manager.ts';
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
  report(durationMs: number): Pick<RunReport, 'dataApi' | 'dynamodb' | 'sqs' | 'secretsManager'>;
  /** Readings for the live chart (engine/metrics/sampler.ts): a queue's depth, DynamoDB's consumed and throttled writes. */
  readonly probes: ReadonlyArray<{ name: string; kind: 'level' | 'total'; read: () => number }>;
}

const NO_SERVICES: SandboxServices = { packages: {}, report: () => ({}), probes: [] };

/** Uniform within ±30 % of a mean, as the engine's other latency draws. */
const jitter = (scheduler: Scheduler, mean: number) => mean * scheduler.rng.uniform(0.7, 1.3);

/** The services part of a sandbox: what decides which modules and SDK bundles a run loads. */
type ServicesConfig = Pick<Sandbox, 'dataApi' | 'dynamodb' | 'sqs' | 'secretsManager'>;

/**
 * The modules a run of this sandbox loads on demand (in the page each is its own chunk, fetched by
 * the sandboxes that use it), and the AWS SDK bundles its handlers import; undefined when it needs none.
 */
function loadServiceModules(config: ServicesConfig, packages: readonly SdkPackage[], sdkSource: (bundle: SdkBundle) => Promise<string>) {
  if (!config.dataApi && !config.dynamodb && !config.sqs && !config.secretsManager && packages.length === 0) return undefined;
  // The texts are asked for now but read by sdkInstance later: the host keeps each one's load.
  for (const bundle of new Set(packages.map(bundleOf))) sdkSource(bundle).catch(() => {});
  return Promise.all([
    config.dataApi ? import('../engine/dataapi/emulator.ts') : ({} as never),
    config.dynamodb ? import('../engine/dynamodb/emulator.ts') : ({} as never),
    config.sqs ? import('../engine/sqs/index.ts') : ({} as never),
    config.secretsManager ? Promise.all([import('../engine/secretsmanager/emulator.ts'), import('../engine/secretsmanager/rotation.ts')]) : null,
    import('../engine/aws/sdk-modules.ts'),
    import('../engine/aws/sdk-instance.ts'),
  ]);
}

/** The SDK packages the run's handlers import: the variant's and, with a queue, its consumer's. */
function packagesUsed(config: ServicesConfig, files: Readonly<Record<string, string>>, handlerSource: string): SdkPackage[] {
  const consumerSource = config.sqs ? files[config.sqs.consumer.handler] : undefined;
  if (config.sqs && consumerSource === undefined) throw new ServicesSetupError(`consumer handler file ${config.sqs.consumer.handler} is missing`);
  return sdkPackagesUsed(`${handlerSource}\n${consumerSource ?? ''}`);
}

/**
 * Starts loading what attachServices will import, before the run's database is up: in the page a
 * Run (or a prefetch) then fetches these chunks while PostgreSQL starts, not after it. Loading only:
 * nothing runs, so the run's results are the same; a failure here shows when attachServices loads.
 */
export function preloadServices(config: ServicesConfig, files: Readonly<Record<string, string>>, handlerSource: string, sdkSource: (bundle: SdkBundle) => Promise<string>): void {
  try {
    loadServiceModules(config, packagesUsed(config, files, handlerSource), sdkSource)?.catch(() => {});
  } catch {
    // attachServices reports the missing consumer file, as a setup error of the run.
  }
}

export async function attachServices(ctx: ServicesContext): Promise<SandboxServices> {
  const { world, config } = ctx;
  const { scheduler } = world;
  const packages = packagesUsed(config, ctx.files, ctx.handlerSource);
  const loading = loadServiceModules(config, packages, ctx.sdkSource);
  if (!loading) return NO_SERVICES;
  const [{ DataApiEmulator }, { DynamoDBEmulator }, { SqsEmulator, startConsumer }, secretsModules, { sdkModules }, { sdkInstance }] = await loading;

  const process = world.spawn('aws-services', (error) => ctx.event('services-error', `aws-services: ${(error as Error)?.message ?? String(error)}`));
  const { timers, sleep } = process;
  const services: EmulatedServices = { scheduler };

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

  let secrets: SecretsManagerEmulator | null = null;
  let rotation: { record: Rotation | null } | null = null;
  if (config.secretsManager && secretsModules) {
    const [{ SecretsManagerEmulator }, { rotateSingleUser }] = secretsModules;
    // Dates as the handlers' own clock reads them (2026-01-01 at the start of the run).
    secrets = new SecretsManagerEmulator({ now: () => VIRTUAL_EPOCH + scheduler.now });
    for (const [name, user] of Object.entries(config.secretsManager.secrets)) {
      const password = config.database.users[user];
      if (password === undefined) throw new ServicesSetupError(`secretsManager.secrets: ${name} names role ${user}, which database.users does not define`);
      // The JSON structure of an RDS for PostgreSQL secret, as the rotation templates expect it.
      secrets.createSecret(name, JSON.stringify({ engine: 'postgres', host: config.database.host, port: config.database.port, username: user, password, dbname: 'postgres' }), { rotationEnabled: config.secretsManager.rotation?.secret === name });
    }
    services.secretsManager = { emulator: secrets, latency: () => sleep(jitter(scheduler, secretsManagerFacts.requestLatency.value)) };
    const settings = config.secretsManager.rotation;
    if (settings) {
      if (!Object.hasOwn(config.secretsManager.secrets, settings.secret)) throw new ServicesSetupError(`secretsManager.rotation: secret ${settings.secret} is not in secretsManager.secrets`);
      rotation = scheduleRotation(ctx, secrets, settings, rotateSingleUser);
    }
  }

  const modules = await sdkModules(packages, services, (bundle) => sdkInstance(bundle, ctx.sdkSource));
  const probes: Array<SandboxServices['probes'][number]> = [];
  if (config.sqs && queue) {
    const started = startQueue(ctx, config.sqs, queue, startConsumer, timers, modules, ctx.files[config.sqs.consumer.handler]!);
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
      const out: Pick<RunReport, 'dataApi' | 'dynamodb' | 'sqs' | 'secretsManager'> = {};
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
      if (secrets) out.secretsManager = { ...structuredClone(secrets.stats), rotation: rotation?.record ? { ...rotation.record } : null };
      return out;
    },
  };
}

type Rotation = NonNullable<NonNullable<RunReport['secretsManager']>['rotation']>;

/**
 * The rotation function runs as a process of its own on the virtual network (never frozen, its own
 * `pg`), started by Secrets Manager at the configured time; its steps are logged as `rotation` events.
 */
function scheduleRotation(ctx: ServicesContext, emulator: SecretsManagerEmulator, settings: NonNullable<NonNullable<Sandbox['secretsManager']>['rotation']>, rotate: typeof rotateSingleUser): { record: Rotation | null } {
  const { world } = ctx;
  const rotation: { record: Rotation | null } = { record: null };
  const process = world.spawn('secrets-rotation', (error) => ctx.event('rotation-error', `rotation function: ${(error as Error)?.message ?? String(error)}`));
  process.timers.setTimeout(() => {
    const record: Rotation = (rotation.record = { startedAtMs: world.scheduler.now, passwordChangedAtMs: null, finishedAtMs: null, failure: null });
    // A password drawn from the run's seed, so that runs repeat; the alphabet avoids quotes, as the templates' ExcludeCharacters do.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const newPassword = Array.from({ length: 32 }, () => alphabet[world.scheduler.rng.int(0, alphabet.length - 1)]).join('');
    rotate({
      emulator,
      secretId: settings.secret,
      pg: process.pg as Parameters<typeof rotate>[0]['pg'],
      sleep: process.sleep,
      stepGapMs: secretsManagerFacts.rotationStepGapMs.value,
      newPassword,
      log(step, text) {
        if (step === 'setSecret') record.passwordChangedAtMs = world.scheduler.now;
        if (step === 'finishSecret') record.finishedAtMs = world.scheduler.now;
        ctx.event('rotation', `${settings.secret} ${step}: ${text}`);
      },
    }).catch((error: unknown) => {
      record.failure = (error as Error)?.message ?? String(error);
      ctx.event('rotation-error', `${settings.secret}: rotation failed: ${record.failure}`);
    });
  }, settings.atMs);
  return rotation;
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
