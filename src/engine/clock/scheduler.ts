/**
 * A discrete-event scheduler in virtual milliseconds that drives real asynchronous code.
 *
 * Events are ordered by (time, sequence); the sequence number is handed out in program order, so
 * ties run first-scheduled first and wall-clock time never decides anything.
 *
 * The quiescence rule, which makes real async code deterministic on a virtual clock:
 *   1. run the earliest event;
 *   2. yield one macrotask, so that every microtask it started (promise chains in `pg`, the
 *      handler, the pool) has run up to its next await;
 *   3. while tracked real work is in flight (PGlite calls), wait for it and yield again;
 *   4. only then take the next event, which may move the clock.
 * Anything that takes real time must go through `track()`; anything else must be an event or a
 * microtask. Code that awaits something else (a real timer, fetch) is outside the model.
 *
 * Step 2 is most of the engine's own cost per event (an event-loop turn, a `MessageChannel` round
 * trip in a Worker), and it is only needed after code that may start microtasks. A bookkeeping
 * event (`atSync`, `afterSync`: an arrival that only schedules the invocation, a connection the
 * server accepts) runs engine code that starts none, so the next event follows it at once: the
 * order of everything is the same, without the turn. An event that only sometimes starts microtasks
 * (a server answering a start-up packet, or a query it must send to PGlite) says after it ran
 * whether it did (`atReporting`): when it did not, the next event follows it at once too.
 */
import { createRng, type Rng } from './rng.ts';

/** Who an event belongs to. An execution environment parks its events while frozen and drops them once dead. */
export interface EventOwner {
  readonly frozen: boolean;
  readonly dead: boolean;
  park(event: ScheduledEvent): void;
}

/** The kind orders parked work at thaw the way libuv would: I/O callbacks, then immediates, then timers. */
export type EventKind = 'io' | 'immediate' | 'timer';

export interface ScheduledEvent {
  at: number;
  seq: number;
  readonly kind: EventKind;
  owner: EventOwner | null;
  /** A reporting event's `run` returns true when it started no microtask and no tracked work. */
  run: (() => void | boolean) | null;
  cancelled: boolean;
  /** Popped from the queue: ran, or parked by a frozen owner. */
  popped: boolean;
  /** A bookkeeping event: its code starts no microtask and no tracked work, so no settle follows it. */
  readonly synchronous: boolean;
  /** Its `run` reports whether it left asynchronous work (`atReporting`). */
  readonly reporting: boolean;
}

export interface SchedulerOptions {
  seed: number;
  /** One macrotask turn: `setImmediate` in Node, a `MessageChannel` round trip in a Worker. */
  yieldMacrotask: () => Promise<void>;
}

export interface RunOptions {
  /** Stop before the first event later than this virtual time; the clock then reads `until`. */
  until?: number;
  /** Checked between events; an aborted run rejects with the signal's reason. */
  signal?: AbortSignal;
  /** An event of an owner threw: that owner's uncaught exception. Events without an owner rethrow. */
  onOwnerError?: (owner: EventOwner, error: unknown) => void;
}

/** Events allowed at one virtual instant before the run is declared stuck (e.g. `setImmediate` calling itself forever). */
export const SAME_INSTANT_LIMIT = 1_000_000;

export class StalledClockError extends Error {
  override name = 'StalledClockError';
  constructor(at: number) {
    super(`virtual time stopped advancing at ${at.toFixed(3)} ms: more than ${SAME_INSTANT_LIMIT.toLocaleString('en-US')} events ran at that instant (code that reschedules itself without waiting?)`);
  }
}

export class Scheduler {
  now = 0;
  readonly rng: Rng;
  readonly stats = { events: 0, parked: 0, tracked: 0, settles: 0 };
  /**
   * The owner whose code is running: the owner of the running event, and the microtasks it started
   * run as it until the next event. An execution environment whose code the engine runs outside its
   * own events (a task parked at freeze, a signal) marks itself (lambda/environment.ts), so code that
   * environments share (lambda/driver.ts) finds the environment's globals.
   */
  current: EventOwner | null = null;
  readonly #yield: () => Promise<void>;
  #heap: ScheduledEvent[] = [];
  #seq = 0;
  #cancelledInHeap = 0;
  #inflight = 0;
  #idleWaiters: Array<() => void> = [];
  #running = false;
  #sameInstant = 0;

  constructor(options: SchedulerOptions) {
    this.rng = createRng(options.seed);
    this.#yield = options.yieldMacrotask;
  }

  get pending(): number {
    return this.#heap.length - this.#cancelledInHeap;
  }

  at(time: number, run: () => void, owner: EventOwner | null = null, kind: EventKind = 'timer'): ScheduledEvent {
    return this.#schedule(time, run, owner, kind, false, false);
  }

  after(ms: number, run: () => void, owner: EventOwner | null = null, kind: EventKind = 'timer'): ScheduledEvent {
    return this.#schedule(this.now + ms, run, owner, kind, false, false);
  }

  /**
   * An event of the engine's own, owned by no environment, whose `run` returns true when it
   * started no microtask and no tracked work (it may have scheduled events): the next event then
   * follows at once, as after a bookkeeping event. Otherwise the clock settles, as after any event.
   * A wrong `true` would let the next event run before this one's microtasks.
   */
  atReporting(time: number, run: () => boolean): ScheduledEvent {
    return this.#schedule(time, run, null, 'timer', false, true);
  }

  afterReporting(ms: number, run: () => boolean): ScheduledEvent {
    return this.#schedule(this.now + ms, run, null, 'timer', false, true);
  }

