/**
 * A world with one client process in front of the server, outside Lambda: for driving `pg` code
 * directly against the simulated server (tests, fidelity checks against a real PostgreSQL,
 * `connlab serve data-api`). `run()` drives the virtual clock until the given work settles.
 */
import type { Timers } from '../clock/timers.ts';
import type { EngineHost } from '../host/host.ts';
import type { Environment } from '../lambda/environment.ts';
import type { VirtualPostgresOptions } from '../postgres/server.ts';
import { rdsKeepalives, reservedForOrdinaryRoles, reservedSlotError } from '../../facts/postgres.ts';
import { factServerCosts, openWorld, type World } from './world.ts';

export interface Workbench extends World {
  /** A client process with its own `pg` instance and virtual timers. */
  readonly client: Environment;
  /** That process's `pg` module (`pg.Client`, `pg.Pool`, …). */
  readonly pg: Record<string, unknown>;
  /** That process's timers, for a service running in it (the Data API emulator). */
  readonly timers: Timers;
  /** Uncaught exceptions of the client process, in order. */
  readonly uncaught: unknown[];
  readonly host: string;
  readonly port: number;
  run<T>(work: () => Promise<T>, limitMs?: number): Promise<T>;
  /** A virtual-time sleep for code inside `run`. */
  sleep(ms: number): Promise<void>;
}

/** An RDS for PostgreSQL 16+ instance with 100 connections and RDS's reservations and keepalives. */
export const defaultServerOptions: VirtualPostgresOptions = {
  maxConnections: 100,
  reservedConnections: reservedForOrdinaryRoles(),
  reservedSlotError: reservedSlotError('16'),
  vcpus: 2,
  users: { postgres: 'postgres', app: 'app-password' },
  superusers: ['postgres'],
  idleSessionTimeoutMs: 0,
  keepalives: rdsKeepalives,
  sessionWaitLimitMs: 5_000,
  costs: factServerCosts,
};

export async function openWorkbench(host: EngineHost, options: Partial<VirtualPostgresOptions> & { seed?: number } = {}): Promise<Workbench> {
  const { seed = 1, ...serverOptions } = options;
  const world = await openWorld(host, { seed, server: { ...defaultServerOptions, ...serverOptions }, address: { host: 'db.internal', port: 5432 } });
  const uncaught: unknown[] = [];
  const client = world.spawn('client', (error) => uncaught.push(error));
  const { scheduler } = world;
  return {
    ...world,
    client: client.environment,
    pg: client.pg,
    timers: client.timers,
    uncaught,
    ...world.address,
    run: (work, limitMs = 3_600_000) =>
      scheduler.runUntil(work(), { limitMs: scheduler.now + limitMs, onOwnerError: (_owner, error) => client.environment.uncaught(error) }),
    sleep: client.sleep,
  };
}
