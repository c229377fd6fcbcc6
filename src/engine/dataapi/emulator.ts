/**
 * The RDS Data API in front of one cluster: HTTP calls in, SQL over its own bounded pool of `pg`
 * connections out. Callers never hold a connection; they queue for one of the service's, which is
 * why a spike of callers cannot exhaust max_connections, and why each call pays the service's hop.
 */
import { dataApi as facts } from '../../facts/data-api.ts';
import type { Timers } from '../clock/timers.ts';
import { DataApiError, fromPostgres, QUERY_CANCELED, UNKNOWN_DATABASE, unknownDatabase } from './errors.ts';
import { columnMetadata, toField, toJsonValue, toPositional, type ColumnMetadata, type Field, type ResultField, type SqlParameter } from './sql.ts';

export interface PgQueryResult {
  rows: unknown[][];
  fields: ResultField[];
  rowCount: number | null;
  command: string;
}

export interface PgClientLike {
  query(config: { text: string; values?: unknown[]; rowMode: 'array'; types: { getTypeParser: () => (value: string) => string } }): Promise<PgQueryResult>;
  release(destroy?: boolean): void;
}

export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
  /** Connections the pool holds (idle or checked out), as `pg.Pool` counts them. */
  readonly totalCount: number;
  readonly idleCount: number;
}

export interface DataApiCluster {
  resourceArn: string;
  /** Secrets Manager ARN -> the login it holds (looked up as own properties only). */
  secrets: Readonly<Record<string, { username: string; password: string }>>;
  /** Why the HTTP endpoint cannot be enabled (e.g. a T instance class), or null when it is. */
  endpointUnavailable: string | null;
  /**
   * Opens the service's pool for one login and database. `statementTimeoutMs` is the session's
   * statement_timeout, so PostgreSQL itself cancels a statement that outlives its call.
   */
  openPool(login: { user: string; password: string; database: string; max: number; statementTimeoutMs: number }): PgPoolLike;
}

export interface DataApiOptions {
  timers: Timers;
  cluster: DataApiCluster;
  /** Charge `requestOverhead` per call (off for `connlab serve`, where the network is real). */
  latency: boolean;
  poolConnections?: number;
  /** The call timeout; the fact's 45 s unless a test needs a shorter one. */
  statementTimeoutMs?: number;
}

export const DATA_API_OPERATIONS = ['ExecuteStatement', 'BatchExecuteStatement', 'BeginTransaction', 'CommitTransaction', 'RollbackTransaction'] as const;
export type DataApiOperation = (typeof DATA_API_OPERATIONS)[number];

/** The restJson1 path of each operation. */
export const OPERATION_PATHS: Readonly<Record<string, DataApiOperation>> = {
  '/Execute': 'ExecuteStatement',
  '/BatchExecute': 'BatchExecuteStatement',
  '/BeginTransaction': 'BeginTransaction',
  '/CommitTransaction': 'CommitTransaction',
  '/RollbackTransaction': 'RollbackTransaction',
};

/** One login's pool; the service's connections to the cluster are shared among all of them. */
interface PoolEntry {
  pool: PgPoolLike;
  /** connect() calls not yet answered. */
  connecting: number;
  checkedOut: number;
}

interface Transaction {
  id: string;
  client: PgClientLike;
  startedAt: number;
  idle: unknown;
  cap: unknown;
  /** Calls on one transaction run one after the other, on its connection. */
  tail: Promise<unknown>;
}

export interface DataApiStats {
  requests: number;
  byOperation: Record<string, number>;
  errors: Record<string, number>;
  inFlight: number;
  peakInFlight: number;
  responsesTooLarge: number;
  statementTimeouts: number;
  transactionsExpired: number;
  /** Most service connections checked out at once. */
  peakConnectionsInUse: number;
}

/** The service's message when a result passes 1 MiB (or a row 64 KB). */
export const RESPONSE_TOO_LARGE = 'Database returned more than the allowed response size limit';

