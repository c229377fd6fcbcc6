/**
 * Runs a sandbox on the engine and returns its RunReport. The CLI, the tests and the page's Worker
 * all come through here; nothing else drives the engine.
 */
import type { EngineHost } from '../engine/host/host.ts';
import { factServerCosts, openWorld } from '../engine/world/world.ts';
import { functionConfig, LambdaFunction, type FunctionObserver, type InvocationError } from '../engine/lambda/function.ts';
import { ManagedInstancesFunction, managedInstancesConfig } from '../engine/lambda/managed.ts';
import { compileHandler, type CompiledModule } from '../engine/lambda/modules.ts';
import { Environment } from '../engine/lambda/environment.ts';
import { startTraffic } from '../engine/traffic/traffic.ts';
import { Metrics, percentile, round3, type LogEvent } from '../engine/metrics/metrics.ts';
import { ChartSampler, chartIntervalMs, type ChartSample } from '../engine/metrics/sampler.ts';
import { deadClientAfterMs, findInstanceClass, nominalMaxConnections, reservedForOrdinaryRoles, reservedSlotError, serverCosts } from '../facts/postgres.ts';
import { lambda as lambdaFacts } from '../facts/lambda.ts';
import type { SandboxSource } from '../sandboxes/schema.ts';
import { applyParameters, resolveParameters } from '../sandboxes/parameters.ts';
import { RUN_REPORT_VERSION, type RunReport } from './report.ts';
import { attachProxy } from './proxy.ts';
import { attachServices, preloadServices, ServicesSetupError } from './services.ts';
import { dsqlEndpoint, dsqlHost, dsqlMaxConnections, dsqlReport, dsqlVcpus } from './dsql.ts';
import { VIRTUAL_EPOCH } from '../engine/lambda/environment.ts';
import { withoutErrorStacks } from '../engine/lambda/isolation.ts';

export interface RunRequest {
  sandbox: SandboxSource;
  /** Defaults to the first variant. */
  variant?: string;
  parameters?: Readonly<Record<string, number | string>>;
  /** Defaults to the sandbox's seed. */
  seed?: number;
  /** Handler source edited by the reader, replacing the variant's file. */
  handlerSource?: string;
  /** The handler's export when it is not `handler` (Lambda's `file.export`). */
  handlerExport?: string;
  /**
   * Errors created during the run keep V8's stack trace (for a caller that maps a failure to the
   * reader's source, as `connlab simulate --handler` does). Off by default: see withoutErrorStacks.
   * The switch is the process's: a run without stacks that overlaps this one turns them off for both.
   */
  errorStacks?: boolean;
}

export interface RunCallbacks {
  /** The live chart's points, finer than the report's seconds (engine/metrics/sampler.ts), each as soon as its bucket is over. */
  onSample?: (sample: ChartSample) => void;
  onEvent?: (event: LogEvent) => void;
  /** Each failed invocation's error as it happens (its stack too when the request asks for errorStacks). */
  onFailure?: (error: InvocationError) => void;
  /** Checked between events; an aborted run rejects with the signal's reason. */
  signal?: AbortSignal;
}

export class RunSetupError extends Error {
  override name = 'RunSetupError';
}

const EVENT_LOG_LIMIT = 2000;
const EVENTS_PER_KIND = 100;
const FIRST_LOGS = 5;
const LOG_LIMIT = 25;

export async function runSandbox(host: EngineHost, request: RunRequest, callbacks: RunCallbacks = {}): Promise<RunReport> {
  return request.errorStacks ? runOnEngine(host, request, callbacks) : withoutErrorStacks(() => runOnEngine(host, request, callbacks));
}

