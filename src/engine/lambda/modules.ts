/**
 * Module instances per execution environment: the one place where source text becomes code.
 *
 * `pg` (one CommonJS text from the host) and the handler (JS or TS, transpiled by sucrase) are each
 * compiled ONCE into a factory whose parameters shadow the globals an environment owns (timers,
 * `process`, `Date`, `console`, …). Calling a factory for an environment runs the module body
 * afresh with that environment's globals, so every environment has its own `pg`: its own Pool
 * class, its own type parsers, timers that freeze with it. The handler's `require('pg')` returns
 * that instance, and `require('net')` the environment's virtual network.
 */
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import { transform } from 'sucrase';
import { MODULE_GLOBALS, type ModuleGlobals } from './environment.ts';
import { format } from './format.ts';

type Factory = (require: (name: string) => unknown, module: { exports: Record<string, unknown> }, exports: Record<string, unknown>, ...globals: unknown[]) => unknown;

export interface CompiledModule {
  readonly factory: Factory;
  /** The body runs as an async function: top-level await in a handler's INIT phase. */
  readonly async: boolean;
}

const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Factory;

export function compileCommonJs(code: string, options: { async?: boolean } = {}): CompiledModule {
  const names = ['require', 'module', 'exports', ...MODULE_GLOBALS];
  const factory = options.async ? new AsyncFunction(...names, code) : (new Function(...names, code) as Factory);
  return { factory, async: options.async ?? false };
}

/** A handler file (ESM or CommonJS, JavaScript or TypeScript) as CommonJS with top-level await allowed. */
export function compileHandler(source: string, fileName: string): CompiledModule {
  const transforms: Array<'imports' | 'typescript'> = ['imports'];
  if (/\.(m|c)?ts$/.test(fileName)) transforms.push('typescript');
  const { code } = transform(source, { transforms, filePath: fileName });
  return compileCommonJs(`${code}\n//# sourceURL=/var/task/${fileName}`, { async: true });
}

export function instantiate(module: CompiledModule, globals: ModuleGlobals, require: (name: string) => unknown): Record<string, unknown> | Promise<Record<string, unknown>> {
  const record = { exports: {} as Record<string, unknown> };
  const result = module.factory(require, record, record.exports, ...MODULE_GLOBALS.map((name) => globals[name]));
  if (module.async) return (result as Promise<unknown>).then(() => record.exports);
  return record.exports;
}

const unavailable = (name: string, why: string) =>
  new Proxy(
    {},
    {
      get(_target, key) {
        if (key === '__esModule' || typeof key === 'symbol' || key === 'then') return undefined;
        return () => {
          throw new Error(`${name}.${String(key)} is not available in the simulator: ${why}`);
        };
      },
    },
  );

class NotAStream extends EventEmitter {
  pipe(): never {
    throw new Error('streams are not available in the simulator');
  }
}

/**
 * Node built-ins `pg` requires, without Node: what it uses at load time (`util.deprecate`,
 * `util/types.isDate`, `crypto.webcrypto`), and placeholders that fail loudly if a code path the
 * simulator does not model (TLS, pgpass files, DNS) is taken.
 */
const builtins: Record<string, unknown> = {
  events: Object.assign(EventEmitter, { EventEmitter, default: EventEmitter }),
  buffer: { Buffer },
  util: {
    deprecate: <T>(fn: T) => fn,
    inherits: (child: { prototype: object }, parent: { prototype: object }) => Object.setPrototypeOf(child.prototype, parent.prototype),
    format,
    types: { isDate: (value: unknown) => value instanceof Date },
  },
  'util/types': { isDate: (value: unknown) => value instanceof Date },
  crypto: { webcrypto: globalThis.crypto },
  stream: { Stream: NotAStream, Transform: NotAStream, Readable: NotAStream, Writable: NotAStream, Duplex: NotAStream },
  string_decoder: { StringDecoder: class {} },
  path: { join: (...parts: string[]) => parts.join('/'), resolve: (...parts: string[]) => parts.join('/'), sep: '/' },
  fs: {
    stat: (_path: string, callback: (error: Error) => void) => callback(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })),
  },
  dns: unavailable('dns', 'hosts resolve through the virtual network'),
  // The virtual wire carries no encryption: a client that negotiated TLS (only the RDS Proxy model
  // answers SSLRequest with S; the virtual PostgreSQL answers N) keeps talking over the same socket.
  tls: {
    connect(options: { socket?: unknown }) {
      if (!options?.socket) throw new Error('tls.connect is not available in the simulator: the simulated server answers SSLRequest with N (no TLS); leave ssl unset');
      return options.socket;
    },
  },
};

export function requireFor(modules: Readonly<Record<string, unknown>>): (name: string) => unknown {
  return (name) => {
    const bare = name.startsWith('node:') ? name.slice(5) : name;
    if (bare in modules) return modules[bare];
    if (bare in builtins) return builtins[bare];
    throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  };
}

/**
 * The stateless packages every environment's `pg` shares (one instance per run): their code gets
 * optimised once instead of once per environment. They own no timers, so sharing them does not
 * break freezing; `pg.types.setTypeParser` is shared by all environments of a run as a result.
 */
export function instantiateShared(module: CompiledModule): Record<string, unknown> {
  const hostless = { setTimeout: undefined, clearTimeout: undefined, setInterval: undefined, clearInterval: undefined, setImmediate: undefined, clearImmediate: undefined, queueMicrotask, process: { env: {} }, Date, performance: undefined, console, Buffer } as unknown as ModuleGlobals;
  return instantiate(module, hostless, requireFor({})) as Record<string, unknown>;
}
