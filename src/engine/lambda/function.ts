/**
 * A Lambda function: concurrency limits, scaling, execution environments and their lifecycle.
 *
 * - Concurrency is the number of environments busy with INIT or an invocation; past the reserved
 *   concurrency (or the account's) an invocation is throttled, as it is when the function has
 *   already started its quota of new environments in the scaling window.
 * - A new environment runs INIT (the platform's start plus the module's top-level code, limited to
 *   10 s) and then the invocation. Between invocations it is FROZEN: its timers and I/O wait.
 * - An idle environment is reclaimed after its lifetime. Without an extension there is no shutdown
 *   hook: its sockets just vanish, and the database notices only through its own timeouts. With one
 *   registered, the runtime first gets SIGTERM and a short grace (src/facts `shutdown`) before SIGKILL.
 * - A handler that throws fails its invocation; an uncaught exception, or a timeout, ends the
 *   environment's process (the kernel closes its sockets).
 */
import type { Scheduler, ScheduledEvent } from '../clock/scheduler.ts';
import type { Network } from '../net/network.ts';
import { Environment, VIRTUAL_EPOCH, type LogLevel } from './environment.ts';
import { instantiateShared, type CompiledModule, type CompiledSigners } from './modules.ts';
import { freezeSurfaces } from './isolation.ts';
import { handlerExport, loadHandler, signerParts, type RuntimeParts } from './runtime.ts';
import { sharedDriver } from './driver.ts';
import { lambda as facts, shutdown as shutdownFacts } from '../../facts/lambda.ts';

export interface FunctionConfig {
  name: string;
  memoryMb: number;
  timeoutMs: number;
  /** null: the function shares the account's unreserved concurrency. */
  reservedConcurrency: number | null;
  accountConcurrency: number;
  scalingEnvironments: number;
  scalingWindowMs: number;
  initLimitMs: number;
  coldStartMs: number;
  idleLifetimeMs: number;
  envVars: Readonly<Record<string, string>>;
  /** The handler's export, e.g. `handler` of `index.handler`. */
  handlerExport: string;
  /** Which extension the function registers: with one, the runtime gets SIGTERM before its environment is reclaimed. */
  extension: Extension;
  /** SIGTERM to SIGKILL for the runtime, by `extension`; 0 when no SIGTERM comes. */
  shutdownGraceMs: number;
}

/** none: no Shutdown phase for the runtime; internal: the runtime registered one itself; external: a layer's process. */
export type Extension = 'none' | 'internal' | 'external';

/** What a sandbox sets of a function; the rest is the platform's (src/facts). */
export type FunctionSettings = Pick<FunctionConfig, 'name' | 'memoryMb' | 'timeoutMs' | 'reservedConcurrency' | 'accountConcurrency' | 'idleLifetimeMs' | 'envVars'> & { extension?: Extension; handlerExport?: string };

const SHUTDOWN_GRACE: Readonly<Record<Extension, number>> = {
  none: 0,
  internal: shutdownFacts.runtimeGraceInternalExtension.value,
  external: shutdownFacts.runtimeGraceExternalExtension.value,
};

/** A function's configuration: its settings, Lambda's scaling rate, INIT limit and cold start, and the `handler` export. */
export function functionConfig({ extension = 'none', handlerExport = 'handler', ...settings }: FunctionSettings): FunctionConfig {
  return {
    ...settings,
    extension,
    shutdownGraceMs: SHUTDOWN_GRACE[extension],
    scalingEnvironments: facts.scalingEnvironments.value,
    scalingWindowMs: facts.scalingWindow.value,
    initLimitMs: facts.initLimit.value,
    coldStartMs: facts.coldStartPlatform.value,
    handlerExport,
  };
}

export interface InvocationError {
  /** The SQLSTATE or errno code when the error has one, else the error type. */
  code: string;
  type: string;
  message: string;
  /** The thrown error's stack as V8 printed it (handler frames name /var/task/<file>), for a caller that maps it to the source. */
  stack?: string;
}

export interface InvocationOutcome {
  requestId: string;
  ok: boolean;
  throttled: boolean;
  cold: boolean;
  receivedAt: number;
  finishedAt: number;
  /** Handler time, as the REPORT line's Duration. */
  durationMs: number;
  initMs: number | null;
  environment: string | null;
  result?: unknown;
  error?: InvocationError;
}

