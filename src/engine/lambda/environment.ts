/**
 * One execution environment: the process a Lambda function's code runs in. It has its own virtual
 * timers, `process`, `Date` and `console`, handed to its modules as their globals, so a frozen
 * environment's timers (the `pg` pool's among them) do not fire, and a dead one's never do.
 */
import { Buffer } from 'buffer';
import { EventEmitter } from '../host/polyfills.ts';
import type { EventOwner, ScheduledEvent, Scheduler } from '../clock/scheduler.ts';
import { format } from './format.ts';

/** Virtual time 0 is this instant, so logs carry plausible, reproducible timestamps. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);
const TIMEOUT_MAX = 2 ** 31 - 1;

export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

/** The free identifiers every module instance gets as its own (the factory's parameter names). */
export const MODULE_GLOBALS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'process', 'Date', 'performance', 'console', 'Buffer'] as const;
export type ModuleGlobals = Record<(typeof MODULE_GLOBALS)[number], unknown>;

/**
 * Wall-clock milliseconds spent inside handler timer and immediate callbacks, for every environment
 * of the process. The browser tells a Worker nothing about its heap, so the Worker's watchdog reads
 * this instead: a handler whose own timers keep the engine busy (allocating in a fast `setInterval`
 * while it yields) shows up here long before the tab runs out of memory. Never part of a result.
 */
let handlerTimerWallMs = 0;
export const handlerTimerWork = (): number => handlerTimerWallMs;

function timed(run: () => void): void {
  const start = performance.now();
  try {
    run();
  } finally {
    handlerTimerWallMs += performance.now() - start;
  }
}

/** What the engine keeps about a timer; never on the handle a handler gets, whose code could otherwise move or re-own the scheduler's event. */
interface TimerRecord {
  event: ScheduledEvent | null;
  id: number;
}

/** One environment's side of its timers: the handles below are shared classes, this is what differs. */
interface TimerContext {
  readonly owner: Environment;
  readonly scheduler: Scheduler;
  /** Pending timers by id (`clearTimeout(id)` works with the number too). */
  readonly pending: Map<number, TimerRecord>;
  nextId(): number;
}

/** The record behind a handle if `owner` made it: another environment's handle clears nothing here. Set by the classes below, which alone can read their private fields. */
let timeoutRecordOf: (handle: object, owner: Environment) => TimerRecord | undefined;
let immediateRecordOf: (handle: object, owner: Environment) => TimerRecord | undefined;
const recordOf = (handle: object, owner: Environment): TimerRecord | undefined => timeoutRecordOf(handle, owner) ?? immediateRecordOf(handle, owner);

function cancel(context: TimerContext, record: TimerRecord): void {
  if (!record.event) return;
  context.scheduler.cancel(record.event);
  record.event = null;
  context.pending.delete(record.id);
}

/**
 * What `setTimeout` and `setInterval` return, as Node's Timeout does. One class for every
 * environment (frozen below, so no environment can change it for another or a later run), rather
 * than one per environment: `pg` arms a timer per query, and the engine's code that handles them
 * stays monomorphic with one shape instead of one per environment.
 */
