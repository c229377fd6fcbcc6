/**
 * What the engine needs from the platform it runs on. Outside the Node-only adapters, which say so
 * in their names (`*.node.ts`: this host, the HTTP and TCP servers the CLI serves), the engine
 * imports no Node built-in (dependency-cruiser checks it, see .dependency-cruiser.cjs), so the same
 * code runs in Node (host.node.ts) and in a Web Worker (worker.ts): only this interface differs.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { SdkBundle } from './sdk-packages.ts';

/**
 * The `pg` driver as two CommonJS texts. `driver` is `pg` itself (with `pg-pool`), instantiated once
 * per run with globals that find the running environment (lambda/driver.ts), because it owns timers. `shared` bundles the stateless, timer-free
 * packages it requires (`pg-protocol`, `pg-types`, `pg-connection-string`), instantiated once per
 * run: its `module.exports` maps each package name to its exports. Node built-ins stay `require`
 * calls in both; the engine supplies them. `bundlePg()` in host/host.node.ts shows the esbuild options.
 */
export interface PgSources {
  driver: string;
  shared: string;
  /** The IAM token signers, for handlers that sign tokens. */
  signers: SignerSources;
}

/** The IAM token signers as CommonJS texts; `bundleSigners()` in host/signer-bundle.ts shows how they are split. */
export interface SignerSources {
  /** Each signer's own code, instantiated per environment on its first require: it reads the environment's clock and variables. */
  modules: Readonly<Record<SignerPackage, string>>;
  /** The stateless functions and classes they import, instantiated once per run: `module.exports.default` maps each package to them. */
  shared: string;
}

/** The IAM token signers the engine provides: RDS (and RDS Proxy) tokens, and Aurora DSQL's. */
export const SIGNER_PACKAGES = ['@aws-sdk/rds-signer', '@aws-sdk/dsql-signer'] as const;
export type SignerPackage = (typeof SIGNER_PACKAGES)[number];

/** Packages the `shared` text provides and the `driver` text leaves external. */
export const SHARED_PG_PACKAGES = ['pg-protocol', 'pg-types', 'pg-connection-string'] as const;

export interface EngineHost {
  pgSource(): Promise<PgSources>;
  /** One AWS SDK bundle as CommonJS text (sdk-bundle.ts), fetched only by runs whose handlers import it. */
  sdkSource(bundle: SdkBundle): Promise<string>;
  /** A fresh, empty database for one run. */
  createDatabase(): Promise<PGlite>;
  /** One macrotask turn (`setImmediate` in Node, a `MessageChannel` round trip in a Worker; never `setTimeout(0)`). */
  yieldMacrotask(): Promise<void>;
  /** A monotonic wall clock in ms, used only for `wallMs` in reports, never for results. */
  wallClock(): number;
  /**
   * Route unhandled promise rejections to `listener` until the returned function is called, instead
   * of letting them end the process (Node) or reach the console (Worker). A handler's forgotten
   * rejection then ends its own execution environment, as on Lambda, not the whole run.
   */
  onUnhandledRejection?(listener: (reason: unknown) => void): () => void;
}