/** What the function tells metrics and the logs. */
export interface FunctionObserver {
  concurrencyChanged(busy: number, alive: number): void;
  environmentEvent(kind: 'cold-start' | 'scaled-out' | 'reclaimed' | 'crashed' | 'init-timeout' | 'sigterm', environment: string, text: string): void;
  /** Whether the next invocation's CloudWatch-style lines are wanted; asked first so unwanted lines are never built. */
  wantsLogs(): boolean;
  /** An invocation's outcome with its lines (START … REPORT), when they were wanted; before its caller hears of it. */
  invocationLog(outcome: InvocationOutcome, lines: readonly string[]): void;
}

interface Invocation {
  requestId: string;
  event: unknown;
  receivedAt: number;
  startedAt: number;
  cold: boolean;
  initMs: number | null;
  done: (outcome: InvocationOutcome) => void;
  timeout: ScheduledEvent | null;
  finished: boolean;
  lines: string[] | null;
}

interface EnvironmentState {
  environment: Environment;
  handler: ((event: unknown, context: unknown) => unknown) | null;
  initError: unknown;
  initDone: boolean;
  initStarted: number;
  initMs: number | null;
  waiting: Invocation | null;
  busy: Invocation | null;
  reclaim: ScheduledEvent | null;
  /** Sent SIGTERM: in its Shutdown phase. */
  shuttingDown: boolean;
}

/** What a function counts over a run, on either compute; the run's summary reads it. */
export interface FunctionStats {
  coldStarts: number;
  throttles: number;
  crashes: number;
  reclaimed: number;
  peakEnvironments: number;
  peakConcurrency: number;
  /** Invocations ended by the function timeout. */
  timeouts: number;
  /** Billed Duration summed over every invocation that ran, as the REPORT lines give it. */
  billedMs: number;
  /** Reclaimed environments whose runtime was sent SIGTERM (with an extension registered). */
  sigterms: number;
}

export const functionStats = (): FunctionStats => ({ coldStarts: 0, throttles: 0, crashes: 0, reclaimed: 0, peakEnvironments: 0, peakConcurrency: 0, timeouts: 0, billedMs: 0, sigterms: 0 });

/** What a function is to its callers and to metrics on either compute: its configuration, its concurrency and its limit. */
export abstract class FunctionBase {
  readonly config: FunctionConfig;
  /** Invocations running now (on the default compute, INITs too). */
  protected busy = 0;

  constructor(config: FunctionConfig) {
    this.config = config;
  }

  get concurrency(): number {
    return this.busy;
  }

  abstract get environments(): number;

  /**
   * Takes an invocation; `done` gets its outcome. True when taking it started no microtask (it was
   * scheduled, in a warm or new environment), so the clock need not settle (Scheduler.atReporting).
   */
  abstract invoke(event: unknown, done: (outcome: InvocationOutcome) => void): boolean;

  get concurrencyLimit(): number {
    return this.config.reservedConcurrency ?? this.config.accountConcurrency;
  }
}

export class LambdaFunction extends FunctionBase {
  readonly #scheduler: Scheduler;
  readonly #network: Network;
  readonly #observer: FunctionObserver;
  readonly #alive = new Map<Environment, EnvironmentState>();
  readonly #idle: EnvironmentState[] = [];
  readonly #createdAt: number[] = [];
  #nextEnvironment = 0;
  readonly stats = functionStats();

  /** What INIT instantiates in each environment: the handler, `pg`, the signers and this run's SDK packages. */
  readonly #runtime: RuntimeParts;

  constructor(scheduler: Scheduler, network: Network, pg: FunctionModules, handler: CompiledModule, config: FunctionConfig, observer: FunctionObserver) {
    super(config);
    this.#runtime = runtimeParts(scheduler, network, pg, handler);
    this.#scheduler = scheduler;
    this.#network = network;
    this.#observer = observer;
  }

  get environments(): number {
    return this.#alive.size;
  }

