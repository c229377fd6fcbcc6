/**
 * The simulated world one run (or one test, or `connlab serve data-api`) lives in: the scheduler,
 * the database behind the virtual PostgreSQL server, the virtual network it listens on, and the
 * processes spawned on that network. Every assembler of the engine opens a world; nothing else
 * wires these parts together.
 *
 * A spawned process is an environment that is never frozen, with its own virtual timers and its own
 * `pg` (the one recipe for a `pg` in a process: the driver instantiated with the process's globals
 * and a `net` module on the virtual network). Lambda's execution environments are not spawned here:
 * the function builds its own, with the handler's packages and hardening (lambda/function.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import { Scheduler } from '../clock/scheduler.ts';
import type { Timers } from '../clock/timers.ts';
import type { EngineHost, PgSources } from '../host/host.ts';
import { Environment } from '../lambda/environment.ts';
import { compileCommonJs, instantiate, instantiateShared, requireFor, type CompiledModule, type CompiledSigners } from '../lambda/modules.ts';
import { Network } from '../net/network.ts';
import { VirtualPostgres, type ServerCosts, type ServerObserver, type VirtualPostgresOptions } from '../postgres/server.ts';
import { serverCosts } from '../../facts/postgres.ts';

/** The `pg` driver, the modules it shares with handlers, and the IAM signers, compiled once per set of sources. */
export interface CompiledPg {
  driver: CompiledModule;
  shared: CompiledModule;
  signers: CompiledSigners;
}

export interface WorldOptions {
  seed: number;
  /** Run on the fresh database before the server opens: the schema and rows the world starts with. */
  setupSql?: string;
  server: VirtualPostgresOptions;
  observer?: ServerObserver;
  /** Where the server listens on the virtual network. */
  address: { host: string; port: number };
  /** A connection's one-way latency, drawn once per connection; by default the fact's mean, unjittered. */
  oneWayMs?: (scheduler: Scheduler) => number;
}

/** A process on the virtual network outside Lambda: never frozen, its own timers and its own `pg`. */
export interface SpawnedProcess {
  readonly environment: Environment;
  /** The process's `pg` module (`pg.Client`, `pg.Pool`, …), instantiated on first use. */
  readonly pg: Record<string, unknown>;
  readonly timers: Timers;
  /** A virtual-time sleep on the process's timers. */
  sleep(ms: number): Promise<void>;
}

export interface World {
  readonly scheduler: Scheduler;
  readonly db: PGlite;
  readonly server: VirtualPostgres;
  readonly network: Network;
  readonly address: { readonly host: string; readonly port: number };
  /** The compiled `pg` sources every process and execution environment of the world instantiates. */
  readonly pgModules: CompiledPg;
  spawn(id: string, onUncaught?: (error: unknown) => void): SpawnedProcess;
  close(): Promise<void>;
}

/** What the server's work costs, from src/facts. */
export const factServerCosts: ServerCosts = {
  backendStartMs: serverCosts.backendStart.value,
  authenticationMs: serverCosts.authentication.value,
  tlsHandshakeMs: serverCosts.tlsHandshake.value,
  rejectionMs: serverCosts.rejection.value,
  queryServiceMs: serverCosts.queryService.value,
};

let compiled: { sources: PgSources; pg: CompiledPg } | null = null;

/** The host's `pg` sources compiled, kept while the host hands out the same sources (every run of a Worker). */
export async function compiledPg(host: EngineHost): Promise<CompiledPg> {
  const sources = await host.pgSource();
  if (compiled?.sources !== sources) compiled = { sources, pg: { driver: compileCommonJs(sources.driver), shared: compileCommonJs(sources.shared), signers: { modules: Object.fromEntries(Object.entries(sources.signers.modules).map(([pkg, text]) => [pkg, compileCommonJs(text)])), shared: compileCommonJs(sources.signers.shared) } } };
  return compiled.pg;
}

export async function openWorld(host: EngineHost, options: WorldOptions): Promise<World> {
  // The database boots while the Node host bundles `pg` in esbuild's own process (about 1 s, once per process).
  const booting = host.createDatabase();
  booting.catch(() => {}); // a failed boot is reported by the await below, not as an unhandled rejection
  let pg: CompiledPg;
  try {
    pg = await compiledPg(host);
  } catch (error) {
    await booting.then((db) => db.close()).catch(() => {});
    throw error;
  }
  const db = await booting;
  try {
    if (options.setupSql) await db.exec(options.setupSql);
    const scheduler = new Scheduler({ seed: options.seed, yieldMacrotask: () => host.yieldMacrotask() });
    const oneWayMs = options.oneWayMs ?? (() => serverCosts.networkOneWay.value);
    const network = new Network(scheduler, () => oneWayMs(scheduler));
    const server = await VirtualPostgres.start(scheduler, db, options.server, options.observer ?? null);
    const address = { ...options.address };
    network.listen(address.host, address.port, server);
    return {
      scheduler,
      db,
      server,
      network,
      address,
      pgModules: pg,
      spawn: (id, onUncaught = () => {}) => spawn(scheduler, network, pg, id, onUncaught),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

function spawn(scheduler: Scheduler, network: Network, compiledPg: CompiledPg, id: string, onUncaught: (error: unknown) => void): SpawnedProcess {
  const environment = new Environment(scheduler, { id, envVars: {}, onUncaught: (_env, error) => onUncaught(error), onConsole: () => {} });
  const globals = environment.globals as unknown as { setTimeout: (run: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void; performance: { now(): number } };
  const timers: Timers = {
    now: () => globals.performance.now(),
    setTimeout: (run, ms) => globals.setTimeout(run, ms),
    clearTimeout: (handle) => {
      if (handle !== null && handle !== undefined) globals.clearTimeout(handle);
    },
    random: () => scheduler.rng.next(),
  };
  let pg: Record<string, unknown> | null = null;
  return {
    environment,
    get pg() {
      pg ??= instantiate(compiledPg.driver, environment.globals, requireFor({ ...instantiateShared(compiledPg.shared), net: network.netModuleFor(environment) })) as Record<string, unknown>;
      return pg;
    },
    timers,
    sleep: (ms) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms)),
  };
}