  /**
   * A bookkeeping event of the engine's own, owned by no environment. `run` must only do
   * synchronous work (count, schedule, decide): no promise, no `await`, no call into handler or
   * driver code, no tracked work. Whatever microtask it started would run after the next event.
   */
  atSync(time: number, run: () => void): ScheduledEvent {
    return this.#schedule(time, run, null, 'timer', true, false);
  }

  afterSync(ms: number, run: () => void): ScheduledEvent {
    return this.#schedule(this.now + ms, run, null, 'timer', true, false);
  }

  #schedule(time: number, run: () => void | boolean, owner: EventOwner | null, kind: EventKind, synchronous: boolean, reporting: boolean): ScheduledEvent {
    const event: ScheduledEvent = { at: time > this.now ? time : this.now, seq: this.#seq++, kind, owner, run, cancelled: false, popped: false, synchronous, reporting };
    this.#push(event);
    return event;
  }

  /**
   * Lazy cancellation: the closure is dropped at once and the heap is compacted when cancelled
   * events dominate (a function timeout per invocation is almost always cancelled).
   */
  cancel(event: ScheduledEvent | null | undefined): void {
    if (!event || event.cancelled) return;
    event.cancelled = true;
    event.run = null;
    if (event.popped) return;
    event.owner = null;
    this.#cancelledInHeap++;
    if (this.#cancelledInHeap > 4096 && this.#cancelledInHeap * 2 > this.#heap.length) this.#compact();
  }

  /** Count real asynchronous work: the clock cannot move until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#inflight++;
    this.stats.tracked++;
    const done = () => {
      if (--this.#inflight === 0) {
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const wake of waiters) wake();
      }
    };
    return work.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  /** Yield until no microtask and no tracked work is left. */
  async settle(): Promise<void> {
    for (;;) {
      this.stats.settles++;
      await this.#yield();
      if (this.#inflight === 0) return;
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  /**
   * Re-queue parked events at the current time, in the order given. The same event objects go back
   * in, so a timer cleared after the thaw (a pool checking out its idle client) is still cancellable.
   */
  requeue(events: readonly ScheduledEvent[], owner: EventOwner): void {
    for (const event of events) {
      if (event.cancelled || !event.run) continue;
      event.at = this.now;
      event.seq = this.#seq++;
      event.owner = owner;
      event.popped = false;
      this.#push(event);
    }
  }

  async run(options: RunOptions = {}): Promise<void> {
    if (this.#running) throw new Error('the scheduler is already running');
    this.#running = true;
    const until = options.until ?? Infinity;
    try {
      await this.settle();
      while (this.#heap.length > 0) {
        options.signal?.throwIfAborted();
        const top = this.#heap[0]!;
        if (top.at > until) break;
        const event = this.#pop();
        if (event.cancelled) {
          this.#cancelledInHeap--;
          continue;
        }
        event.popped = true;
        const owner = event.owner;
        if (owner) {
          if (owner.dead) continue;
          if (owner.frozen) {
            owner.park(event);
            this.stats.parked++;
            continue;
          }
        }
        if (event.at === this.now) {
          if (++this.#sameInstant > SAME_INSTANT_LIMIT) throw new StalledClockError(this.now);
        } else this.#sameInstant = 0;
        this.now = event.at;
        this.stats.events++;
        this.current = owner;
        const run = event.run!;
        event.run = null;
        let quiet: void | boolean = false;
        try {
          quiet = run();
        } catch (error) {
          if (owner && options.onOwnerError) options.onOwnerError(owner, error);
          else throw error;
        }
        if (!event.synchronous && !(event.reporting && quiet === true)) await this.settle();
      }
      if (until !== Infinity && this.now < until) this.now = until;
    } finally {
      this.current = null;
      this.#running = false;
    }
  }

  /**
   * Drive the clock until `work` settles: for code written outside events (tests, fidelity checks)
   * whose next step is scheduled only after its previous await resolves.
   */
  async runUntil<T>(work: Promise<T>, options: { signal?: AbortSignal; limitMs?: number; onOwnerError?: RunOptions['onOwnerError'] } = {}): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    const limit = options.limitMs ?? Infinity;
    while (!settled) {
      await this.settle();
      if (settled) break;
      if (this.pending === 0) throw new Error('runUntil: nothing is scheduled and the work has not settled (it awaits something outside the virtual clock)');
      const next = this.#nextLiveTime();
      if (next > limit) throw new Error(`runUntil: the work did not settle within ${limit} virtual ms`);
      await this.run({ until: next, ...(options.signal ? { signal: options.signal } : {}), ...(options.onOwnerError ? { onOwnerError: options.onOwnerError } : {}) });
    }
    return watched;
  }

  #nextLiveTime(): number {
    let min = Infinity;
    for (const event of this.#heap) if (!event.cancelled && event.at < min) min = event.at;
    return min;
  }

  #compact(): void {
    const live = this.#heap.filter((event) => !event.cancelled);
    live.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#heap = live;
    this.#cancelledInHeap = 0;
  }

  /** Sift by moving a hole rather than swapping pairs: no destructuring temporaries per level. */
  #push(event: ScheduledEvent): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!earlier(event, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = event;
  }

  #pop(): ScheduledEvent {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const length = heap.length;
    if (length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= length) break;
        const right = left + 1;
        const child = right < length && earlier(heap[right]!, heap[left]!) ? right : left;
        const below = heap[child]!;
        if (!earlier(below, last)) break;
        heap[i] = below;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

const earlier = (a: ScheduledEvent, b: ScheduledEvent): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