  invoke(event: unknown, done: (outcome: InvocationOutcome) => void): boolean {
    const scheduler = this.#scheduler;
    const invocation: Invocation = {
      requestId: requestId(scheduler),
      event,
      receivedAt: scheduler.now,
      startedAt: scheduler.now,
      cold: false,
      initMs: null,
      done,
      timeout: null,
      finished: false,
      lines: null,
    };
    const warm = this.#idle.pop();
    if (warm) {
      this.#scheduler.cancel(warm.reclaim);
      warm.reclaim = null;
      this.#setBusy(warm, invocation);
      // The runtime has the event from here: work parked at thaw runs before the handler but within this invocation.
      if (this.#observer.wantsLogs()) invocation.lines = [`START RequestId: ${invocation.requestId} Version: $LATEST`];
      return warm.environment.thaw(() => this.#run(warm, invocation));
    }
    if (this.busy >= this.concurrencyLimit || !this.#mayScale()) {
      this.stats.throttles++;
      done({ requestId: invocation.requestId, ok: false, throttled: true, cold: false, receivedAt: scheduler.now, finishedAt: scheduler.now, durationMs: 0, initMs: null, environment: null, error: { code: 'TooManyRequestsException', type: 'TooManyRequestsException', message: 'Rate Exceeded.' } });
      // The caller's own code ran in `done`.
      return false;
    }
    const state = this.#coldStart();
    invocation.cold = true;
    // INIT's console lines come first in the log stream, with no request id yet.
    if (this.#observer.wantsLogs()) invocation.lines = [];
    this.#setBusy(state, invocation);
    state.waiting = invocation;
    // The function timeout covers the invocation; INIT has its own limit first.
    invocation.timeout = scheduler.after(this.config.initLimitMs + this.config.timeoutMs, () => this.#timedOut(state, invocation));
    return true;
  }

  #mayScale(): boolean {
    const since = this.#scheduler.now - this.config.scalingWindowMs;
    while (this.#createdAt.length > 0 && this.#createdAt[0]! <= since) this.#createdAt.shift();
    return this.#createdAt.length < this.config.scalingEnvironments;
  }

  #coldStart(): EnvironmentState {
    const scheduler = this.#scheduler;
    const id = `env-${String(++this.#nextEnvironment).padStart(4, '0')}`;
    const environment = new Environment(scheduler, {
      id,
      envVars: { AWS_LAMBDA_FUNCTION_NAME: this.config.name, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.config.memoryMb), AWS_REGION: 'us-east-1', ...this.config.envVars },
      onUncaught: (env, error) => this.#crash(env, error),
      onConsole: (env, level, text) => this.#console(env, level, text),
    });
    const state: EnvironmentState = { environment, handler: null, initError: null, initDone: false, initStarted: scheduler.now, initMs: null, waiting: null, busy: null, reclaim: null, shuttingDown: false };
    this.#alive.set(environment, state);
    this.#createdAt.push(scheduler.now);
    this.stats.coldStarts++;
    if (this.#alive.size > this.stats.peakEnvironments) this.stats.peakEnvironments = this.#alive.size;
    this.#observer.environmentEvent('cold-start', id, `${id} cold start`);
    const platformMs = this.config.coldStartMs * scheduler.rng.uniform(0.7, 1.3);
    scheduler.after(platformMs, () => this.#init(state), environment, 'io');
    scheduler.after(this.config.initLimitMs, () => {
      if (!state.initDone && !environment.dead) {
        this.#observer.environmentEvent('init-timeout', id, `INIT_REPORT Init Duration: ${this.config.initLimitMs.toFixed(2)} ms\tPhase: init\tStatus: timeout`);
      }
    });
    return state;
  }

  #init(state: EnvironmentState): void {
    const { environment } = state;
    loadHandler(environment, this.#runtime, (loadError, exports) => {
      if (environment.dead) return;
      state.initDone = true;
      state.initMs = this.#scheduler.now - state.initStarted;
      const found = handlerExport(exports, this.config.handlerExport);
      const error = loadError ?? found.error;
      if (error !== null) {
        state.initError = error;
        const waiting = state.waiting;
        state.waiting = null;
        if (waiting) {
          waiting.initMs = state.initMs;
          this.#finish(state, waiting, { ok: false, error: describe(error) }, 'exit');
        }
        return;
      }
      state.handler = found.handler;
      const waiting = state.waiting;
      state.waiting = null;
      if (waiting) {
        waiting.initMs = state.initMs;
        this.#run(state, waiting);
      }
    });
  }

  #setBusy(state: EnvironmentState, invocation: Invocation): void {
    state.busy = invocation;
    this.busy++;
    if (this.busy > this.stats.peakConcurrency) this.stats.peakConcurrency = this.busy;
    this.#observer.concurrencyChanged(this.busy, this.#alive.size);
  }

  #run(state: EnvironmentState, invocation: Invocation): void {
    const scheduler = this.#scheduler;
    if (state.environment.dead || invocation.finished) return;
    invocation.startedAt = scheduler.now;
    if (invocation.cold && invocation.lines) invocation.lines.push(`START RequestId: ${invocation.requestId} Version: $LATEST`);
    else if (!invocation.lines && this.#observer.wantsLogs()) invocation.lines = [`START RequestId: ${invocation.requestId} Version: $LATEST`];
    scheduler.cancel(invocation.timeout);
    invocation.timeout = scheduler.after(this.config.timeoutMs, () => this.#timedOut(state, invocation));
    const context = invocationContext(this.config, state.environment.id, invocation, scheduler);
    callHandler(state.handler!, invocation.event, context, (outcome) => this.#finish(state, invocation, outcome));
  }

  #timedOut(state: EnvironmentState, invocation: Invocation): void {
    const error = timeoutError(invocation.startedAt, this.#scheduler.now);
    this.stats.timeouts++;
    this.#finish(state, invocation, { ok: false, error }, 'timeout');
  }

  /** An uncaught exception ends the process; the invocation in flight fails with the error. */
  #crash(environment: Environment, error: unknown): void {
    const state = this.#alive.get(environment);
    if (!state) return;
    // A SIGTERM listener ending with process.exit() (or failing) only ends a process that was going anyway.
    if (state.shuttingDown) {
      this.#end(state, 'exit');
      return;
    }
    this.stats.crashes++;
    this.#observer.environmentEvent('crashed', environment.id, `${environment.id} uncaught exception: ${describe(error).message}`);
    const invocation = state.busy ?? state.waiting;
    if (invocation) {
      invocation.lines?.push(logLine(this.#scheduler.now, invocation.requestId, 'ERROR', `Uncaught Exception \t${JSON.stringify(errorJson(error))}`));
      this.#finish(state, invocation, { ok: false, error: describe(error) }, 'exit');
    } else this.#end(state, 'exit');
  }

  /** exit: the process ended (a crash, a failed INIT); timeout: Lambda ended it at the function timeout. Either way the environment goes. */
  #finish(state: EnvironmentState, invocation: Invocation, outcome: { ok: boolean; result?: unknown; error?: InvocationError }, end?: 'exit' | 'timeout'): void {
    if (invocation.finished) return;
    invocation.finished = true;
    const scheduler = this.#scheduler;
    scheduler.cancel(invocation.timeout);
    const durationMs = scheduler.now - invocation.startedAt;
    const billedMs = billedDuration(durationMs);
    this.stats.billedMs += billedMs;
    if (state.busy === invocation) {
      state.busy = null;
      this.busy--;
    }
    const result: InvocationOutcome = {
      requestId: invocation.requestId,
      ok: outcome.ok,
      throttled: false,
      cold: invocation.cold,
      receivedAt: invocation.receivedAt,
      finishedAt: scheduler.now,
      durationMs,
      initMs: invocation.initMs,
      environment: state.environment.id,
      ...(outcome.ok ? { result: outcome.result } : { error: outcome.error! }),
    };
    if (invocation.lines) {
      const lines = invocation.lines;
      // The platform's own line for a timeout, with no level; CloudWatch shows it before END.
      if (end === 'timeout') lines.push(`${new Date(VIRTUAL_EPOCH + scheduler.now).toISOString()} ${invocation.requestId} ${outcome.error!.message}`);
      else if (!outcome.ok && outcome.error && end !== 'exit') lines.push(invokeErrorLine(scheduler.now, invocation.requestId, outcome.error));
      lines.push(`END RequestId: ${invocation.requestId}`);
      const init = invocation.initMs !== null ? `\tInit Duration: ${invocation.initMs.toFixed(2)} ms` : '';
      lines.push(`REPORT RequestId: ${invocation.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedMs} ms\tMemory Size: ${this.config.memoryMb} MB${init}${end === 'timeout' ? '\tStatus: timeout' : ''}`);
      if (end === 'exit' && outcome.error) lines.push(`RequestId: ${invocation.requestId} Error: Runtime exited with error: exit status 1\nRuntime.ExitError`);
      this.#observer.invocationLog(result, lines);
    }
    if (end) this.#end(state, 'exit');
    else {
      // Freeze once the microtasks of this turn have run, as the runtime does after posting the response
      // (#park only freezes and schedules: a bookkeeping event).
      scheduler.atSync(scheduler.now, () => this.#park(state));
    }
    this.#observer.concurrencyChanged(this.busy, this.#alive.size);
    invocation.done(result);
  }

  #park(state: EnvironmentState): void {
    const { environment } = state;
    if (environment.dead || state.busy) return;
    environment.freeze();
    this.#idle.push(state);
    const lifetime = this.config.idleLifetimeMs * this.#scheduler.rng.uniform(0.8, 1.2);
    state.reclaim = this.#scheduler.after(lifetime, () => {
      state.reclaim = null;
      this.stats.reclaimed++;
      if (this.config.extension !== 'none') {
        this.#shutdown(state, lifetime);
        return;
      }
      this.#observer.environmentEvent('reclaimed', environment.id, `${environment.id} reclaimed after ${(lifetime / 1000).toFixed(1)} s idle (no shutdown hook; ${this.#network.openSockets(environment)} sockets left open)`);
      this.#end(state, 'vanish');
    });
  }

  /**
   * The Shutdown phase with an extension registered: the runtime is thawed and sent SIGTERM, then
   * SIGKILL after its grace, and the microVM goes. Node's default action for SIGTERM exits the
   * process at once (the kernel closes its sockets); a `process.on('SIGTERM')` listener replaces
   * it (https://nodejs.org/api/process.html#signal-events) and has the grace to close them itself.
   * The environment leaves the idle list first, so no invocation lands on a dying one.
   */
  #shutdown(state: EnvironmentState, lifetime: number): void {
    const { environment } = state;
    const index = this.#idle.indexOf(state);
    if (index >= 0) this.#idle.splice(index, 1);
    this.stats.sigterms++;
    state.shuttingDown = true;
    const grace = this.config.shutdownGraceMs;
    this.#observer.environmentEvent('sigterm', environment.id, `${environment.id} reclaimed after ${(lifetime / 1000).toFixed(1)} s idle: SIGTERM to the runtime (${this.config.extension} extension), SIGKILL ${grace} ms later`);
    environment.thaw(() => {
      if (!environment.signal('SIGTERM')) this.#end(state, 'exit');
    });
    this.#scheduler.after(grace, () => {
      if (environment.dead) return;
      this.#observer.environmentEvent('reclaimed', environment.id, `${environment.id} SIGKILL after the shutdown grace (${this.#network.openSockets(environment)} sockets left open)`);
      this.#end(state, 'vanish');
    });
  }

  /** exit: the process ends and the kernel closes its sockets; vanish: the whole microVM is gone. */
  #end(state: EnvironmentState, how: 'exit' | 'vanish'): void {
    const { environment } = state;
    if (environment.dead) return;
    if (state.busy) {
      state.busy = null;
      this.busy--;
    }
    environment.kill();
    this.#scheduler.cancel(state.reclaim);
    if (how === 'exit') this.#network.processExit(environment);
    else this.#network.vanish(environment);
    this.#alive.delete(environment);
    const index = this.#idle.indexOf(state);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#observer.concurrencyChanged(this.busy, this.#alive.size);
  }

  #console(environment: Environment, level: LogLevel, text: string): void {
    const state = this.#alive.get(environment);
    const invocation = state?.busy;
    if (invocation?.lines) invocation.lines.push(logLine(this.#scheduler.now, state!.initDone ? invocation.requestId : 'undefined', level, text));
  }
}

