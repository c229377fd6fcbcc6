/**
 * `pg` for a function's execution environments: its code instantiated once per run and shared by
 * every environment, with each environment's own globals found when `pg` calls them.
 *
 * Why not a `pg` per environment, as Lambda has: V8 keeps one set of type feedback per function in
 * the source, so a thousand environments each with their own `Client` and `Pool` classes turn every
 * property access in `pg` megamorphic. In `connlab simulate aurora-dsql` (1,000 environments) that
 * made `pg` the largest cost of the run. Shared, `pg` sees one class of each.
 *
 * What a handler sees stays per environment:
 * - its timers, `process` (`nextTick`, `env`), `console` and `Date` are those of the environment
 *   whose event is running (`scheduler.current`): a frozen environment's pool timers wait with it;
 * - `require('pg')` returns the environment's own module object (a mark set on it in one
 *   environment is not seen in another), and `pg.defaults` reads and writes the environment's own
 *   values;
 * - the sockets `pg` opens belong to the environment that opens them.
 * What it shares with the other environments of its run (never with another run): the classes,
 * frozen, so a handler that patches `pg.Client.prototype` gets a TypeError rather than patching
 * every environment, and the type parsers (`pg.types.setTypeParser`), as before.
 */
import { Buffer } from 'buffer';
import type { Scheduler } from '../clock/scheduler.ts';
import type { Network } from '../net/network.ts';
import { Environment, MODULE_GLOBALS, type ModuleGlobals } from './environment.ts';
import { freezeSurfaces, hardenShared } from './isolation.ts';
import { instantiate, requireFor, type CompiledModule } from './modules.ts';

export interface SharedDriver {
  /** The `pg` module object `environment` requires: its own, over the run's shared code. */
  moduleFor(environment: Environment): Record<string, unknown>;
  /** The environment's `net` module: the same object for its handler and its `pg`. */
  netFor(environment: Environment): Record<string, unknown>;
}

export function sharedDriver(compiled: CompiledModule, shared: Readonly<Record<string, unknown>>, scheduler: Scheduler, network: Network): SharedDriver {
  const current = (): Environment => {
    const owner = scheduler.current;
    if (owner instanceof Environment) return owner;
    throw new Error('pg was called outside an execution environment');
  };
  const nets = new WeakMap<Environment, Record<string, unknown>>();
  const netFor = (environment: Environment) => {
    let net = nets.get(environment);
    // The virtual sockets are engine classes every run shares: frozen like the built-ins.
    if (!net) nets.set(environment, (net = hardenShared(network.netModuleFor(environment))));
    return net;
  };
  const sharedRequire = requireFor(shared);
  let driver: Record<string, unknown> | undefined;
  const load = () => {
    if (driver) return driver;
    const exports = instantiate(compiled, forwardingGlobals(current), (name) => (name === 'net' || name === 'node:net' ? netFor(current()) : sharedRequire(name))) as Record<string, unknown>;
    perEnvironment(exports.defaults as Record<string, unknown>, current);
    // Its classes and functions; `defaults`, `types` and `utils` are objects, which freezeSurfaces leaves alone.
    freezeSurfaces({ pg: { ...exports } });
    return (driver = exports);
  };
  const modules = new WeakMap<Environment, Record<string, unknown>>();
  return {
    moduleFor(environment) {
      let module = modules.get(environment);
      if (!module) {
        const exports = load();
        modules.set(environment, (module = Object.create(Object.getPrototypeOf(exports) as object, Object.getOwnPropertyDescriptors(exports)) as Record<string, unknown>));
      }
      return module;
    },
    netFor,
  };
}

/** Globals that call, read or construct the current environment's own. */
function forwardingGlobals(current: () => Environment): ModuleGlobals {
  const globals = {} as Record<string, unknown>;
  for (const name of MODULE_GLOBALS) {
    if (name === 'Buffer') globals[name] = Buffer;
    // A function target: `Date.prototype` itself is read-only, and a proxy must report it as it is.
    else if (name === 'Date') globals[name] = new Proxy(function Date() {}, forwarding(() => current().globals.Date as object));
    else if (name === 'process' || name === 'console' || name === 'performance') globals[name] = new Proxy({}, forwarding(() => current().globals[name] as object));
    else globals[name] = (...args: unknown[]) => (current().globals[name] as (...a: unknown[]) => unknown)(...args);
  }
  return globals as ModuleGlobals;
}

function forwarding(target: () => object): ProxyHandler<object> {
  return {
    get: (_object, key) => Reflect.get(target(), key),
    has: (_object, key) => Reflect.has(target(), key),
    set: (_object, key, value) => Reflect.set(target(), key, value),
    construct: (_object, args) => Reflect.construct(target() as new (...a: unknown[]) => object, args),
    apply: (_object, self, args) => Reflect.apply(target() as (...a: unknown[]) => unknown, self, args),
  };
}

/**
 * Turns each value of `pg.defaults` into an accessor over the current environment's own copy, made
 * on its first read or write. `pg`'s code reads the object it created, so the object itself must
 * answer per environment. Accessors `pg` defines (`parseInt8`, which sets a shared type parser) stay,
 * and a key a handler adds is the run's, like the type parsers.
 */
function perEnvironment(defaults: Record<string, unknown>, current: () => Environment): void {
  const initial: Record<string, unknown> = {};
  const copies = new WeakMap<Environment, Record<string, unknown>>();
  const own = () => {
    const environment = current();
    let copy = copies.get(environment);
    if (!copy) copies.set(environment, (copy = { ...initial }));
    return copy;
  };
  for (const key of Object.keys(defaults)) {
    const descriptor = Object.getOwnPropertyDescriptor(defaults, key)!;
    if (!('value' in descriptor)) continue;
    initial[key] = descriptor.value;
    Object.defineProperty(defaults, key, {
      enumerable: true,
      configurable: false,
      get: () => own()[key],
      set: (value: unknown) => {
        own()[key] = value;
      },
    });
  }
}
