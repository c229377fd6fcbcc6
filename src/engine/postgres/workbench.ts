/**
 * The virtual server with one client process in front of it, outside Lambda: for driving `pg` code
 * directly against the simulated server (tests, fidelity checks against a real PostgreSQL).
 * `run()` drives the virtual clock until the given work settles.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { EngineHost } from '../host/host.ts';
import { Scheduler } from '../clock/scheduler.ts';
import { Environment } from '../lambda/environment.ts';
import { compileCommonJs, instantiate, instantiateShared, requireFor } from '../lambda/modules.ts';
import { rdsKeepalives, reservedForOrdinaryRoles, reservedSlotError, serverCosts } from '../../facts/postgres.ts';
import { Network } from '../net/network.ts';
import { VirtualPostgres, type VirtualPostgresOptions } from './server.ts';

export interface Workbench {
  readonly scheduler: Scheduler;
  readonly network: Network;
  readonly server: VirtualPostgres;
  readonly db: PGlite;
  /** A client process with its own `pg` instance and virtual timers. */
  readonly client: Environment;
  /** That process's `pg` module (`pg.Client`, `pg.Pool`, …). */
  readonly pg: Record<string, unknown>;
  /** Uncaught exceptions of the client process, in order. */
  readonly uncaught: unknown[];
  readonly host: string;
  readonly port: number;
  run<T>(work: () => Promise<T>, limitMs?: number): Promise<T>;
  /** A virtual-time sleep for code inside `run`. */
  sleep(ms: number): Promise<void>;
  close(): Promise<void>;
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
  costs: {
    backendStartMs: serverCosts.backendStart.value,
    authenticationMs: serverCosts.authentication.value,
    tlsHandshakeMs: serverCosts.tlsHandshake.value,
    rejectionMs: serverCosts.rejection.value,
    queryServiceMs: serverCosts.queryService.value,
  },
};

export async function openWorkbench(host: EngineHost, options: Partial<VirtualPostgresOptions> & { seed?: number } = {}): Promise<Workbench> {
  const { seed = 1, ...serverOptions } = options;
  const scheduler = new Scheduler({ seed, yieldMacrotask: () => host.yieldMacrotask() });
  const db = await host.createDatabase();
  const server = await VirtualPostgres.start(scheduler, db, { ...defaultServerOptions, ...serverOptions });
  const network = new Network(scheduler, () => serverCosts.networkOneWay.value);
  const address = { host: 'db.internal', port: 5432 };
  network.listen(address.host, address.port, server);
  const uncaught: unknown[] = [];
  const client = new Environment(scheduler, { id: 'client', envVars: {}, onUncaught: (_env, error) => uncaught.push(error), onConsole: () => {} });
  const sources = await host.pgSource();
  const shared = instantiateShared(compileCommonJs(sources.shared));
  const modules: Record<string, unknown> = { ...shared, net: network.netModuleFor(client) };
  const pg = instantiate(compileCommonJs(sources.driver), client.globals, requireFor(modules)) as Record<string, unknown>;
  const timers = client.globals as unknown as { setTimeout: (fn: () => void, ms: number) => unknown };
  return {
    scheduler,
    network,
    server,
    db,
    client,
    pg,
    uncaught,
    ...address,
    run: (work, limitMs = 3_600_000) =>
      scheduler.runUntil(work(), { limitMs: scheduler.now + limitMs, onOwnerError: (_owner, error) => client.uncaught(error) }),
    sleep: (ms) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms)),
    close: () => db.close(),
  };
}