/** The compiled modules a function's environments instantiate; `pg.packages` are this run's own SDK instance (engine/aws/sdk-instance.ts), shared by its environments. */
export type FunctionModules = { driver: CompiledModule; shared: CompiledModule; signers?: CompiledSigners; packages?: Readonly<Record<string, unknown>> };

export function runtimeParts(scheduler: Scheduler, network: Network, pg: FunctionModules, handler: CompiledModule): RuntimeParts {
  const packages = freezeSurfaces(pg.packages ?? {});
  const shared = instantiateShared(pg.shared);
  return { driver: sharedDriver(pg.driver, shared, scheduler, network), signers: signerParts(pg.signers), shared, packages, handler };
}

/** Calls the handler and settles the invocation with what it returns, throws, or rejects with. */
export function callHandler(handler: (event: unknown, context: unknown) => unknown, event: unknown, context: unknown, settle: (outcome: { ok: boolean; result?: unknown; error?: InvocationError }) => void): void {
  let result: unknown;
  try {
    result = handler(event, context);
  } catch (error) {
    settle({ ok: false, error: describe(error) });
    return;
  }
  Promise.resolve(result).then(
    (value) => settle({ ok: true, result: value }),
    (error: unknown) => settle({ ok: false, error: describe(error) }),
  );
}

