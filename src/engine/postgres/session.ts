/**
 * The single PGlite session shared by every virtual connection, handed out one holder at a time.
 *
 * PGlite is one PostgreSQL backend. A connection holds the session from its first message until
 * ReadyForQuery says it is idle outside a transaction, so transactions never interleave. A waiter
 * gives up after a bounded virtual time (a handler that keeps a transaction open on one connection
 * while it awaits another would otherwise hang forever, which real PostgreSQL would not do).
 */
import type { Scheduler, ScheduledEvent } from '../clock/scheduler.ts';

export interface SessionHolder {
  readonly pid: number;
}

interface Waiter {
  holder: SessionHolder;
  grant: () => void;
  timeout: ScheduledEvent | null;
}

export class SessionLock {
  holder: SessionHolder | null = null;
  readonly #queue: Waiter[] = [];
  readonly #scheduler: Scheduler;
  readonly #waitLimitMs: number;

  constructor(scheduler: Scheduler, waitLimitMs: number) {
    this.#scheduler = scheduler;
    this.#waitLimitMs = waitLimitMs;
  }

  /** Resolves true when granted, false when the wait limit passed first. */
  acquire(holder: SessionHolder): Promise<boolean> {
    if (this.holder === holder) return Promise.resolve(true);
    if (!this.holder) {
      this.holder = holder;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { holder, grant: () => resolve(true), timeout: null };
      waiter.timeout = this.#scheduler.after(this.#waitLimitMs, () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        resolve(false);
      });
      this.#queue.push(waiter);
    });
  }

  release(holder: SessionHolder): void {
    if (this.holder !== holder) return;
    const next = this.#queue.shift();
    this.holder = next ? next.holder : null;
    if (next) {
      this.#scheduler.cancel(next.timeout);
      next.grant();
    }
  }

  /** Remove a holder that is going away while it waits. */
  abandon(holder: SessionHolder): void {
    const index = this.#queue.findIndex((w) => w.holder === holder);
    if (index >= 0) {
      const [waiter] = this.#queue.splice(index, 1);
      this.#scheduler.cancel(waiter!.timeout);
    }
    this.release(holder);
  }

  get waitLimitMs(): number {
    return this.#waitLimitMs;
  }
}
