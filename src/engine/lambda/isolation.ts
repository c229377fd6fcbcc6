/**
 * Where untrusted handler code runs: Hardened JavaScript (the `ses` package), the same in the page's
 * Worker and in Node.
 *
 * - `lockdown()` once per process (the Worker, or a Node process that runs a sandbox) freezes every
 *   JavaScript intrinsic: a handler cannot replace `Promise`, `Date`, `Math`, `Array.prototype.push`
 *   or add `Object.prototype.toJSON`, so nothing it does to them reaches the engine or a later run.
 * - Each execution environment evaluates its handler in its own `Compartment`: a fresh global object
 *   holding the (frozen, shared) intrinsics and only what Lambda code may use (see `environmentGlobals`).
 *   `self`, `postMessage`, `fetch`, `WebSocket`, `EventSource`, `Worker`, `importScripts` and Node's
 *   real `process` are not on it; `globalThis.x` lives and dies with its environment.
 * - The host objects a handler can reach through its modules (`Buffer`, `EventEmitter` and the
 *   classes built on it, the `net` module) are shared by every run, so they are hardened
 *   (deep-frozen) before a handler sees them: see `hardenShared`. The AWS SDK is not shared: each
 *   run evaluates its own instance (engine/aws/sdk-instance.ts), so a change to its deep objects
 *   (prototypes, schemas, registries) ends with the run; `freezeSurfaces` guards its exports
 *   within the run. `pg` is evaluated once per run, its classes frozen, each environment with its
 *   own module object (driver.ts); the IAM signers per environment, their stateless packages per
 *   run (hardened: a handler reaches their SHA-256 class).
 *
 * Why this and not a fresh realm per run: a Worker cannot create a realm (no iframe, no ShadowRealm),
 * a Worker per run would still hand the handler its `postMessage`, and Node would need `vm`, so the
 * two hosts would differ. Lockdown is compatible with PGlite, `pg`, the `buffer`/`events` polyfills
 * and the AWS SDK with the options below (the tests under tests/engine/lambda run them all locked down).
 */
import 'ses';

/**
 * - errorTaming 'unsafe': keep V8's `stack` on errors (the engine's own error reports and the test
 *   runner need it); handler code learns nothing from it that it could not print itself.
 * - overrideTaming 'moderate': assignments such as `error.name = 'X'` or `obj.toString = f` keep
 *   working on objects that inherit a frozen property (the "override mistake"), as libraries expect.
 * - consoleTaming 'unsafe', stackFiltering 'verbose': leave the host's console and stacks alone;
 *   reporting 'none': no console group listing the non-standard intrinsics lockdown removes (the
 *   Iterator helper proposals in Chromium), which nothing here uses.
 * - errorTrapping / unhandledRejectionTrapping 'none': the hosts route their own errors and
 *   unhandled rejections (EngineHost.onUnhandledRejection); lockdown must not install handlers.
 * - evalTaming 'unsafe-eval': the start compartment keeps `Function`, with which the engine builds
 *   its own trusted module factories (`pg`, the signer); handler code only ever sees a compartment's.
 */
const LOCKDOWN_OPTIONS = {
  errorTaming: 'unsafe',
  overrideTaming: 'moderate',
  consoleTaming: 'unsafe',
  stackFiltering: 'verbose',
  reporting: 'none',
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
  evalTaming: 'unsafe-eval',
  domainTaming: 'unsafe',
} as const;

/** Locks the realm down once; a realm already locked down (by an earlier import of this module) is left as it is. */
export function ensureLockdown(): void {
  if (Object.isFrozen(Array.prototype) && Object.isFrozen(Object.prototype)) return;
  lockdown(LOCKDOWN_OPTIONS);
}

let runsWithoutStacks = 0;
let limitOutsideRuns = 10;

/**
 * Runs `work` with V8's stack capture off: errors created meanwhile carry their name and message,
 * and `stack` holds only that first line. Under lockdown each `new Error` captures its stack twice
 * (SES's Error constructor calls `captureStackTrace` on what V8 captured already), and the real `pg`
 * makes one per connection end and per server error: in a direct-connection spike that is 14% of
 * the run, for stacks nothing reads. Overlapping calls share one switch, restored by the last to end.
 */
