/**
 * What the doctor knows about a handler file, whatever its language: the connections, pools and
 * engines it creates, the SQL it sends, the IAM tokens it signs. The JavaScript/TypeScript and the
 * Python readers (./javascript.ts, ./python.ts) build this from a Lezer syntax tree; the rules
 * (./rules/) read only this, so one rule covers every language.
 */

export type Language = 'javascript' | 'typescript' | 'python';

/**
 * The language a file name says, or undefined when the doctor reads no such file. Here, not beside
 * the parsers (analyze.ts): the doctor's page asks it before any code is there to parse.
 */
export function languageOf(path: string): Language | undefined {
  if (/\.(py)$/i.test(path)) return 'python';
  if (/\.(ts|mts|cts)$/i.test(path) && !/\.d\.[mc]?ts$/i.test(path)) return 'typescript';
  if (/\.(js|mjs|cjs)$/i.test(path)) return 'javascript';
  return undefined;
}

/** A range in the file: 1-based lines and columns where it starts and ends, and its character offsets. */
export interface Place {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  from: number;
  to: number;
}

/** What the doctor can tell about an expression without running it. */
export type Value =
  | { kind: 'number'; value: number }
  /** A string known in full: a literal, a template or f-string without substitutions, or literals joined with +. */
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'none' }
  /** process.env.X, os.environ["X"], os.getenv("X"). */
  | { kind: 'env'; name: string | undefined }
  | { kind: 'object'; options: Options }
  | { kind: 'function' }
  /** A string put together from pieces at run time: how, and the literal text around the pieces. */
  | { kind: 'built'; how: 'concatenation' | 'interpolation' | 'format'; literal: string }
  | { kind: 'unknown' };

export interface Option {
  value: Value;
  place: Place;
}

/** Named settings (an object literal's properties, Python keyword arguments), nested objects included. */
export interface Options {
  entries: Map<string, Option>;
  /** `...config` or `**kwargs`: settings the doctor cannot see, so it claims nothing is missing. */
  open: boolean;
}

/**
 * When code runs: once per execution environment (INIT, or a cache filled on first use), per
 * invocation (the handler and what it calls), or elsewhere: in a function the handler does not reach
 * (a factory a cache calls, a helper of a file without a handler), about which the doctor claims nothing.
 */
export type Scope = 'init' | 'invocation' | 'elsewhere';

export type Driver = 'pg' | 'psycopg2' | 'psycopg' | 'pg8000' | 'sqlalchemy';

/** A database connection, pool or engine the file creates. */
export interface Creation {
  driver: Driver;
  /** client: one connection; pool: a driver pool; engine: SQLAlchemy's engine (a pool behind it). */
  shape: 'client' | 'pool' | 'engine';
  /** The constructor or function as written after import aliases are resolved, e.g. `pg.Pool`, `psycopg2.connect`. */
  callee: string;
  place: Place;
  scope: Scope;
  /** The variable that holds it, when it is assigned to one. */
  binding: string | undefined;
  options: Options;
  /** Python positional arguments (psycopg2's pool takes minconn, maxconn first). */
  positional: Value[];
  /** The connection string or DSN, when one is given. */
  connectionString: Option | undefined;
}

/** SQL sent to the database: a pg query, a cursor's execute, a Data API statement. */
export interface Query {
  sql: Value;
  place: Place;
  scope: Scope;
  /** Where pg's query config gives a `name`: a named, server-side prepared statement. */
  named: Place | undefined;
}

/** A call that signs an IAM authentication token (Signer.getAuthToken, generate_db_auth_token). */
export interface TokenSigning {
  place: Place;
  /** init: made once and kept (module level, or stored in a module variable); invocation: made when needed. */
  scope: Scope;
}

/** `x.end()` / `x.close()` on a variable, with where it runs. */
export interface Closing {
  binding: string;
  place: Place;
  scope: Scope;
}

/** A secret fetched from Secrets Manager (GetSecretValueCommand, getSecretValue, get_secret_value). */
export interface SecretRead {
  place: Place;
  /** init: fetched once and kept (module level, or stored by a function that fills a module-level cache); otherwise fetched when needed. */
  scope: Scope;
}

export interface HandlerFacts {
  language: Language;
  /** Where the handler is defined, when the file has one the doctor recognises. */
  handler: { name: string; place: Place } | undefined;
  creations: Creation[];
  queries: Query[];
  tokenSignings: TokenSigning[];
  closings: Closing[];
  /** Variables with an `error` listener (`pool.on('error', …)`). */
  errorListeners: Set<string>;
  /** The exception classes the file catches, as written (Python: `psycopg2.OperationalError`). */
  caught: string[];
  /** Awaits of something other than the database between BEGIN and COMMIT on the same client (JavaScript). */
  transactionWaits: Place[];
  secretReads: SecretRead[];
  /** The file reacts to a refused login: a string or name that says 28P01, invalid_password or "password authentication failed". */
  handlesRefusedLogin: boolean;
  /** Where the file handles SIGTERM (`process.on('SIGTERM', …)`, `signal.signal(signal.SIGTERM, …)`). */
  shutdownHandlers: Place[];
  /** Variables a SIGTERM handler closes (`pool.end()`; Python `close`, `closeall`, `dispose`). */
  closedOnShutdown: Set<string>;
  /** The file registers an internal extension with the Extensions API, so Lambda sends the runtime SIGTERM before shutdown. */
  registersExtension: boolean;
}

/** A file's facts before its reader has found any. */
export const noFacts = (language: Language, handler: HandlerFacts['handler']): HandlerFacts => ({
  language,
  handler,
  creations: [],
  queries: [],
  tokenSignings: [],
  closings: [],
  errorListeners: new Set(),
  caught: [],
  transactionWaits: [],
  secretReads: [],
  handlesRefusedLogin: false,
  shutdownHandlers: [],
  closedOnShutdown: new Set(),
  registersExtension: false,
});
