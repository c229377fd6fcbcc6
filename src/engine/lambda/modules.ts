/**
 * Module instances per execution environment: the one place where source text becomes code.
 *
 * Two kinds of module, two places to run them:
 * - Trusted code the engine ships (`pg`, the shared `pg` packages, the RDS signer) is compiled ONCE
 *   into a factory whose parameters shadow the globals an environment owns (timers, `process`,
 *   `Date`, `console`, …). Calling a factory runs the module body afresh with the globals given:
 *   an environment's own (a signer, a workbench process's `pg`), or, for a function's `pg`, globals
 *   that find the environment running (driver.ts), so its timers still freeze with its environment.
 * - Handler code (JS or TS, transpiled by sucrase) is untrusted: it may come from a stranger's share
 *   link. Each environment evaluates it in its own SES compartment (isolation.ts), whose global
 *   object holds only what Lambda gives a function. Its `require('pg')` returns the environment's
 *   `pg`, and `require('net')` the environment's virtual network.
 */
import { Buffer } from 'buffer';
import { EventEmitter } from '../host/polyfills.ts';
import { transform } from 'sucrase';
import { MODULE_GLOBALS, type ModuleGlobals } from './environment.ts';
import { format } from './format.ts';
import { evaluateIsolated, hardenShared } from './isolation.ts';

type Factory = (require: (name: string) => unknown, module: { exports: Record<string, unknown> }, exports: Record<string, unknown>, ...globals: unknown[]) => unknown;

export type CompiledModule =
  /** Engine code, compiled in the engine's own realm. */
  | { readonly kind: 'trusted'; readonly factory: Factory }
  /** A handler: a function expression evaluated in a new compartment per environment; its body runs as an async function (top-level await in INIT). */
  | { readonly kind: 'isolated'; readonly source: string };

/** The IAM signers compiled (host/signer-bundle.ts): each signer's own module, and the packages they share. */
export type CompiledSigners = { modules: Readonly<Record<string, CompiledModule>>; shared: CompiledModule };

export function compileCommonJs(code: string): CompiledModule {
  return { kind: 'trusted', factory: new Function('require', 'module', 'exports', ...MODULE_GLOBALS, code) as Factory };
}

/** A handler file (ESM or CommonJS, JavaScript or TypeScript) as CommonJS with top-level await allowed. */
export function compileHandler(source: string, fileName: string): CompiledModule {
  const transforms: Array<'imports' | 'typescript'> = ['imports'];
  if (/\.(m|c)?ts$/.test(fileName)) transforms.push('typescript');
  const { code } = transform(source, { transforms, filePath: fileName });
  // The environment's globals are also parameters, so the handler's references to them resolve
  // without a lookup through the compartment's global scope.
  const module: CompiledModule = { kind: 'isolated', source: `(async function (require, module, exports, ${MODULE_GLOBALS.join(', ')}) {${code}\n})\n//# sourceURL=/var/task/${fileName}` };
  // A syntax error surfaces here, once per run: evaluating the function expression runs none of its body.
  evaluateIsolated(module.source, {});
  return module;
}

export function instantiate(module: CompiledModule, globals: ModuleGlobals, require: (name: string) => unknown, isolatedGlobals: Readonly<Record<string, unknown>> = globals): Record<string, unknown> | Promise<Record<string, unknown>> {
  const record = { exports: {} as Record<string, unknown> };
  const args = MODULE_GLOBALS.map((name) => globals[name]);
  if (module.kind === 'trusted') {
    module.factory(require, record, record.exports, ...args);
    return record.exports;
  }
  const factory = evaluateIsolated(module.source, isolatedGlobals) as Factory;
  return (factory(require, record, record.exports, ...args) as Promise<unknown>).then(() => record.exports);
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
 * The Web Crypto calls `pg` makes (SCRAM authentication), as functions: the host's own `crypto`
 * object, shared by every run, is never handed to handler code.
 */
function webCryptoCalls() {
  const host = globalThis.crypto;
  const subtle: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of ['digest', 'importKey', 'exportKey', 'sign', 'verify', 'deriveBits', 'deriveKey'] as const) {
    subtle[name] = (...args: unknown[]) => (host.subtle[name] as (...a: unknown[]) => unknown).apply(host.subtle, args);
  }
  return {
    getRandomValues: <T extends ArrayBufferView | null>(array: T) => host.getRandomValues(array as never) as T,
    randomUUID: () => host.randomUUID(),
    subtle,
  };
}