/** The error of an invocation that outlived the function timeout, "Task timed out after N.NN seconds". */
export function timeoutError(startedAt: number, now: number): InvocationError {
  const { errorType, errorMessage } = facts.timeoutMessage.value;
  return { code: errorType, type: errorType, message: errorMessage.replace('%s', ((now - startedAt) / 1000).toFixed(2)) };
}

/** The runtime's log line for an invocation that failed without ending the process. */
export function invokeErrorLine(now: number, requestId: string, error: InvocationError): string {
  return logLine(now, requestId, 'ERROR', `Invoke Error \t${JSON.stringify({ errorType: error.type, errorMessage: error.message, code: error.code })}`);
}

/** The context object a handler gets as its second argument. */
export function invocationContext(config: FunctionConfig, environmentId: string, invocation: { requestId: string; startedAt: number }, scheduler: Scheduler): Record<string, unknown> {
  return {
    awsRequestId: invocation.requestId,
    functionName: config.name,
    functionVersion: '$LATEST',
    memoryLimitInMB: String(config.memoryMb),
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${config.name}`,
    logGroupName: `/aws/lambda/${config.name}`,
    logStreamName: `2026/01/01/[$LATEST]${environmentId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(invocation.startedAt + config.timeoutMs - scheduler.now)),
  };
}

