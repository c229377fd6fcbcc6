/**
 * A function on Lambda Managed Instances: the same handler and runtime as on the default compute
 * (function.ts), run the way Managed Instances run it (src/facts `managedInstances`).
 *
 * - An execution environment serves up to PerExecutionEnvironmentMaxConcurrency invocations at once,
 *   each an async call of the one handler in the one module scope: a module-level pool is shared by
 *   all of them. (Node.js runs a worker thread per vCPU, each with its own module scope; the model
 *   has one per environment, as an environment of one vCPU does.)
 * - Nothing is frozen: between invocations the environment keeps running, so its timers fire (a
 *   pool's idleTimeoutMillis closes idle connections).
 * - Invocations never wait for an INIT: environments are started at publish (three) and by the
 *   scaler, which looks at CPU utilisation and multi-concurrency saturation every scaling interval
 *   and may at most double the environments within the doubling window. An invocation that finds
 *   every environment at its concurrency limit, or at its vCPUs' capacity, is throttled: traffic
 *   that more than doubles faster than that sees throttles, as AWS documents.
 * - An invocation's timeout fails that invocation only; the environment and its other invocations
 *   go on (AWS does not stop the code). An uncaught exception ends the environment and everything in it.
 * - No scale-in within a run: AWS scales in gradually, over longer than a sandbox lasts.
 */
import type { Scheduler } from '../clock/scheduler.ts';
import type { Network } from '../net/network.ts';
import type { CompiledModule } from './modules.ts';
import { Environment } from './environment.ts';
import { handlerExport, loadHandler, type RuntimeParts } from './runtime.ts';
import { billedDuration, callHandler, describe, FunctionBase, functionStats, invocationContext, invokeErrorLine, requestId, runtimeParts, timeoutError, type FunctionConfig, type FunctionModules, type FunctionObserver, type InvocationError, type InvocationOutcome } from './function.ts';
import { lambda as facts, managedInstances } from '../../facts/lambda.ts';

/** What Managed Instances add to a function's configuration. */
export interface ManagedInstancesConfig {
  /** PerExecutionEnvironmentMaxConcurrency. */
  perEnvironmentMaxConcurrency: number;
  vcpusPerEnvironment: number;
  environmentsAtPublish: number;
  cpuMsPerInvocation: number;
  /** The CPU utilisation (0..1) the scaler aims at. */
  targetUtilization: number;
  scalingIntervalMs: number;
  /** Capacity may at most double within this window. */
  doublingWindowMs: number;
}

/** Managed Instances settings a sandbox gives; the rest comes from src/facts. */
export interface ManagedInstancesSettings {
  perEnvironmentMaxConcurrency: number | null;
  vcpusPerEnvironment: number;
  cpuMsPerInvocation?: number;
}

export function managedInstancesConfig(settings: ManagedInstancesSettings): ManagedInstancesConfig {
  const vcpus = settings.vcpusPerEnvironment;
  return {
    perEnvironmentMaxConcurrency: settings.perEnvironmentMaxConcurrency ?? managedInstances.nodejsDefaultConcurrencyPerVcpu.value * vcpus,
    vcpusPerEnvironment: vcpus,
    environmentsAtPublish: managedInstances.environmentsAtPublish.value,
    cpuMsPerInvocation: settings.cpuMsPerInvocation ?? managedInstances.cpuPerInvocation.value,
    targetUtilization: managedInstances.targetUtilization.value,
    scalingIntervalMs: managedInstances.scalingInterval.value,
    doublingWindowMs: managedInstances.trafficDoublingWindow.value,
  };
}

interface Invocation {
  requestId: string;
  event: unknown;
  receivedAt: number;
  startedAt: number;
  done: (outcome: InvocationOutcome) => void;
  timeout: ReturnType<Scheduler['after']> | null;
  finished: boolean;
  lines: string[] | null;
}

interface ManagedEnvironment {
  environment: Environment;
  handler: ((event: unknown, context: unknown) => unknown) | null;
  /** INIT finished and the handler found: it takes invocations. */
  ready: boolean;
  inFlight: Set<Invocation>;
  /** Start times of the invocations of the last second: their CPU is what the vCPUs have to give. */
  recentStarts: number[];
}

export class ManagedInstancesFunction extends FunctionBase {
  readonly managed: ManagedInstancesConfig;
  readonly #scheduler: Scheduler;
  readonly #network: Network;
  readonly #runtime: RuntimeParts;
  readonly #observer: FunctionObserver;
  readonly #alive: ManagedEnvironment[] = [];
  /** (time, environments) at each scaling decision, for the doubling window. */
  readonly #history: Array<{ at: number; environments: number }> = [];
  #nextEnvironment = 0;
  /** Since the last scaling decision: CPU ms started, and the fullest an environment was. */
  #cpuMsSinceDecision = 0;
  #peakSaturationSinceDecision = 0;
  /**
   * coldStarts stays 0 (no invocation waits for an INIT on Managed Instances); billedMs is the REPORT
   * lines' sum, for comparison only (Managed Instances bill the instances, not the duration).
   */
  readonly stats = {
    ...functionStats(),
    /** Environments the scaler added after the ones started at publish. */
    scaledOut: 0,
  };