/** Where the chapters' handlers read the RDS CA bundle: a Lambda layer's files are under /opt. */
export const RDS_CA_BUNDLE_PATH = '/opt/rds-global-bundle.pem';

/**
 * A stand-in for the bundle, labelled as one: the simulated TLS verifies nothing, so no real
 * certificate is needed, and a reader who prints the file sees what it is.
 */
const SIMULATED_CA_BUNDLE = [
  '# Simulated RDS CA bundle: the simulator negotiates TLS but neither encrypts nor verifies it.',
  '# In AWS, deploy https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem at this path.',
  '-----BEGIN CERTIFICATE-----',
  'U0lNVUxBVEVEIFJEUyBDQSBCVU5ETEU=',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** The one file a handler's module world has: the CA bundle; any other path is missing, as Node says. */
function readFileSync(path: unknown, options?: unknown): string | Buffer {
  if (path !== RDS_CA_BUNDLE_PATH) {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${String(path)}'`), { code: 'ENOENT', errno: -2, syscall: 'open', path: String(path) });
  }
  const encoding = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
  return encoding ? SIMULATED_CA_BUNDLE : Buffer.from(SIMULATED_CA_BUNDLE, 'utf8');
}

/**
 * Node built-ins `pg` requires, without Node: what it uses at load time (`util.deprecate`,
 * `util/types.isDate`, `crypto.webcrypto`), TLS as a pass-through, the CA bundle handlers read, and
 * placeholders that fail loudly if a code path the simulator does not model (pgpass files, DNS) is taken.
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
  crypto: { webcrypto: webCryptoCalls() },
  stream: { Stream: NotAStream, Transform: NotAStream, Readable: NotAStream, Writable: NotAStream, Duplex: NotAStream },
  string_decoder: { StringDecoder: class {} },
  path: { join: (...parts: string[]) => parts.join('/'), resolve: (...parts: string[]) => parts.join('/'), sep: '/' },
  fs: {
    stat: (_path: string, callback: (error: Error) => void) => callback(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })),
    readFileSync,
  },
  dns: unavailable('dns', 'hosts resolve through the virtual network'),
  // The virtual wire carries no encryption: a client that negotiated TLS (the virtual PostgreSQL and the
  // RDS Proxy model answer SSLRequest with S) keeps talking over the same socket, and no certificate is checked.
  tls: {
    connect(options: { socket?: unknown }) {
      if (!options?.socket) throw new Error('tls.connect is not available in the simulator: TLS is only negotiated on a database connection (pg\'s ssl option)');
      return options.socket;
    },
  },
};

let builtinsHardened = false;

/**
 * The built-ins, `Buffer` and `EventEmitter` are the engine's for every run: frozen before any
 * handler can reach them (through `require`, or a prototype chain: `process`, a `pg` client and a
 * virtual socket are all EventEmitters), so a handler cannot change them for the engine or a later run.
 */
export function hardenBuiltins(): void {
  if (builtinsHardened) return;
  hardenShared(builtins, [EventEmitter]);
  hardenShared(Buffer);
  builtinsHardened = true;
}

export function requireFor(modules: Readonly<Record<string, unknown>>): (name: string) => unknown {
  hardenBuiltins();
  return (name) => {
    const bare = name.startsWith('node:') ? name.slice(5) : name;
    if (Object.hasOwn(modules, bare)) return modules[bare];
    if (Object.hasOwn(builtins, bare)) return builtins[bare];
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

/**
 * The packages the IAM signers share (host/signer-bundle.ts), one instance per run. Their code reads
 * no global an environment owns, and gets none: shared code that read a clock would throw rather
 * than date a token with another environment's. Hardened, because a handler reaches some of it (a
 * signer's `sha256` is the shared SHA-256 class) and must not change it for the other environments.
 */
export function instantiateSignerPackages(module: CompiledModule): Readonly<Record<string, unknown>> {
  const none = Object.fromEntries(MODULE_GLOBALS.map((name) => [name, undefined])) as ModuleGlobals;
  return hardenShared((instantiate(module, none, requireFor({})) as { default: Record<string, unknown> }).default);
}
