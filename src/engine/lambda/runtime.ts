/**
 * The runtime's part of INIT, the same on either compute: the handler module instantiated in an
 * environment with its packages (`pg` and the IAM signers on first require, the run's SDK clients,
 * `net` on the virtual network), then the handler export looked up.
 */
import type { Environment } from './environment.ts';
import type { SharedDriver } from './driver.ts';
import { instantiate, instantiateSignerPackages, requireFor, type CompiledModule, type CompiledSigners } from './modules.ts';

export interface RuntimeParts {
  /** `pg`, one instance per run (driver.ts). */
  driver: SharedDriver;
  signers: SignerParts;
  /** The modules every environment shares, instantiated once (modules.ts `instantiateShared`). */
  shared: Record<string, unknown>;
  /** The run's SDK packages, frozen. */
  packages: Readonly<Record<string, unknown>>;
  handler: CompiledModule;
}

export interface SignerParts {
  /** Package name -> the signer's own module. */
  modules: Readonly<Record<string, CompiledModule>>;
  /** The packages the signers share, instantiated on the first signer's require in the run. */
  packages: () => Readonly<Record<string, unknown>>;
}

export function signerParts(compiled: CompiledSigners | undefined): SignerParts {
  let packages: Readonly<Record<string, unknown>> | undefined;
  return { modules: compiled?.modules ?? {}, packages: () => (packages ??= compiled ? instantiateSignerPackages(compiled.shared) : {}) };
}

/**
 * Instantiates the handler module in `environment` and calls `loaded` once its top-level code has
 * finished (a module with top-level await finishes later): with the error that stopped it, or with
 * its exports.
 */
export function loadHandler(environment: Environment, parts: RuntimeParts, loaded: (error: unknown, exports: Record<string, unknown> | null) => void): void {
  const modules: Record<string, unknown> = { ...parts.shared, ...parts.packages, net: parts.driver.netFor(environment) };
  // Instantiated on the run's first require: handlers that only use AWS SDK clients never load pg.
  Object.defineProperty(modules, 'pg', { enumerable: true, get: () => parts.driver.moduleFor(environment) });
  // Loaded only by handlers that import one: most never do, and each costs a module body per environment.
  for (const [pkg, signer] of Object.entries(parts.signers.modules)) {
    let signerModule: unknown;
    Object.defineProperty(modules, pkg, { enumerable: true, get: () => (signerModule ??= instantiate(signer, environment.globals, requireFor(parts.signers.packages()))) });
  }
  let exported: Record<string, unknown> | Promise<Record<string, unknown>>;
  try {
    exported = instantiate(parts.handler, environment.globals, requireFor(modules), environment.handlerGlobals());
  } catch (error) {
    loaded(error, null);
    return;
  }
  Promise.resolve(exported).then(
    (exports) => loaded(null, exports),
    (error: unknown) => loaded(error, null),
  );
}

/** The handler export of a loaded module, or the error Lambda's runtime reports when there is none. */
export function handlerExport(exports: Record<string, unknown> | null, name: string): { handler: ((event: unknown, context: unknown) => unknown) | null; error: unknown } {
  const handler = exports?.[name];
  if (typeof handler === 'function') return { handler: handler as (event: unknown, context: unknown) => unknown, error: null };
  return { handler: null, error: Object.assign(new Error(`index.${name} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' }) };
}