  constructor(scheduler: Scheduler, network: Network, pg: FunctionModules, handler: CompiledModule, config: FunctionConfig, managed: ManagedInstancesConfig, observer: FunctionObserver) {
    super({ ...config, envVars: { ...config.envVars, [managedInstances.maxConcurrencyVariable.value]: String(managed.perEnvironmentMaxConcurrency) } });
    this.#scheduler = scheduler;
    this.#network = network;
    this.#runtime = runtimeParts(scheduler, network, pg, handler);
    this.managed = managed;
    this.#observer = observer;
    // Publishing the version starts its first environments; it is ACTIVE once they have run INIT.
    for (let i = 0; i < managed.environmentsAtPublish; i++) this.#start('at publish');
    this.#history.push({ at: scheduler.now, environments: this.#alive.length });
    scheduler.after(managed.scalingIntervalMs, () => this.#scale());
  }

  get environments(): number {
    return this.#alive.length;
  }

  invoke(event: unknown, done: (outcome: InvocationOutcome) => void): boolean {
    const scheduler = this.#scheduler;
    const invocation: Invocation = { requestId: requestId(scheduler), event, receivedAt: scheduler.now, startedAt: scheduler.now, done, timeout: null, finished: false, lines: null };
    const target = this.#route();
    if (!target || this.busy >= this.concurrencyLimit) {
      this.stats.throttles++;
      const { errorType, errorMessage } = facts.throttle.value;
      done({ requestId: invocation.requestId, ok: false, throttled: true, cold: false, receivedAt: scheduler.now, finishedAt: scheduler.now, durationMs: 0, initMs: null, environment: null, error: { code: errorType, type: errorType, message: errorMessage } });
      // The caller's own code ran in `done`.
      return false;
    }
    target.inFlight.add(invocation);
    target.recentStarts.push(scheduler.now);
    this.#cpuMsSinceDecision += this.managed.cpuMsPerInvocation;
    this.#peakSaturationSinceDecision = Math.max(this.#peakSaturationSinceDecision, target.inFlight.size / this.managed.perEnvironmentMaxConcurrency);
    this.busy++;
    if (this.busy > this.stats.peakConcurrency) this.stats.peakConcurrency = this.busy;
    this.#observer.concurrencyChanged(this.busy, this.#alive.length);
    if (this.#observer.wantsLogs()) invocation.lines = [`START RequestId: ${invocation.requestId} Version: $LATEST`];
    // Not frozen: the invocation runs in the event loop's next turn, alongside whatever else the environment is doing.
    return target.environment.thaw(() => this.#run(target, invocation));
  }

  /** The ready environment with the fewest invocations in flight that has room for one more, in concurrency and in CPU. */
  #route(): ManagedEnvironment | null {
    const now = this.#scheduler.now;
    const cpuPerSecond = this.managed.vcpusPerEnvironment * 1000;
    let best: ManagedEnvironment | null = null;
    for (const state of this.#alive) {
      if (!state.ready || state.inFlight.size >= this.managed.perEnvironmentMaxConcurrency) continue;
      while (state.recentStarts.length > 0 && state.recentStarts[0]! <= now - 1000) state.recentStarts.shift();
      // Lambda rejects new invokes to protect those in flight when the environment's vCPUs are spent.
      if ((state.recentStarts.length + 1) * this.managed.cpuMsPerInvocation > cpuPerSecond) continue;
      if (!best || state.inFlight.size < best.inFlight.size) best = state;
    }
    return best;
  }

  #start(reason: string): void {
    const scheduler = this.#scheduler;
    const id = `env-${String(++this.#nextEnvironment).padStart(4, '0')}`;
    const environment = new Environment(scheduler, {
      id,
      envVars: { AWS_LAMBDA_FUNCTION_NAME: this.config.name, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.config.memoryMb), AWS_REGION: 'us-east-1', ...this.config.envVars },
      onUncaught: (_env, error) => this.#crash(state, error),
      // Concurrent invocations share the environment's stdout: a line cannot be told apart by request, so the model keeps none.
      onConsole: () => {},
    });
    const state: ManagedEnvironment = { environment, handler: null, ready: false, inFlight: new Set(), recentStarts: [] };
    this.#alive.push(state);
    if (this.#alive.length > this.stats.peakEnvironments) this.stats.peakEnvironments = this.#alive.length;
    this.#observer.environmentEvent('scaled-out', id, `${id} started ${reason}`);
    this.#observer.concurrencyChanged(this.busy, this.#alive.length);
    const platformMs = this.config.coldStartMs * scheduler.rng.uniform(0.7, 1.3);
    scheduler.after(
      platformMs,
      () =>
        loadHandler(environment, this.#runtime, (loadError, exports) => {
          if (environment.dead) return;
          const found = handlerExport(exports, this.config.handlerExport);
          const error = loadError ?? found.error;
          if (error !== null) {
            // A version whose INIT fails never takes traffic; the environment goes.
            this.#observer.environmentEvent('crashed', id, `${id} INIT failed: ${describe(error).message}`);
            this.#end(state);
            return;
          }
          state.handler = found.handler;
          state.ready = true;
        }),
      environment,
      'io',
    );
  }