/** Bytes of `text` in UTF-8 (a lone surrogate as U+FFFD, as TextEncoder writes it), without encoding it: a result near the limit is a megabyte. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

export class DataApiEmulator {
  readonly stats: DataApiStats = { requests: 0, byOperation: {}, errors: {}, inFlight: 0, peakInFlight: 0, responsesTooLarge: 0, statementTimeouts: 0, transactionsExpired: 0, peakConnectionsInUse: 0 };
  readonly #timers: Timers;
  readonly #cluster: DataApiCluster;
  readonly #latency: boolean;
  readonly #poolConnections: number;
  readonly #statementTimeoutMs: number;
  /** Keyed by user and database, least recently used first. */
  readonly #pools = new Map<string, PoolEntry>();
  /** Calls waiting for one of the service's connections to come free. */
  readonly #waiting: Array<() => void> = [];
  readonly #transactions = new Map<string, Transaction>();
  #connectionsInUse = 0;
  #connecting = 0;

  constructor(options: DataApiOptions) {
    this.#timers = options.timers;
    this.#cluster = options.cluster;
    this.#latency = options.latency;
    this.#poolConnections = options.poolConnections ?? facts.poolConnections.value;
    this.#statementTimeoutMs = options.statementTimeoutMs ?? facts.statementTimeout.value;
  }

  /** One HTTP request: the operation from its path, the JSON body; the answer as the service sends it. */
  async respond(path: string, body: string): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
    const route = path.split('?')[0] ?? '';
    const operation = Object.hasOwn(OPERATION_PATHS, route) ? OPERATION_PATHS[route] : undefined;
    try {
      if (!operation) throw new DataApiError('NotFoundException', `connlab: the Data API emulator answers ${Object.keys(OPERATION_PATHS).join(', ')}; not ${path}`);
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        throw new DataApiError('BadRequestException', 'The request body is not valid JSON');
      }
      const output = await this.execute(operation, (input ?? {}) as Record<string, unknown>);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(output) };
    } catch (error) {
      const failure = error instanceof DataApiError ? error : new DataApiError('InternalServerErrorException', `connlab: ${(error as Error).message}`);
      return { statusCode: failure.statusCode, headers: { 'content-type': 'application/json', 'x-amzn-errortype': failure.type }, body: failure.toBody() };
    }
  }

  async execute(operation: DataApiOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const stats = this.stats;
    stats.requests++;
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    stats.inFlight++;
    if (stats.inFlight > stats.peakInFlight) stats.peakInFlight = stats.inFlight;
    try {
      await this.#overhead();
      const output = await this.#dispatch(operation, input);
      await this.#overhead();
      return output;
    } catch (error) {
      const name = error instanceof DataApiError ? error.type : 'InternalServerErrorException';
      stats.errors[name] = (stats.errors[name] ?? 0) + 1;
      if (error instanceof DataApiError && error.message === RESPONSE_TOO_LARGE) stats.responsesTooLarge++;
      await this.#overhead();
      throw error;
    } finally {
      stats.inFlight--;
    }
  }

  /** Rolls back open transactions and closes the pools. */
  async close(): Promise<void> {
    for (const transaction of [...this.#transactions.values()]) await this.#end(transaction, 'ROLLBACK').catch(() => {});
    await Promise.all([...this.#pools.values()].map((entry) => entry.pool.end().catch(() => {})));
    this.#pools.clear();
  }

  #overhead(): Promise<void> {
    if (!this.#latency) return Promise.resolve();
    // Half the service's cost on the way in, half on the way out.
    const ms = (facts.requestOverhead.value / 2) * (0.7 + 0.6 * this.#timers.random());
    return new Promise((resolve) => this.#timers.setTimeout(resolve, ms));
  }

  #dispatch(operation: DataApiOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resourceArn = requireString(input, 'resourceArn');
    if (resourceArn !== this.#cluster.resourceArn) throw new DataApiError('BadRequestException', `connlab: no cluster ${resourceArn}; this emulator serves ${this.#cluster.resourceArn}`);
    if (this.#cluster.endpointUnavailable) throw new DataApiError('HttpEndpointNotEnabledException', `HTTP endpoint isn't enabled for ${resourceArn}: ${this.#cluster.endpointUnavailable}`);
    switch (operation) {
      case 'ExecuteStatement':
        return this.#executeStatement(input);
      case 'BatchExecuteStatement':
        return this.#batchExecute(input);
      case 'BeginTransaction':
        return this.#begin(input);
      case 'CommitTransaction':
        return this.#finishTransaction(input, 'COMMIT');
      case 'RollbackTransaction':
        return this.#finishTransaction(input, 'ROLLBACK');
    }
  }

  #login(input: Record<string, unknown>): { user: string; password: string; database: string } {
    const secretArn = requireString(input, 'secretArn');
    const secrets = this.#cluster.secrets;
    // Own properties only: a secretArn of `constructor` or `__proto__` names no secret.
    const secret = Object.hasOwn(secrets, secretArn) ? secrets[secretArn] : undefined;
    if (!secret) throw new DataApiError('BadRequestException', `Error fetching secret ${secretArn} : Secrets Manager can't find the specified secret.`);
    if (typeof input.schema === 'string') throw new DataApiError('BadRequestException', 'The schema parameter isn\'t supported.');
    const database = typeof input.database === 'string' && input.database !== '' ? input.database : 'postgres';
    return { user: secret.username, password: secret.password, database };
  }

  /**
   * One of the service's connections for this login. All logins share the cluster's budget of
   * `poolConnections`: a login with no idle connection of its own closes another login's idle one
   * (least recently used first) or waits for a release, so a hundred database names cannot open a
   * hundred pools' worth of connections.
   */
  async #connect(login: { user: string; password: string; database: string }): Promise<PgClientLike> {
    const key = `${login.user}\0${login.database}`;
    for (;;) {
      let entry = this.#pools.get(key);
      if (entry) this.#pools.delete(key);
      else entry = { pool: this.#cluster.openPool({ ...login, max: this.#poolConnections, statementTimeoutMs: this.#statementTimeoutMs }), connecting: 0, checkedOut: 0 };
      this.#pools.set(key, entry);
      const budgetLeft = this.#connectionsInUse + this.#connecting < this.#poolConnections;
      if (budgetLeft && (entry.pool.idleCount > entry.connecting || this.#openConnections() < this.#poolConnections)) return this.#checkout(key, entry);
      if (!budgetLeft || !(await this.#closeIdleConnection(entry))) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  async #checkout(key: string, entry: PoolEntry): Promise<PgClientLike> {
    entry.connecting++;
    this.#connecting++;
    let client: PgClientLike;
    try {
      client = await entry.pool.connect();
    } catch (error) {
      this.#retireIfEmpty(key, entry);
      this.#wakeOne();
      throw asDataApiError(error);
    } finally {
      entry.connecting--;
      this.#connecting--;
    }
    entry.checkedOut++;
    this.#connectionsInUse++;
    if (this.#connectionsInUse > this.stats.peakConnectionsInUse) this.stats.peakConnectionsInUse = this.#connectionsInUse;
    let released = false;
    return {
      query: (config) => client.query(config),
      release: (destroy) => {
        if (released) return;
        released = true;
        entry.checkedOut--;
        this.#connectionsInUse--;
        client.release(destroy);
        this.#retireIfEmpty(key, entry);
        this.#wakeOne();
      },
    };
  }

  #openConnections(): number {
    let open = 0;
    for (const entry of this.#pools.values()) open += entry.pool.totalCount;
    return open;
  }

  /** Closes one idle connection of another login's pool; false when there is none. */
  async #closeIdleConnection(except: PoolEntry): Promise<boolean> {
    for (const [key, entry] of this.#pools) {
      if (entry === except || entry.pool.idleCount <= entry.connecting) continue;
      entry.connecting++;
      try {
        (await entry.pool.connect()).release(true);
      } finally {
        entry.connecting--;
        this.#retireIfEmpty(key, entry);
      }
      return true;
    }
    return false;
  }

  /** A pool with no connection and no caller is closed, so pools never outnumber connections. */
  #retireIfEmpty(key: string, entry: PoolEntry): void {
    if (entry.pool.totalCount > 0 || entry.connecting > 0 || entry.checkedOut > 0 || this.#pools.get(key) !== entry) return;
    this.#pools.delete(key);
    entry.pool.end().catch(() => {});
  }

  #wakeOne(): void {
    this.#waiting.shift()?.();
  }

  /** Runs `work` under the 45 s call timeout; `abandon` decides what happens to a statement still running. */
  #withTimeout<T>(work: Promise<T>, onLate: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = this.#timers.setTimeout(() => {
        if (settled) return;
        settled = true;
        this.stats.statementTimeouts++;
        onLate();
        reject(new DataApiError('StatementTimeoutException', 'Request timed out', { dbConnectionId: 0 }));
      }, this.#statementTimeoutMs);
      work.then(
        (value) => {
          if (settled) return;
          settled = true;
          this.#timers.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          this.#timers.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async #executeStatement(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sql = requireString(input, 'sql');
    const parameters = parametersOf(input.parameters);
    const statement = toPositional(sql, parameters);
    const format = input.formatRecordsAs === 'JSON' ? 'JSON' : 'NONE';
    const includeMetadata = input.includeResultMetadata === true;
    const continueAfterTimeout = input.continueAfterTimeout === true;
    const run = async (client: PgClientLike) => shape(await query(client, statement), format, includeMetadata);
    const transactionId = typeof input.transactionId === 'string' ? input.transactionId : null;
    if (transactionId !== null) return this.#inTransaction(input, transactionId, run);
    const login = this.#login(input);
    let client: PgClientLike | null = null;
    let late = false;
    const work = (async () => {
      client = await this.#connect(login);
      if (late && !continueAfterTimeout) {
        client.release();
        throw new DataApiError('StatementTimeoutException', 'Request timed out');
      }
      try {
        if (!continueAfterTimeout) return await run(client);
        // Asked to outlive the call (DDL, bulk loads): this one statement runs without the session's statement_timeout.
        await query(client, { text: 'SET statement_timeout = 0', values: [] });
        try {
          return await run(client);
        } finally {
          await query(client, { text: 'RESET statement_timeout', values: [] }).catch(() => {});
        }
      } finally {
        // PostgreSQL cancels a late statement itself (statement_timeout); the connection is closed
        // too, for a server that cannot cancel (PGlite runs a statement to its end).
        client.release(late && !continueAfterTimeout);
      }
    })();
    return this.#withTimeout(work, () => {
      late = true;
      if (client && !continueAfterTimeout) client.release(true);
      work.catch(() => {});
    });
  }

  async #batchExecute(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sql = requireString(input, 'sql');
    const sets = Array.isArray(input.parameterSets) && input.parameterSets.length > 0 ? (input.parameterSets as unknown[]).map(parametersOf) : [[]];
    const statements = sets.map((set) => toPositional(sql, set));
    const runAll = async (client: PgClientLike) => {
      const updateResults: Record<string, unknown>[] = [];
      for (const statement of statements) {
        await query(client, statement);
        updateResults.push({ generatedFields: [] });
      }
      return { updateResults };
    };
    const transactionId = typeof input.transactionId === 'string' ? input.transactionId : null;
    if (transactionId !== null) return this.#inTransaction(input, transactionId, runAll);
    // Outside a transaction the sets are applied all or none (modelled as one transaction).
    const client = await this.#connect(this.#login(input));
    let failed = false;
    try {
      return await this.#withTimeout(
        (async () => {
          await query(client, { text: 'BEGIN', values: [] });
          try {
            const result = await runAll(client);
            await query(client, { text: 'COMMIT', values: [] });
            return result;
          } catch (error) {
            await query(client, { text: 'ROLLBACK', values: [] }).catch(() => {});
            throw error;
          }
        })(),
        () => {
          failed = true;
        },
      );
    } finally {
      client.release(failed);
    }
  }

  async #begin(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const client = await this.#connect(this.#login(input));
    try {
      await query(client, { text: 'BEGIN', values: [] });
    } catch (error) {
      client.release(true);
      throw error;
    }
    const id = this.#newTransactionId();
    const transaction: Transaction = { id, client, startedAt: this.#timers.now(), idle: null, cap: null, tail: Promise.resolve() };
    transaction.cap = this.#timers.setTimeout(() => this.#expire(transaction), facts.transactionMaxLifetime.value);
    this.#touch(transaction);
    this.#transactions.set(id, transaction);
    return { transactionId: id };
  }

  #touch(transaction: Transaction): void {
    this.#timers.clearTimeout(transaction.idle);
    transaction.idle = this.#timers.setTimeout(() => this.#expire(transaction), facts.transactionIdleTimeout.value);
  }

  #expire(transaction: Transaction): void {
    if (!this.#transactions.has(transaction.id)) return;
    this.stats.transactionsExpired++;
    void this.#end(transaction, 'ROLLBACK').catch(() => {});
  }

  async #end(transaction: Transaction, verb: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    this.#transactions.delete(transaction.id);
    this.#timers.clearTimeout(transaction.idle);
    this.#timers.clearTimeout(transaction.cap);
    await transaction.tail.catch(() => {});
    try {
      await query(transaction.client, { text: verb, values: [] });
      transaction.client.release();
    } catch (error) {
      transaction.client.release(true);
      throw error;
    }
  }

  #find(transactionId: string): Transaction {
    const transaction = this.#transactions.get(transactionId);
    if (!transaction) throw new DataApiError('TransactionNotFoundException', `Transaction ${transactionId} is not found`);
    return transaction;
  }

  async #inTransaction<T>(input: Record<string, unknown>, transactionId: string, run: (client: PgClientLike) => Promise<T>): Promise<T> {
    this.#login(input);
    const transaction = this.#find(transactionId);
    this.#touch(transaction);
    const result = transaction.tail.catch(() => {}).then(() => run(transaction.client));
    transaction.tail = result;
    try {
      return await this.#withTimeout(result, () => {});
    } finally {
      if (this.#transactions.has(transactionId)) this.#touch(transaction);
    }
  }

  async #finishTransaction(input: Record<string, unknown>, verb: 'COMMIT' | 'ROLLBACK'): Promise<Record<string, unknown>> {
    this.#login(input);
    const transaction = this.#find(requireString(input, 'transactionId'));
    await this.#end(transaction, verb);
    return { transactionStatus: verb === 'COMMIT' ? 'Transaction Committed' : 'Rollback Complete' };
  }

  #newTransactionId(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let id = '';
    for (let i = 0; i < 64; i++) id += alphabet[Math.floor(this.#timers.random() * 64)];
    return id;
  }
}

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new DataApiError('BadRequestException', `${name} is required`);
  return value;
}

function parametersOf(value: unknown): SqlParameter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DataApiError('BadRequestException', 'parameters must be a list');
  return value as SqlParameter[];
}