export async function withoutErrorStacks<T>(work: () => Promise<T>): Promise<T> {
  if (runsWithoutStacks++ === 0) {
    limitOutsideRuns = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  }
  try {
    return await work();
  } finally {
    if (--runsWithoutStacks === 0) Error.stackTraceLimit = limitOutsideRuns;
  }
}

/**
 * SES rejects source text containing `import(` or an HTML comment token (`<!--`, `-->`), even inside
 * a string, because a script would read them differently from a module. Evading rewrites them
 * (`i-->0` keeps its meaning as `i-- >0`); dynamic `import()` is not available to handlers either way.
 */
const EVALUATE_OPTIONS = { __evadeHtmlCommentTest__: true, __evadeImportExpressionTest__: true } as never;

/** Evaluates `source` (an expression) in a new compartment whose global object also holds `globals`. */
export function evaluateIsolated(source: string, globals: Readonly<Record<string, unknown>>): unknown {
  ensureLockdown();
  const compartment = new Compartment({ __options__: true, globals: { ...globals } });
  // Node code reads the global object as `global` too.
  compartment.globalThis.global = compartment.globalThis;
  return compartment.evaluate(source, EVALUATE_OPTIONS);
}

/**
 * A data property on a prototype that instances assign (EventEmitter's `_events`, `_maxListeners`,
 * Node's symbol-keyed flags) would become read-only for every instance once the prototype is
 * frozen. As SES does for the intrinsics (its "override taming"), such a property becomes an
 * accessor whose setter gives the instance its own property, and which refuses writes to the
 * prototype itself.
 */
function enableOverrides(prototype: object): void {
  for (const key of Reflect.ownKeys(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
    if (!('value' in descriptor) || !descriptor.writable || !descriptor.configurable || typeof descriptor.value === 'function') continue;
    const value: unknown = descriptor.value;
    Object.defineProperty(prototype, key, {
      configurable: false,
      enumerable: descriptor.enumerable ?? false,
      get: () => value,
      set(this: object, next: unknown) {
        if (this === prototype) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a shared prototype`);
        Object.defineProperty(this, key, { value: next, writable: true, enumerable: descriptor.enumerable ?? false, configurable: true });
      },
    });
  }
}

const prepared = new WeakSet<object>();

/**
 * Deep-freezes host objects every run shares before any handler can reach them. Classes whose
 * instances assign properties their prototype defines (`EventEmitter` first among them) are made
 * override-safe first, so freezing them changes nothing for their own code.
 */
export function hardenShared<T>(value: T, classesAssigningProtoFields: ReadonlyArray<{ prototype: object }> = []): T {
  ensureLockdown();
  for (const cls of classesAssigningProtoFields) {
    if (prepared.has(cls.prototype) || Object.isFrozen(cls.prototype)) continue;
    enableOverrides(cls.prototype);
    prepared.add(cls.prototype);
  }
  return harden(value);
}

/**
 * Freezes the module objects of the AWS SDK packages of a run, with each exported function or class
 * and its prototype chain: one environment cannot replace `Client.prototype.send` or a command's
 * middleware for the other environments of the run. Shallow on purpose: the SDK memoises into its
 * schema objects (`normalizedTraits`, namespace symbols), so deep-freezing it (`harden`) breaks
 * every call. Later runs are safe either way: each gets its own SDK (engine/aws/sdk-instance.ts).
 */
export function freezeSurfaces<T extends Readonly<Record<string, unknown>>>(modules: T): T {
  ensureLockdown();
  const freezeChain = (start: object | null) => {
    for (let object = start; object !== null && !Object.isFrozen(object); object = Object.getPrototypeOf(object) as object | null) Object.freeze(object);
  };
  for (const module of Object.values(modules)) {
    if (module === null || typeof module !== 'object') continue;
    for (const value of Object.values(module)) {
      if (typeof value !== 'function') continue;
      freezeChain(value);
      if (value.prototype && typeof value.prototype === 'object') freezeChain(value.prototype as object);
    }
    Object.freeze(module);
  }
  return Object.freeze(modules);
}