  /**
   * The scaler's decision: enough environments for the CPU to sit at its target utilisation and for
   * the fullest environment to sit at the same share of its concurrency, but never more than twice
   * the fewest environments within the doubling window.
   */
  #scale(): void {
    const scheduler = this.#scheduler;
    const managed = this.managed;
    const ready = this.#alive.filter((s) => s.ready).length;
    const current = this.#alive.length;
    const utilization = ready > 0 ? this.#cpuMsSinceDecision / (managed.scalingIntervalMs * managed.vcpusPerEnvironment * ready) : 0;
    const load = Math.max(utilization, this.#peakSaturationSinceDecision);
    const wanted = Math.max(managed.environmentsAtPublish, Math.ceil((ready * load) / managed.targetUtilization));
    while (this.#history.length > 0 && this.#history[0]!.at < scheduler.now - managed.doublingWindowMs) this.#history.shift();
    const floor = Math.min(current, ...this.#history.map((h) => h.environments));
    const target = Math.min(wanted, 2 * floor);
    for (let n = current; n < target; n++) {
      this.stats.scaledOut++;
      this.#start(`by the scaler (CPU ${Math.round(utilization * 100)} %, fullest environment ${Math.round(this.#peakSaturationSinceDecision * 100)} % of its concurrency)`);
    }
    this.#history.push({ at: scheduler.now, environments: this.#alive.length });
    this.#cpuMsSinceDecision = 0;
    this.#peakSaturationSinceDecision = 0;
    scheduler.after(managed.scalingIntervalMs, () => this.#scale());
  }

  #run(state: ManagedEnvironment, invocation: Invocation): void {
    const scheduler = this.#scheduler;
    if (state.environment.dead || invocation.finished) return;
    invocation.startedAt = scheduler.now;
    invocation.timeout = scheduler.after(this.config.timeoutMs, () => this.#timedOut(state, invocation));
    callHandler(state.handler!, invocation.event, invocationContext(this.config, state.environment.id, invocation, scheduler), (outcome) => this.#finish(state, invocation, outcome));
  }

  /** The invocation fails; its code keeps running, and so does everything else in the environment. */
  #timedOut(state: ManagedEnvironment, invocation: Invocation): void {
    this.stats.timeouts++;
    this.#finish(state, invocation, { ok: false, error: timeoutError(invocation.startedAt, this.#scheduler.now) });
  }

  /** An uncaught exception ends the runtime, and with it every invocation in flight in the environment. */
  #crash(state: ManagedEnvironment, error: unknown): void {
    if (state.environment.dead) return;
    this.stats.crashes++;
    this.#observer.environmentEvent('crashed', state.environment.id, `${state.environment.id} uncaught exception: ${describe(error).message}`);
    for (const invocation of [...state.inFlight]) this.#finish(state, invocation, { ok: false, error: describe(error) });
    this.#end(state);
  }

  #finish(state: ManagedEnvironment, invocation: Invocation, outcome: { ok: boolean; result?: unknown; error?: InvocationError }): void {
    if (invocation.finished) return;
    invocation.finished = true;
    const scheduler = this.#scheduler;
    scheduler.cancel(invocation.timeout);
    const durationMs = scheduler.now - invocation.startedAt;
    const billedMs = billedDuration(durationMs);
    this.stats.billedMs += billedMs;
    if (state.inFlight.delete(invocation)) this.busy--;
    const result: InvocationOutcome = {
      requestId: invocation.requestId,
      ok: outcome.ok,
      throttled: false,
      cold: false,
      receivedAt: invocation.receivedAt,
      finishedAt: scheduler.now,
      durationMs,
      initMs: null,
      environment: state.environment.id,
      ...(outcome.ok ? { result: outcome.result } : { error: outcome.error! }),
    };
    if (invocation.lines) {
      const lines = invocation.lines;
      if (!outcome.ok && outcome.error) lines.push(invokeErrorLine(scheduler.now, invocation.requestId, outcome.error));
      lines.push(`END RequestId: ${invocation.requestId}`);
      lines.push(`REPORT RequestId: ${invocation.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedMs} ms\tMemory Size: ${this.config.memoryMb} MB`);
      this.#observer.invocationLog(result, lines);
    }
    this.#observer.concurrencyChanged(this.busy, this.#alive.length);
    invocation.done(result);
  }

  /** The runtime's process ends; the kernel closes its sockets. */
  #end(state: ManagedEnvironment): void {
    const { environment } = state;
    if (environment.dead) return;
    this.busy -= state.inFlight.size;
    state.inFlight.clear();
    environment.kill();
    this.#network.processExit(environment);
    this.#alive.splice(this.#alive.indexOf(state), 1);
    this.#observer.concurrencyChanged(this.busy, this.#alive.length);
  }
}