/** Duration rounded up to the billing granularity (1 ms), at least one unit. */
export function billedDuration(durationMs: number): number {
  const unit = facts.billingGranularity.value;
  return Math.max(unit, Math.ceil(durationMs / unit) * unit);
}

export function describe(error: unknown): InvocationError {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { name?: unknown; message: unknown; code?: unknown };
    const type = typeof e.name === 'string' ? e.name : 'Error';
    const described: InvocationError = { code: e.code !== undefined && e.code !== null ? String(e.code) : type, type, message: String(e.message) };
    // Reading a V8 stack formats it (under lockdown, through SES's stringifier: 0.34 s of CPU in a
    // profile of aurora-dsql), and only `connlab simulate --handler` reads it: so only when asked.
    if ('stack' in error) {
      Object.defineProperty(described, 'stack', {
        enumerable: true,
        configurable: true,
        get() {
          const stack = (error as { stack?: unknown }).stack;
          const value = typeof stack === 'string' ? stack : undefined;
          Object.defineProperty(described, 'stack', { value, enumerable: true, configurable: true, writable: true });
          return value;
        },
      });
    }
    return described;
  }
  return { code: typeof error, type: typeof error, message: String(error) };
}

function errorJson(error: unknown): Record<string, unknown> {
  const d = describe(error);
  return { errorType: d.type, errorMessage: d.message, ...(d.code !== d.type ? { code: d.code } : {}) };
}

export function logLine(now: number, requestId: string, level: LogLevel, text: string): string {
  return `${new Date(VIRTUAL_EPOCH + now).toISOString()}\t${requestId}\t${level}\t${text}`;
}

export function requestId(scheduler: Scheduler): string {
  const h = scheduler.rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