class Timeout {
  readonly #context: TimerContext;
  readonly #record: TimerRecord;
  readonly #run: () => void;
  readonly #ms: number;
  readonly #repeat: boolean;
  #ref = true;
  static {
    timeoutRecordOf = (handle, owner) => (#record in handle && (handle as Timeout).#context.owner === owner ? (handle as Timeout).#record : undefined);
  }
  constructor(context: TimerContext, run: (...args: unknown[]) => void, ms: unknown, args: unknown[], repeat: boolean) {
    let delay = Number(ms);
    if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = 1;
    this.#context = context;
    this.#record = { event: null, id: context.nextId() };
    this.#ms = delay;
    this.#repeat = repeat;
    this.#run = () => run(...args);
    context.pending.set(this.#record.id, this.#record);
    this.#arm();
  }
  #arm(): void {
    this.#record.event = this.#context.scheduler.after(this.#ms, () => this.#fire(), this.#context.owner, 'timer');
  }
  #fire(): void {
    if (this.#repeat) this.#arm();
    else {
      this.#record.event = null;
      this.#context.pending.delete(this.#record.id);
    }
    timed(this.#run);
  }
  ref(): this {
    this.#ref = true;
    return this;
  }
  unref(): this {
    this.#ref = false;
    return this;
  }
  hasRef(): boolean {
    return this.#ref;
  }
  refresh(): this {
    if (this.#record.event) {
      this.#context.scheduler.cancel(this.#record.event);
      this.#arm();
    }
    return this;
  }
  close(): this {
    cancel(this.#context, this.#record);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.#record.id;
  }
}

/** What `setImmediate` returns; shared and frozen like Timeout. */
class Immediate {
  readonly #context: TimerContext;
  readonly #record: TimerRecord;
  static {
    immediateRecordOf = (handle, owner) => (#record in handle && (handle as Immediate).#context.owner === owner ? (handle as Immediate).#record : undefined);
  }
  constructor(context: TimerContext, run: () => void) {
    this.#context = context;
    this.#record = { event: null, id: context.nextId() };
    this.#record.event = context.scheduler.at(context.scheduler.now, () => timed(run), context.owner, 'immediate');
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
}

for (const shared of [Timeout, Immediate]) {
  for (const key of Reflect.ownKeys(shared.prototype)) Object.freeze((shared.prototype as unknown as Record<PropertyKey, unknown>)[key]);
  Object.freeze(shared.prototype);
  Object.freeze(shared);
}

export interface EnvironmentOptions {
  id: string;
  envVars: Readonly<Record<string, string>>;
  onUncaught: (environment: Environment, error: unknown) => void;
  onConsole: (environment: Environment, level: LogLevel, text: string) => void;
}

/** Math's properties but `random`, read once: a thousand cold starts each read them otherwise. */
let mathButRandom: PropertyDescriptorMap | undefined;
function mathDescriptors(): PropertyDescriptorMap {
  if (!mathButRandom) {
    const { random: _random, ...descriptors } = Object.getOwnPropertyDescriptors(Math);
    mathButRandom = descriptors;
  }
  return mathButRandom;
}

/**
 * SES leaves the float typed arrays off a compartment's globals (a NaN-bits side channel that
 * matters to SES's users, not here); Lambda code has them, frozen like every intrinsic.
 */
let floats: Readonly<Record<string, unknown>> | undefined;
const floatArrays = () => (floats ??= Object.freeze(Object.fromEntries(['Float16Array', 'Float32Array', 'Float64Array'].filter((name) => name in globalThis).map((name) => [name, (globalThis as Record<string, unknown>)[name]]))));

export class Environment implements EventOwner {
  readonly id: string;
  frozen = false;
  dead = false;
  readonly globals: ModuleGlobals;
  readonly #scheduler: Scheduler;
  readonly #options: EnvironmentOptions;
  #parked: ScheduledEvent[] = [];
  #parkedMicrotasks: Array<() => void> = [];
  /** Pending timers by id (`clearTimeout(id)` works with the number too); a handle finds its own record (`recordOf`). */
  readonly #timers = new Map<number, TimerRecord>();
  #nextTimer = 1;

  constructor(scheduler: Scheduler, options: EnvironmentOptions) {
    this.id = options.id;
    this.#scheduler = scheduler;
    this.#options = options;
    this.globals = this.#makeGlobals();
  }

  /**
   * The global object of this environment's handler compartment: the module globals, and a `Math`
   * whose `random()` draws from the run's seeded generator (SES's shared `Math` has no `random`,
   * and wall-clock randomness would break determinism anyway).
   */
  handlerGlobals(): Record<string, unknown> {
    const rng = this.#scheduler.rng;
    const math = Object.defineProperties({ random: () => rng.next() }, mathDescriptors());
    return { ...this.globals, ...floatArrays(), Math: Object.freeze(math) };
  }

  park(event: ScheduledEvent): void {
    this.#parked.push(event);
  }

  freeze(): void {
    if (!this.dead) this.frozen = true;
  }

  /**
   * Resume at the current time. Work that came due while frozen runs in the order Node's event
   * loop would pick it up when the process resumes inside epoll: I/O that arrived (in arrival
   * order), then the invocation that woke it, then immediates, then overdue timers. True when it
   * queued no microtask (no task was parked while frozen): it only scheduled events.
   */
  thaw(invocation: () => void): boolean {
    const scheduler = this.#scheduler;
    if (!this.frozen) {
      scheduler.at(scheduler.now, invocation, this, 'io');
      return true;
    }
    this.frozen = false;
    const parked = this.#parked.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#parked = [];
    const microtasks = this.#parkedMicrotasks;
    this.#parkedMicrotasks = [];
    for (const task of microtasks) this.#microtask(task);
    scheduler.requeue(parked.filter((e) => e.kind === 'io'), this);
    scheduler.at(scheduler.now, invocation, this, 'io');
    scheduler.requeue(parked.filter((e) => e.kind === 'immediate'), this);
    scheduler.requeue(parked.filter((e) => e.kind === 'timer'), this);
    return microtasks.length === 0;
  }

  kill(): void {
    this.dead = true;
    this.#parked = [];
    this.#parkedMicrotasks = [];
  }

  /** Delivers a signal to the process: whether a listener took it (else the signal's default action is the caller's to apply). */
  signal(name: 'SIGTERM'): boolean {
    if (this.dead) return false;
    const process = this.globals.process as EventEmitter;
    if (process.listenerCount(name) === 0) return false;
    this.#scheduler.current = this;
    try {
      process.emit(name, name);
    } catch (error) {
      this.uncaught(error);
    }
    return true;
  }

  uncaught(error: unknown): void {
    if (this.dead) return;
    const process = this.globals.process as EventEmitter;
    if (process.listenerCount('uncaughtException') > 0) {
      this.#scheduler.current = this;
      process.emit('uncaughtException', error, 'uncaughtException');
      return;
    }
    this.#options.onUncaught(this, error);
  }

  #microtask(task: () => void): void {
    queueMicrotask(() => {
      if (this.dead) return;
      if (this.frozen) {
        this.#parkedMicrotasks.push(task);
        return;
      }
      // A task parked while frozen runs at thaw, inside the event of whatever woke the environment.
      this.#scheduler.current = this;
      try {
        task();
      } catch (error) {
        this.uncaught(error);
      }
    });
  }

  #makeGlobals(): ModuleGlobals {
    const environment = this;
    const scheduler = this.#scheduler;
    const timers: TimerContext = { owner: this, scheduler, pending: this.#timers, nextId: () => environment.#nextTimer++ };
    const clear = (handle: unknown) => {
      const timer = typeof handle === 'number' || typeof handle === 'string' ? timers.pending.get(Number(handle)) : typeof handle === 'object' && handle !== null ? recordOf(handle, environment) : undefined;
      if (timer) cancel(timers, timer);
    };
    const process = new EventEmitter() as EventEmitter & Record<string, unknown>;
    const now = () => scheduler.now;
    const write = (level: LogLevel) => (chunk: unknown) => {
      environment.#options.onConsole(environment, level, String(chunk).replace(/\n$/, ''));
      return true;
    };
    Object.assign(process, {
      env: { ...this.#options.envVars },
      platform: 'linux',
      arch: 'x64',
      version: 'v24.0.0',
      versions: { node: '24.0.0' },
      release: { name: 'node' },
      argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
      execArgv: [],
      pid: 8,
      title: 'node',
      cwd: () => '/var/task',
      nextTick: (run: (...a: unknown[]) => void, ...args: unknown[]) => environment.#microtask(() => run(...args)),
      hrtime: Object.assign(
        (previous?: [number, number]) => {
          const ns = Math.round(now() * 1e6);
          const seconds = Math.floor(ns / 1e9);
          const nanos = ns % 1e9;
          if (!previous) return [seconds, nanos];
          let s = seconds - previous[0];
          let n = nanos - previous[1];
          if (n < 0) {
            s--;
            n += 1e9;
          }
          return [s, n];
        },
        { bigint: () => BigInt(Math.round(now() * 1e6)) },
      ),
      uptime: () => now() / 1000,
      memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
      emitWarning: (warning: unknown) => environment.#options.onConsole(environment, 'WARN', `Warning: ${String((warning as Error)?.message ?? warning)}`),
      exit: (code = 0) => {
        throw Object.assign(new Error(`process.exit(${String(code)})`), { exitCode: code });
      },
      stdout: { write: write('INFO') },
      stderr: { write: write('ERROR') },
    });
    class VirtualDate extends Date {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(VIRTUAL_EPOCH + now());
        else super(...(args as [string]));
      }
      static override now(): number {
        return VIRTUAL_EPOCH + now();
      }
    }
    const log = (level: LogLevel) => (...args: unknown[]) => environment.#options.onConsole(environment, level, format(...args));
    return {
      setTimeout: (run: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => new Timeout(timers, run, ms, args, false),
      clearTimeout: clear,
      setInterval: (run: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => new Timeout(timers, run, ms, args, true),
      clearInterval: clear,
      setImmediate: (run: (...a: unknown[]) => void, ...args: unknown[]) => new Immediate(timers, () => run(...args)),
      clearImmediate: clear,
      queueMicrotask: (task: () => void) => environment.#microtask(task),
      process,
      Date: VirtualDate,
      performance: { now, timeOrigin: VIRTUAL_EPOCH, mark: () => undefined, measure: () => undefined },
      console: { log: log('INFO'), info: log('INFO'), warn: log('WARN'), error: log('ERROR'), debug: log('DEBUG'), trace: log('DEBUG') },
      Buffer,
    };
  }
}