async function runOnEngine(host: EngineHost, request: RunRequest, callbacks: RunCallbacks): Promise<RunReport> {
  const wallStart = host.wallClock();
  const { definition, files } = request.sandbox;
  if (request.variant && !definition.variants.some((v) => v.id === request.variant)) {
    throw new RunSetupError(`unknown variant '${request.variant}'. Valid variants: ${definition.variants.map((v) => v.id).join(', ')}`);
  }
  const values = resolveParameters(definition, request.parameters ?? {}, request.variant);
  const config = applyParameters(definition, values);
  const variant = request.variant ? config.variants.find((v) => v.id === request.variant)! : config.variants[0]!;
  const source = request.handlerSource ?? files[variant.handler];
  if (source === undefined) throw new RunSetupError(`handler file ${variant.handler} is missing`);
  const instance = findInstanceClass(config.database.instanceClass);
  if (!instance) throw new RunSetupError(`unknown instance class ${config.database.instanceClass}`);
  const seed = request.seed ?? config.seed;

  let handlerModule: CompiledModule;
  try {
    handlerModule = compileHandler(source, variant.handler);
  } catch (error) {
    throw new RunSetupError(`${variant.handler} does not compile: ${(error as Error).message}`);
  }
  const sampler = callbacks.onSample ? new ChartSampler(() => world.scheduler.now, chartIntervalMs(config.durationMs), callbacks.onSample) : undefined;
  const metrics = new Metrics(() => world.scheduler.now, {
    eventLogLimit: EVENT_LOG_LIMIT,
    logs: { first: FIRST_LOGS, limit: LOG_LIMIT },
    ...(sampler ? { tap: (name, kind, value) => (kind === 'counter' ? sampler.count(name, value) : sampler.gauge(name, value)) } : {}),
    ...(callbacks.onEvent ? { onEvent: callbacks.onEvent } : {}),
  });
  const perKind = new Map<string, number>();
  const event = (source: LogEvent['source'], kind: string, text: string) => {
    const seen = perKind.get(kind) ?? 0;
    perKind.set(kind, seen + 1);
    if (seen < EVENTS_PER_KIND) metrics.event(source, kind, text);
    else metrics.eventsDropped++;
  };

  // The formula on nominal memory overstates what a real instance allows; a sandbox may be told the real figure.
  // A DSQL cluster has no instance: its connection quota is max_connections, and no slot is reserved.
  const dsql = dsqlEndpoint(config, variant.id, () => VIRTUAL_EPOCH + world.scheduler.now);
  const maxConnectionsNominal = !dsql && !config.database.maxConnections;
  const maxConnections = dsql ? dsqlMaxConnections : config.database.maxConnections || nominalMaxConnections(instance);
  const reservedConnections = dsql ? 0 : reservedForOrdinaryRoles();
  callbacks.signal?.throwIfAborted();
  // The services' modules load while the database starts (in the page, chunks fetched in parallel).
  preloadServices(config, files, source, (bundle) => host.sdkSource(bundle));
  const world = await openWorld(host, {
    seed,
    setupSql: (dsql && config.dsql?.setupSql) || config.database.setupSql,
    server: {
      maxConnections,
      reservedConnections,
      reservedSlotError: reservedSlotError(config.database.engineVersion),
      vcpus: dsql ? dsqlVcpus : instance.vcpus,
      users: { postgres: 'postgres', ...config.database.users },
      superusers: ['postgres'],
      idleSessionTimeoutMs: config.database.idleSessionTimeoutMs,
      keepalives: config.database.tcpKeepalives,
      sessionWaitLimitMs: config.database.sessionWaitLimitMs,
      unavailable: config.database.unavailable,
      costs: factServerCosts,
      gate: dsql,
    },
    observer: {
      connectionsChanged(active, zombies) {
        metrics.gauge('DatabaseConnections', active);
        metrics.gauge('ZombieConnections', zombies);
      },
      event(happened) {
        // A reader learns from the server dropping a connection, not from ordinary accepts and closes.
        if (happened.kind === 'accept') return;
        if (happened.kind === 'close' && happened.reason !== 'dead-client' && happened.reason !== 'idle-session-timeout') return;
        const code = 'code' in happened ? happened.code : undefined;
        event('database', code ? `${happened.kind}:${code}` : happened.kind, code ? `${code} ${happened.text}` : happened.text);
      },
    },
    address: { host: dsql ? dsqlHost(config) : config.database.host, port: config.database.port },
    oneWayMs: (scheduler) => serverCosts.networkOneWay.value * scheduler.rng.uniform(0.8, 1.2),
  });
  try {
    const { scheduler, network, server } = world;
    const proxy = attachProxy(scheduler, network, config, maxConnections, (kind, text) => event('proxy', kind, text));
    // The proxy's series reach the chart as `proxy.<CloudWatch name>`: its DatabaseConnections are not the instance's.
    if (proxy && sampler) {
      const core = proxy.proxy.proxy;
      core.metrics.tap = (name, kind, value) => (kind === 'counter' ? sampler.count(`proxy.${name}`, value) : sampler.gauge(`proxy.${name}`, value));
      sampler.gauge('proxy.MaxDatabaseConnectionsAllowed', core.maxDatabaseConnections);
    }
    // The chart's limit line is the run's own max_connections, whatever the page believes the class allows.
    sampler?.gauge('max_connections', maxConnections);
    // The Data API, DynamoDB tables and an SQS queue with its consumer, when the sandbox has them.
    const services = await attachServices({ world, config, instanceClass: instance.id, sdkSource: (bundle) => host.sdkSource(bundle), files, handlerSource: source, event: (kind, text) => event('lambda', kind, text) }).catch((error: unknown) => {
      throw error instanceof ServicesSetupError ? new RunSetupError(error.message) : error;
    });
    if (sampler) for (const probe of services.probes) sampler.probe(probe.name, probe.kind, probe.read);

    const settings = functionConfig({
      name: config.lambda.name,
      memoryMb: config.lambda.memoryMb,
      timeoutMs: config.lambda.timeoutMs,
      reservedConcurrency: config.lambda.reservedConcurrency,
      accountConcurrency: config.lambda.accountConcurrency,
      idleLifetimeMs: config.lambda.idleLifetimeMs,
      envVars: config.lambda.env,
      extension: variant.extension ?? config.lambda.extension,
      ...(request.handlerExport ? { handlerExport: request.handlerExport } : {}),
    });
    const observer: FunctionObserver = {
      concurrencyChanged(busy, alive) {
        metrics.gauge('ConcurrentExecutions', busy);
        metrics.gauge('EnvironmentsAlive', alive);
      },
      environmentEvent(kind, _environment, text) {
        if (kind === 'cold-start') metrics.count('ColdStarts');
        event('lambda', kind, text);
      },
      wantsLogs: () => metrics.wantsLogs(),
      invocationLog: (outcome, lines) => metrics.invocationLog(outcome, lines),
    };
    const modules = { ...world.pgModules, packages: services.packages };
    const compute = config.lambda.compute;
    const fn = compute
      ? new ManagedInstancesFunction(scheduler, network, modules, handlerModule, settings, managedInstancesConfig({ perEnvironmentMaxConcurrency: compute.perExecutionEnvironmentMaxConcurrency, vcpusPerEnvironment: compute.vcpus, cpuMsPerInvocation: compute.cpuMsPerInvocation }), observer)
      : new LambdaFunction(scheduler, network, modules, handlerModule, settings, observer);

    let inFlight = 0;
    const template = config.lambda.event;
    const makeEvent = () => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(template)) {
        const range = (value as { randomInt?: [number, number] } | null)?.randomInt;
        out[key] = Array.isArray(range) ? scheduler.rng.int(range[0], range[1]) : value;
      }
      return out;
    };
    // Callers reach the function, and get their answer, through the front end: never in zero time.
    const overhead = lambdaFacts.invokeOverhead.value;
    startTraffic(scheduler, config.traffic, {
      invoke(answered) {
        inFlight++;
        scheduler.afterReporting(overhead, () =>
          fn.invoke(makeEvent(), (outcome) => {
            inFlight--;
            metrics.invocation(outcome);
            if (outcome.error) callbacks.onFailure?.(outcome.error);
            scheduler.afterSync(overhead, () => answered(outcome.ok));
          }),
        );
      },
    });

    // A rejection nobody handles belongs to the environment whose event was running: Lambda's
    // Node.js runtime reports it as Runtime.UnhandledPromiseRejection and exits.
    const untrap = host.onUnhandledRejection?.((reason) => {
      const owner = scheduler.current;
      const error = Object.assign(new Error(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)), { name: 'Runtime.UnhandledPromiseRejection' });
      if (owner instanceof Environment) owner.uncaught(error);
      else event('lambda', 'unhandled-rejection', error.message);
    });
    // The run ends just before durationMs, so the series has exactly one point per second.
    try {
      await scheduler.run({
        until: config.durationMs - 0.001,
        ...(callbacks.signal ? { signal: callbacks.signal } : {}),
        onOwnerError: (owner, error) => {
          if (owner instanceof Environment) owner.uncaught(error);
          else throw error;
        },
      });
    } finally {
      untrap?.();
    }
    metrics.finish(config.durationMs);
    sampler?.finish(config.durationMs);

    const sorted = [...metrics.latencies].sort((a, b) => a - b);
    const errors = [...metrics.errors.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
    const report: RunReport = {
      version: RUN_REPORT_VERSION,
      sandbox: definition.id,
      variant: variant.id,
      handler: variant.handler,
      edited: request.handlerSource !== undefined,
      seed,
      parameters: values,
      virtualMs: config.durationMs,
      invocations: { ...metrics.invocations, inFlightAtEnd: inFlight },
      errors,
      database: {
        instanceClass: instance.id,
        vcpus: instance.vcpus,
        engineVersion: config.database.engineVersion,
        maxConnections,
        maxConnectionsNominal,
        reservedConnections,
        deadClientAfterMs: deadClientAfterMs(config.database.tcpKeepalives),
        peakConnections: server.stats.peakConnections,
        accepted: server.stats.accepted,
        rejectedTooManyClients: server.stats.rejectedTooManyClients,
        rejectedReservedSlots: server.stats.rejectedReserved,
        authFailures: server.stats.authFailures,
        idleSessionTimeouts: server.stats.idleSessionTimeouts,
        deadClientsReaped: server.stats.deadClientsReaped,
        sessionWaitFailures: server.stats.sessionWaitFailures,
        queries: server.stats.queries,
        ...(config.detailedReport ? { closesByReason: { ...server.stats.closesByReason } } : {}),
        ...(config.database.unavailable
          ? { unavailable: { ...config.database.unavailable, unansweredStartups: server.stats.unansweredStartups, resetConnections: server.stats.failoverResets } }
          : {}),
      },
      ...(proxy ? { proxy: proxy.report(config.durationMs) } : {}),
      ...(dsql ? { dsql: dsqlReport(dsql) } : {}),
      ...services.report(config.durationMs),
      latencyMs: { p50: round3(percentile(sorted, 50, true)), p95: round3(percentile(sorted, 95, true)), p99: round3(percentile(sorted, 99, true)), max: round3(sorted.at(-1) ?? 0) },
      coldStarts: fn.stats.coldStarts,
      environments: { peak: fn.stats.peakEnvironments, reclaimed: fn.stats.reclaimed, crashed: fn.stats.crashes },
      lambda: {
        concurrencyLimit: fn.concurrencyLimit,
        peakConcurrency: fn.stats.peakConcurrency,
        ...(config.detailedReport ? { timeouts: fn.stats.timeouts, sigterms: fn.stats.sigterms, billedDurationMs: fn.stats.billedMs } : {}),
      },
      series: { intervalMs: 1000, ...metrics.series },
      events: { entries: metrics.events, dropped: metrics.eventsDropped },
      logs: metrics.logs,
      wallMs: 0,
    };
    report.wallMs = Math.round(host.wallClock() - wallStart);
    return report;
  } finally {
    await world.close().catch(() => {});
  }
}