function asDataApiError(error: unknown): DataApiError {
  if (error instanceof DataApiError) return error;
  const e = error as { message?: string; code?: string; severity?: string };
  // A PostgreSQL error carries a five-character SQLSTATE; socket errors carry errno names.
  if (e?.code === UNKNOWN_DATABASE) return unknownDatabase(e as { message: string });
  // PostgreSQL's own statement_timeout (the session's, set to the call timeout) is the service's timeout.
  if (e?.code === QUERY_CANCELED && /statement timeout/.test(e.message ?? '')) return new DataApiError('StatementTimeoutException', 'Request timed out', { dbConnectionId: 0 });
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return fromPostgres(e as { message: string });
  return new DataApiError('InternalServerErrorException', `connlab: ${e?.message ?? String(error)}`);
}

const TEXT = { getTypeParser: () => (value: string) => value };

async function query(client: PgClientLike, statement: { text: string; values: unknown[] }): Promise<PgQueryResult> {
  try {
    return await client.query({ text: statement.text, values: statement.values, rowMode: 'array', types: TEXT });
  } catch (error) {
    throw asDataApiError(error);
  }
}

function shape(result: PgQueryResult, format: 'NONE' | 'JSON', includeMetadata: boolean): Record<string, unknown> {
  const command = (result.command ?? '').toUpperCase();
  const returnsRows = result.fields.length > 0;
  const out: Record<string, unknown> = {};
  if (includeMetadata && returnsRows) out.columnMetadata = result.fields.map(columnMetadata) satisfies ColumnMetadata[];
  if (returnsRows) {
    const records: Field[][] = result.rows.map((row) => row.map((value, i) => toField(value as string | null, result.fields[i]!.dataTypeID)));
    // Each record's JSON measured once, and, for `records`, the response as it grows (`[`, the
    // records, a comma or `]` after each): a too-large result fails the call whichever record
    // crosses the limit, so the measuring stops there.
    let recordsBytes = 1;
    for (const record of records) {
      const bytes = utf8Length(JSON.stringify(record));
      recordsBytes += bytes + 1;
      if (bytes > facts.maxRowBytes.value || (format !== 'JSON' && recordsBytes > facts.maxResponseBytes.value)) throw new DataApiError('BadRequestException', RESPONSE_TOO_LARGE);
    }
    if (format === 'JSON') {
      const payload = JSON.stringify(records.map((record) => Object.fromEntries(record.map((field, i) => [result.fields[i]!.name, toJsonValue(field)]))));
      if (utf8Length(payload) > facts.maxResponseBytes.value) throw new DataApiError('BadRequestException', RESPONSE_TOO_LARGE);
      out.formattedRecords = payload;
    } else out.records = records;
  }
  out.numberOfRecordsUpdated = returnsRows && command === 'SELECT' ? 0 : (result.rowCount ?? 0);
  // PostgreSQL reports no generated keys through the Data API: RETURNING gives them as records.
  if (!returnsRows || command !== 'SELECT') out.generatedFields = [];
  return out;
}
