/**
 * An RDS Proxy for PostgreSQL, independent of the transport: the virtual network (virtual.ts) and
 * real TCP (tcp.ts) both feed it bytes.
 *
 * Clients connect to the proxy and authenticate to it (a password as the proxy's Secrets Manager
 * secret holds it, or an IAM token). The proxy keeps a pool of database connections, logged in with
 * the secret's credentials, capped at MaxConnectionsPercent of the target's max_connections (less
 * what it keeps for itself). A client borrows one per transaction, or per statement in autocommit,
 * and gives it back when ReadyForQuery says `I`, unless a statement pinned the session (pinning.ts):
 * then the connection stays with the client until it disconnects. A client that finds no
 * connection waits in the borrow queue for up to ConnectionBorrowTimeout, then gets
 * `Timed-out waiting to acquire database connection.`. IdleClientTimeout closes client connections
 * that sent nothing for that long.
 */
import { Buffer } from 'buffer';
import { protocolErrors, type ErrorFields } from '../../facts/postgres.ts';
import { pinReasons, proxyErrors, proxySettings, type ProxyErrorFields } from '../../facts/rds-proxy.ts';
import * as wire from '../postgres/wire.ts';
import { ScramClient, verifyIamToken } from './auth.ts';
import { ProxyMetrics } from './metrics.ts';
import { pinsFor, type Pin } from './pinning.ts';

export interface ProxyTimer {
  cancel(): void;
}

/** Time as the proxy sees it: virtual in the simulation, real on TCP. */
export interface ProxyClock {
  now(): number;
  /** Wall time in ms since the Unix epoch, for IAM token expiry. */
  epochMs(): number;
  after(ms: number, run: () => void): ProxyTimer;
  /** Real asynchronous work (WebCrypto): the virtual clock must wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
}

/** The proxy's end of one client connection. */
export interface ClientTransport {
  /** Sends bytes after `delayMs` of proxy time, in order. */
  send(bytes: Buffer, delayMs: number): void;
  /** Closes the connection (FIN) after what was sent. */
  close(): void;
}

export interface DatabaseEvents {
  connected(): void;
  data(bytes: Buffer): void;
  closed(why: string): void;
}

export interface DatabaseTransport {
  write(bytes: Buffer): void;
  close(): void;
}

export type DatabaseConnector = (events: DatabaseEvents) => DatabaseTransport;

export interface ProxyAuth {
  /** Secrets Manager secrets: user -> password. The proxy logs in to the database with them. */
  secrets: Readonly<Record<string, string>>;
  /** IAMAuth of the proxy's auth config: REQUIRED makes clients present an IAM token instead of the password. */
  iam: 'DISABLED' | 'REQUIRED';
  /** Region the proxy is in (IAM tokens are signed for it). */
  region: string;
  /** What IAM knows: access key id -> secret access key. */
  iamCredentials: Readonly<Record<string, string>>;
}

export interface ProxyCosts {
  clientSetupMs: number;
  iamVerificationMs: number;
  addedLatencyMs: number;
}

export interface ProxyOptions {
  name: string;
  /** The proxy endpoint, `host:port`, as clients (and IAM tokens) name it. */
  endpoint: string;
  targetMaxConnections: number;
  maxConnectionsPercent: number;
  maxIdleConnectionsPercent: number;
  connectionBorrowTimeoutMs: number;
  idleClientTimeoutMs: number;
  reservedForProxy: number;
  databaseIdleAfterMs: number;
  auth: ProxyAuth;
  /** Whether the proxy answers SSLRequest with `S` (a TLS session follows) or `N`. */
  acceptsTls: boolean;
  costs: ProxyCosts;
  /** Log in to this database whatever the client asked for (connlab proxy's --target). */
  databaseOverride?: string;
  /** What one client connection may have buffered (proxySettings.clientBufferCap when left out). */
  clientBufferCapBytes?: number;
  /** How long a client may take to log in (proxySettings.clientStartupTimeout when left out). */
  clientStartupTimeoutMs?: number;
}

export interface ProxyObserver {
  event?(
    kind: 'pin' | 'borrow-timeout' | 'auth-failed' | 'client-idle-timeout' | 'client-startup-timeout' | 'protocol-violation' | 'database-setup-failed' | 'database-closed',
    text: string,
  ): void;
  pinned?(pin: Pin, session: string, newlyPinned: boolean): void;
}

export interface ClientHandle {
  receive(bytes: Buffer): void;
  /** The client closed (FIN or RST). */
  closed(): void;
}

export interface ProxyStats {
  clientConnectionsReceived: number;
  clientConnectionsSetupSucceeded: number;
  clientConnectionsSetupFailedAuth: number;
  clientConnectionsClosedIdle: number;
  databaseConnectionsSetupSucceeded: number;
  databaseConnectionsSetupFailed: number;
  borrows: number;
  borrowTimeouts: number;
  pinnedSessions: number;
  pinsByReason: Record<string, number>;
  queryRequests: number;
  peakClientConnections: number;
  peakDatabaseConnections: number;
  peakPinned: number;
  peakBorrowed: number;
  peakWaiting: number;
}

const errorBytes = (fields: ProxyErrorFields, detail: Record<string, string> = {}): Buffer => wire.errorResponse({ S: fields.S, V: fields.V, C: fields.C, M: fields.M, ...detail });
/** PostgreSQL's own startup errors, field for field: the proxy answers a malformed startup as the database would. */
const postgresErrorBytes = (fields: ErrorFields, message = fields.M): Buffer => wire.errorResponse({ S: fields.S, V: fields.V, C: fields.C, M: message, F: fields.F, R: fields.R });

interface Round {
  bytes: Buffer[];
  /** ReadyForQuery messages the round will produce (one per Query, Sync or FunctionCall). */
  readies: number;
  texts: Array<{ sql: string; named: boolean }>;
}

export class RdsProxy {
  readonly options: ProxyOptions;
  readonly clock: ProxyClock;
  readonly metrics: ProxyMetrics;
  readonly stats: ProxyStats = {
    clientConnectionsReceived: 0,
    clientConnectionsSetupSucceeded: 0,
    clientConnectionsSetupFailedAuth: 0,
    clientConnectionsClosedIdle: 0,
    databaseConnectionsSetupSucceeded: 0,
    databaseConnectionsSetupFailed: 0,
    borrows: 0,
    borrowTimeouts: 0,
    pinnedSessions: 0,
    pinsByReason: {},
    queryRequests: 0,
    peakClientConnections: 0,
    peakDatabaseConnections: 0,
    peakPinned: 0,
    peakBorrowed: 0,
    peakWaiting: 0,
  };
  readonly #connector: DatabaseConnector;
  readonly #observer: ProxyObserver;
  readonly clients = new Set<ProxyClient>();
  readonly connections = new Set<DatabaseConnection>();
  readonly idle: DatabaseConnection[] = [];
  readonly waiters: ProxyClient[] = [];
  /** Authenticated clients waiting for the first database connection's ParameterStatus. */
  readonly startupWaiters: ProxyClient[] = [];
  parameterStatus: Buffer | null = null;
  #nextPid = 50_000;

  constructor(options: ProxyOptions, clock: ProxyClock, connector: DatabaseConnector, observer: ProxyObserver = {}) {
    this.options = options;
    this.clock = clock;
    this.#connector = connector;
    this.#observer = observer;
    this.metrics = new ProxyMetrics(() => clock.now());
    this.metrics.gauge('MaxDatabaseConnectionsAllowed', this.maxDatabaseConnections);
  }

  /** MaxDatabaseConnectionsAllowed: MaxConnectionsPercent of max_connections, less the proxy's own. */
  get maxDatabaseConnections(): number {
    const { targetMaxConnections, maxConnectionsPercent, reservedForProxy } = this.options;
    return Math.max(1, Math.floor((targetMaxConnections * maxConnectionsPercent) / 100) - reservedForProxy);
  }

  /** Idle connections kept: MaxIdleConnectionsPercent of max_connections. */
  get maxIdleConnections(): number {
    return Math.floor((this.options.targetMaxConnections * this.options.maxIdleConnectionsPercent) / 100);
  }

  accept(transport: ClientTransport): ClientHandle {
    const client = new ProxyClient(this, transport, this.#nextPid++);
    this.clients.add(client);
    this.stats.clientConnectionsReceived++;
    this.gauges();
    return { receive: (bytes) => client.receive(bytes), closed: () => client.close('client') };
  }

  event(kind: Parameters<NonNullable<ProxyObserver['event']>>[0], text: string): void {
    this.#observer.event?.(kind, text);
  }

  pinned(pin: Pin, session: string, newly: boolean): void {
    this.stats.pinsByReason[pin.reason] = (this.stats.pinsByReason[pin.reason] ?? 0) + 1;
    if (newly) this.stats.pinnedSessions++;
    this.#observer.pinned?.(pin, session, newly);
    this.event('pin', `${session} ${newly ? 'pinned' : 'pin (already pinned)'}: ${pin.reason}: ${pin.statement.length > 200 ? `${pin.statement.slice(0, 200)}…` : pin.statement}`);
    this.gauges();
  }

  gauges(): void {
    const stats = this.stats;
    let borrowed = 0;
    let pinned = 0;
    let open = 0;
    for (const connection of this.connections) {
      if (connection.phase === 'ready') open++;
      if (connection.owner) {
        borrowed++;
        if (connection.owner.pin) pinned++;
      }
    }
    stats.peakClientConnections = Math.max(stats.peakClientConnections, this.clients.size);
    stats.peakDatabaseConnections = Math.max(stats.peakDatabaseConnections, open);
    stats.peakPinned = Math.max(stats.peakPinned, pinned);
    stats.peakBorrowed = Math.max(stats.peakBorrowed, borrowed);
    stats.peakWaiting = Math.max(stats.peakWaiting, this.waiters.length);
    const m = this.metrics;
    m.gauge('ClientConnections', this.clients.size);
    m.gauge('DatabaseConnections', open);
    m.gauge('DatabaseConnectionsCurrentlyBorrowed', borrowed);
    m.gauge('DatabaseConnectionsCurrentlySessionPinned', pinned);
    m.gauge('BorrowQueueLength', this.waiters.length);
  }

  /** Queue a client for a connection of its (user, database); it gets one through `#grant`. */
  borrow(client: ProxyClient): void {
    client.waitingSince = this.clock.now();
    const own = this.#takeIdle(client.key);
    if (own) {
      this.#grant(own, client);
      return;
    }
    this.waiters.push(client);
    client.borrowTimer = this.clock.after(this.options.connectionBorrowTimeoutMs, () => this.#borrowTimedOut(client));
    this.#open();
    this.gauges();
  }

  #takeIdle(key: string): DatabaseConnection | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const connection = this.idle[i]!;
      if (connection.key === key) {
        this.idle.splice(i, 1);
        connection.idleTimer?.cancel();
        connection.idleTimer = null;
        return connection;
      }
    }
    return undefined;
  }

  /** Open connections for waiters no opening connection will serve, within the cap (proxySettings.connectionsOpenedPerWaitingClient). */
  #open(): void {
    let opening = [...this.connections].filter((c) => c.phase !== 'ready' && c.phase !== 'closed').length;
    for (const waiter of this.waiters) {
      if (opening > 0) {
        opening--;
        continue;
      }
      if (this.connections.size >= this.maxDatabaseConnections) {
        // At the cap: an idle connection of another user or database makes room.
        const other = this.idle.shift();
        if (!other) return;
        other.close('make room for another user or database');
      }
      const user = waiter.user;
      const password = this.options.auth.secrets[user] ?? '';
      const database = this.options.databaseOverride ?? waiter.database;
      new DatabaseConnection(this, this.#connector, user, password, database);
    }
  }

  #grant(connection: DatabaseConnection, client: ProxyClient): void {
    client.borrowTimer?.cancel();
    client.borrowTimer = null;
    const waited = this.clock.now() - client.waitingSince;
    this.stats.borrows++;
    this.metrics.latency('DatabaseConnectionsBorrowLatency', waited * 1000);
    connection.owner = client;
    client.connection = connection;
    this.gauges();
    client.granted();
  }

  #borrowTimedOut(client: ProxyClient): void {
    client.borrowTimer = null;
    const index = this.waiters.indexOf(client);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    this.stats.borrowTimeouts++;
    this.metrics.count('BorrowTimeouts');
    this.event('borrow-timeout', `${client.name} waited ${this.options.connectionBorrowTimeoutMs} ms: ${proxyErrors.borrowTimeout.value.M}`);
    this.gauges();
    client.borrowFailed();
  }

  /** A connection is free: the first waiter for its key gets it, else it idles. */
  release(connection: DatabaseConnection): void {
    connection.owner = null;
    if (connection.phase !== 'ready') return;
    const index = this.waiters.findIndex((w) => w.key === connection.key);
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      this.#grant(connection, waiter!);
      return;
    }
    if (this.waiters.length > 0) {
      // Someone waits for another user or database: this connection makes room for theirs.
      connection.close('make room for another user or database');
      this.#open();
      return;
    }
    this.idle.push(connection);
    connection.idleTimer = this.clock.after(this.options.databaseIdleAfterMs, () => {
      connection.idleTimer = null;
      const idleCount = this.idle.length;
      if (idleCount > this.maxIdleConnections && this.idle.includes(connection)) connection.close('idle beyond MaxIdleConnectionsPercent');
    });
    this.gauges();
  }

  connectionReady(connection: DatabaseConnection): void {
    this.stats.databaseConnectionsSetupSucceeded++;
    this.parameterStatus ??= connection.parameterStatus;
    this.release(connection);
  }

  connectionClosed(connection: DatabaseConnection, why: string, failedSetup: boolean): void {
    this.connections.delete(connection);
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    connection.idleTimer?.cancel();
    if (failedSetup) {
      this.stats.databaseConnectionsSetupFailed++;
      this.event('database-setup-failed', why);
    } else if (!why.startsWith('proxy:')) this.event('database-closed', why);
    const owner = connection.owner;
    connection.owner = null;
    if (owner) owner.connectionLost(why);
    this.gauges();
  }

  settleStartups(ok: boolean): void {
    const waiting = this.startupWaiters.splice(0);
    for (const client of waiting) client.startupSettled(ok);
  }

  clientClosed(client: ProxyClient): void {
    this.clients.delete(client);
    const index = this.waiters.indexOf(client);
    if (index >= 0) this.waiters.splice(index, 1);
    const startup = this.startupWaiters.indexOf(client);
    if (startup >= 0) {
      this.startupWaiters.splice(startup, 1);
      // The one that borrowed for all of them left: the next one borrows.
      if (startup === 0 && this.startupWaiters.length > 0 && !this.waiters.includes(this.startupWaiters[0]!)) this.borrow(this.startupWaiters[0]!);
    }
    this.gauges();
  }

  track(connection: DatabaseConnection): void {
    this.connections.add(connection);
  }
}

/** One client connection to the proxy. */
export class ProxyClient {
  readonly #proxy: RdsProxy;
  readonly #transport: ClientTransport;
  readonly pid: number;
  phase: 'startup' | 'auth' | 'ready' | 'closed' = 'startup';
  tls = false;
  user = '';
  database = '';
  connection: DatabaseConnection | null = null;
  pin: Pin | null = null;
  waitingSince = 0;
  borrowTimer: ProxyTimer | null = null;
  #idleTimer: ProxyTimer | null = null;
  #startupTimer: ProxyTimer | null;
  readonly #framer: wire.FrontendFramer;
  #batch: Round = { bytes: [], readies: 0, texts: [] };
  #batchBytes = 0;
  #rounds: Round[] = [];
  /** Bytes of the rounds waiting for a database connection. */
  #roundsBytes = 0;
  #waitingForStartup = false;
  #authBusy = false;

  constructor(proxy: RdsProxy, transport: ClientTransport, pid: number) {
    this.#proxy = proxy;
    this.#transport = transport;
    this.pid = pid;
    const cap = proxy.options.clientBufferCapBytes ?? proxySettings.clientBufferCap.value;
    this.#framer = new wire.FrontendFramer({
      // The message being received may fill what the queued rounds leave of the cap.
      maxMessageBytes: () => cap - this.#roundsBytes - this.#batchBytes,
      overLimit: (length) => {
        const fields = proxyErrors.clientBufferCap.value;
        const message = fields.M.replace('%d', String(length)).replace('%d', String(cap));
        return { kind: 'violation', reason: message, reply: errorBytes({ ...fields, M: message }) };
      },
    });
    this.#armIdle();
    const startupTimeout = proxy.options.clientStartupTimeoutMs ?? proxySettings.clientStartupTimeout.value;
    // Like PostgreSQL's authentication_timeout: closed without a reply.
    this.#startupTimer = proxy.clock.after(startupTimeout, () => {
      this.#startupTimer = null;
      if (this.phase !== 'startup' && this.phase !== 'auth') return;
      proxy.event('client-startup-timeout', `${this.name} did not log in within ${startupTimeout} ms: closed`);
      this.close('startup-timeout');
    });
  }

  get key(): string {
    return `${this.user}\0${this.#proxy.options.databaseOverride ?? this.database}`;
  }

  isClosed(): boolean {
    return this.phase === 'closed';
  }

  get name(): string {
    return `client ${this.pid} (${this.user || 'no user yet'})`;
  }

  send(bytes: Buffer, delayMs = 0): void {
    if (this.phase !== 'closed') this.#transport.send(bytes, delayMs);
  }

  receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.#armIdle();
    const framer = this.#framer;
    framer.push(chunk);
    for (let frame = framer.next(); frame; frame = framer.next()) {
      if (frame.kind === 'violation') {
        this.#refuse(frame);
        return;
      }
      if (frame.kind === 'startup') this.#startup(frame.packet);
      else this.#message(frame.bytes);
      if (this.isClosed()) return;
    }
    this.#forward();
  }

  /** A frame PostgreSQL would not take: its reply, if it sends one, and this connection closes. */
  #refuse(violation: wire.FramingViolation): void {
    this.#proxy.event('protocol-violation', `${this.name}: ${violation.reason}: closed`);
    if (violation.reply) this.send(violation.reply);
    this.close('protocol');
  }

  #startup(packet: Buffer): void {
    const proxy = this.#proxy;
    const { code, parameters, terminated } = wire.parseStartup(packet);
    if (code === wire.SSL_REQUEST) {
      this.tls = proxy.options.acceptsTls;
      this.send(Buffer.from(this.tls ? 'S' : 'N', 'latin1'));
      return;
    }
    if (code === wire.GSSENC_REQUEST) {
      this.send(Buffer.from('N', 'latin1'));
      return;
    }
    if (code === wire.CANCEL_REQUEST) {
      this.send(wire.errorResponse({ S: 'FATAL', V: 'FATAL', C: '0A000', M: 'connlab: cancel requests are not modelled' }));
      this.close('protocol');
      return;
    }
    const user = parameters.user;
    // In ProcessStartupPacket's order: the protocol version, the packet's layout, then the user name.
    const { unsupportedProtocol, startupLayout, noUser } = protocolErrors;
    if (code !== wire.PROTOCOL_3 || !terminated || !user) {
      const version = `${code >>> 16}.${code & 0xffff}`;
      this.send(
        code !== wire.PROTOCOL_3
          ? postgresErrorBytes(unsupportedProtocol.value, unsupportedProtocol.value.M.replace('%u.%u', version))
          : postgresErrorBytes(terminated ? noUser.value : startupLayout.value),
      );
      this.close('protocol');
      return;
    }
    this.user = user;
    this.database = parameters.database ?? user;
    this.phase = 'auth';
    this.send(wire.authenticationCleartextPassword(), proxy.options.costs.clientSetupMs);
  }

  /** A framed message: the password (the framer lets exactly one through), then the session's messages. */
  #message(one: Buffer): void {
    const type = String.fromCharCode(one[0]!);
    if (this.phase === 'auth' && type === 'p' && !this.#authBusy) {
      void this.#authenticate(one.subarray(5, one.length - 1).toString('utf8'));
      return;
    }
    if (type === 'X') {
      this.close('terminate');
      return;
    }
    // Sent before the login finished (the password is still being checked): queued like any round.
    const batch = this.#batch;
    batch.bytes.push(one);
    this.#batchBytes += one.length;
    const statement = wire.statementText(one);
    if (statement) batch.texts.push({ sql: statement.sql, named: statement.name !== '' });
    if (type === 'Q' || type === 'S' || type === 'F') batch.readies++;
    if (type === 'Q' || type === 'S' || type === 'F' || type === 'H' || type === 'd' || type === 'c' || type === 'f') {
      this.#rounds.push(batch);
      this.#roundsBytes += this.#batchBytes;
      this.#batch = { bytes: [], readies: 0, texts: [] };
      this.#batchBytes = 0;
    }
  }

  async #authenticate(given: string): Promise<void> {
    const proxy = this.#proxy;
    const { auth, costs } = proxy.options;
    if (auth.iam === 'REQUIRED') {
      if (!this.tls) {
        proxy.stats.clientConnectionsSetupFailedAuth++;
        proxy.event('auth-failed', `${this.name}: ${proxyErrors.iamRequiresTls.value.M}`);
        this.#fail(errorBytes(proxyErrors.iamRequiresTls.value));
        return;
      }
      this.#authBusy = true;
      const verdict = await proxy.clock.track(verifyIamToken(given, { endpoint: proxy.options.endpoint, region: auth.region, user: this.user, credentials: auth.iamCredentials, nowMs: proxy.clock.epochMs() }));
      this.#authBusy = false;
      if (this.phase !== 'auth') return;
      if (!verdict.ok) {
        proxy.stats.clientConnectionsSetupFailedAuth++;
        const fields = proxyErrors.iamFailed.value;
        proxy.event('auth-failed', `${this.name}: ${verdict.why}`);
        this.#fail(errorBytes({ ...fields, M: fields.M.replace('%s', this.user) }), costs.iamVerificationMs);
        return;
      }
    } else if (!Object.hasOwn(auth.secrets, this.user) || auth.secrets[this.user] !== given) {
      proxy.stats.clientConnectionsSetupFailedAuth++;
      const fields = proxyErrors.passwordFailed.value;
      proxy.event('auth-failed', `${this.name}: wrong password`);
      this.#fail(errorBytes({ ...fields, M: fields.M.replace('%s', this.user) }));
      return;
    }
    this.phase = 'ready';
    this.#startupTimer?.cancel();
    this.#startupTimer = null;
    proxy.stats.clientConnectionsSetupSucceeded++;
    if (proxy.parameterStatus) {
      this.#welcome();
      this.#forward();
    } else {
      // Clients wait for the first database connection: its ParameterStatus is what clients see.
      this.#waitingForStartup = true;
      proxy.startupWaiters.push(this);
      if (proxy.startupWaiters.length === 1) proxy.borrow(this);
    }
  }

  /** The first database connection is up (or could not be had): answer the startup. */
  startupSettled(ok: boolean): void {
    if (!this.#waitingForStartup) return;
    this.#waitingForStartup = false;
    if (!ok) {
      this.#fail(errorBytes(proxyErrors.borrowTimeout.value, { S: 'FATAL', V: 'FATAL' }));
      return;
    }
    this.#welcome();
    if (this.#rounds.length > 0) this.#forward();
  }

  #welcome(): void {
    const proxy = this.#proxy;
    const delay = proxy.options.auth.iam === 'REQUIRED' ? proxy.options.costs.iamVerificationMs : 0;
    this.send(Buffer.concat([wire.authenticationOk(), proxy.parameterStatus ?? Buffer.alloc(0), wire.backendKeyData(this.pid, this.pid * 7919), wire.readyForQuery('I')]), delay);
  }

  #fail(bytes: Buffer, delayMs = 0): void {
    this.send(bytes, delayMs);
    this.close('auth');
  }

  /** Send what is queued, borrowing a connection first when the client holds none. */
  #forward(): void {
    if (this.phase !== 'ready' || this.#rounds.length === 0) return;
    const connection = this.connection;
    if (!connection) {
      if (!this.borrowTimer && !this.#proxy.waiters.includes(this)) this.#proxy.borrow(this);
      return;
    }
    const proxy = this.#proxy;
    const rounds = this.#rounds;
    this.#rounds = [];
    this.#roundsBytes = 0;
    const parts: Buffer[] = [];
    for (const round of rounds) {
      for (const { sql, named } of round.texts) {
        const pins = pinsFor(sql);
        if (named) pins.push({ reason: pinReasons.value.namedStatement, statement: sql });
        for (const pin of pins) {
          const newly = this.pin === null;
          if (newly) this.pin = pin;
          proxy.pinned(pin, this.name, newly);
        }
      }
      connection.pendingReady += round.readies;
      proxy.stats.queryRequests += round.readies;
      parts.push(...round.bytes);
    }
    connection.sentAt = proxy.clock.now();
    const bytes = Buffer.concat(parts);
    const added = proxy.options.costs.addedLatencyMs;
    if (added > 0) proxy.clock.after(added, () => connection.write(bytes));
    else connection.write(bytes);
  }

  granted(): void {
    if (this.#waitingForStartup) {
      const connection = this.connection!;
      this.connection = null;
      this.#proxy.release(connection);
      this.#proxy.settleStartups(true);
      return;
    }
    this.#forward();
  }

  /** The borrow queue gave up: every queued round fails with the proxy's error. */
  borrowFailed(): void {
    if (this.#waitingForStartup) {
      this.#proxy.settleStartups(false);
      return;
    }
    const readies = this.#rounds.reduce((n, r) => n + r.readies, 0);
    this.#rounds = [];
    this.#roundsBytes = 0;
    const replies: Buffer[] = [];
    for (let i = 0; i < Math.max(1, readies); i++) replies.push(errorBytes(proxyErrors.borrowTimeout.value), wire.readyForQuery('I'));
    this.send(Buffer.concat(replies));
  }

  /** Bytes from the database for this client; returns the connection when the round is over. */
  fromDatabase(bytes: Buffer, readyStatuses: Array<'I' | 'T' | 'E'>): void {
    this.send(bytes);
    const connection = this.connection;
    if (!connection || readyStatuses.length === 0) return;
    connection.pendingReady -= readyStatuses.length;
    const proxy = this.#proxy;
    proxy.metrics.latency('QueryDatabaseResponseLatency', (proxy.clock.now() - connection.sentAt) * 1000);
    const status = readyStatuses.at(-1)!;
    if (connection.pendingReady <= 0 && status === 'I' && !this.pin && this.#rounds.length === 0) {
      connection.pendingReady = 0;
      this.connection = null;
      proxy.release(connection);
    } else if (this.#rounds.length > 0) this.#forward();
  }

  connectionLost(why: string): void {
    this.connection = null;
    if (this.phase === 'closed') return;
    this.#proxy.event('database-closed', `${this.name} loses its database connection: ${why}`);
    this.close('database');
  }

  #armIdle(): void {
    this.#idleTimer?.cancel();
    const proxy = this.#proxy;
    this.#idleTimer = proxy.clock.after(proxy.options.idleClientTimeoutMs, () => {
      this.#idleTimer = null;
      if (this.phase === 'closed') return;
      if (this.connection && this.connection.pendingReady > 0) {
        this.#armIdle();
        return;
      }
      proxy.stats.clientConnectionsClosedIdle++;
      proxy.event('client-idle-timeout', `${this.name} idle for ${proxy.options.idleClientTimeoutMs} ms (IdleClientTimeout): closed`);
      this.close('idle');
    });
  }

  close(why: 'client' | 'terminate' | 'auth' | 'protocol' | 'idle' | 'startup-timeout' | 'database'): void {
    if (this.phase === 'closed') return;
    this.#transport.close();
    this.phase = 'closed';
    this.#idleTimer?.cancel();
    this.#startupTimer?.cancel();
    this.#startupTimer = null;
    this.borrowTimer?.cancel();
    this.borrowTimer = null;
    const proxy = this.#proxy;
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      // Session state or an unfinished round cannot be handed to another client.
      if (this.pin || connection.pendingReady > 0 || connection.txStatus !== 'I') {
        connection.owner = null;
        connection.close(this.pin ? 'proxy: pinned session ended' : 'proxy: client left mid-transaction');
      } else proxy.release(connection);
    }
    proxy.clientClosed(this);
  }
}

/** One connection from the proxy to the database, logged in with the secret's credentials. */
export class DatabaseConnection {
  readonly #proxy: RdsProxy;
  readonly #transport: DatabaseTransport;
  readonly user: string;
  readonly database: string;
  readonly #password: string;
  phase: 'connecting' | 'auth' | 'ready' | 'closed' = 'connecting';
  owner: ProxyClient | null = null;
  pendingReady = 0;
  txStatus: 'I' | 'T' | 'E' = 'I';
  sentAt = 0;
  idleTimer: ProxyTimer | null = null;
  parameterStatus: Buffer = Buffer.alloc(0);
  readonly #framer = new wire.BackendFramer();
  #scram: ScramClient | null = null;
  #authChain: Promise<void> = Promise.resolve();

  constructor(proxy: RdsProxy, connector: DatabaseConnector, user: string, password: string, database: string) {
    this.#proxy = proxy;
    this.user = user;
    this.database = database;
    this.#password = password;
    proxy.track(this);
    this.#transport = connector({
      connected: () => this.#connected(),
      data: (bytes) => this.#data(bytes),
      closed: (why) => this.#closed(why),
    });
  }

  get key(): string {
    return `${this.user}\0${this.database}`;
  }

  isClosed(): boolean {
    return this.phase === 'closed';
  }

  write(bytes: Buffer): void {
    if (this.phase !== 'closed') this.#transport.write(bytes);
  }

  close(why: string): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'ready') this.#transport.write(wire.message('X'));
    this.#transport.close();
    this.#closed(why.startsWith('proxy:') ? why : `proxy: ${why}`);
  }

  #connected(): void {
    this.phase = 'auth';
    this.#transport.write(wire.startupPacket({ user: this.user, database: this.database, client_encoding: 'UTF8', application_name: 'rds-proxy' }));
  }

  #data(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.#framer.push(chunk);
    const bytes = this.#framer.next();
    if (bytes === 'invalid') {
      const why = 'the database sent a message length below 4: not the PostgreSQL protocol';
      if (this.phase !== 'ready') this.#fail(why);
      else {
        this.#transport.close();
        this.#closed(why);
      }
      return;
    }
    if (!bytes) return;
    let offset = 0;
    let forwardFrom = 0;
    const statuses: Array<'I' | 'T' | 'E'> = [];
    for (const { type, bytes: one } of wire.messages(bytes)) {
      offset += one.length;
      if (this.phase !== 'ready') {
        this.#setup(one);
        forwardFrom = offset;
        if (this.isClosed()) return;
        continue;
      }
      if (type === 'Z') {
        this.txStatus = String.fromCharCode(one[5]!) as 'I' | 'T' | 'E';
        statuses.push(this.txStatus);
      }
    }
    if (this.phase !== 'ready' || offset <= forwardFrom) return;
    const out = Buffer.from(bytes.subarray(forwardFrom, offset));
    if (this.owner) this.owner.fromDatabase(out, statuses);
    else if (out[0] === 0x45 /* E */) this.close('error while idle');
  }

  /** The proxy's own login: cleartext or SCRAM-SHA-256, then ParameterStatus up to ReadyForQuery. */
  #setup(one: Buffer): void {
    const type = String.fromCharCode(one[0]!);
    if (type === 'E') {
      const fields = wire.errorFields(one);
      this.#fail(`${fields.get('C') ?? ''} ${fields.get('M') ?? 'error'}`);
      return;
    }
    if (type === 'R') {
      const code = one.readInt32BE(5);
      if (code === 0) return;
      if (code === 3) this.#transport.write(wire.message('p', Buffer.from(`${this.#password}\0`, 'utf8')));
      else if (code === 10) {
        this.#scram = new ScramClient(this.#password);
        this.#transport.write(wire.message('p', this.#scram.first()));
      } else if (code === 11) {
        const scram = this.#scram;
        const serverFirst = one.subarray(9).toString('utf8');
        this.#authChain = this.#authChain.then(async () => {
          if (!scram) return;
          try {
            const final = await this.#proxy.clock.track(scram.final(serverFirst));
            this.#transport.write(wire.message('p', final));
          } catch (error) {
            this.#fail(String((error as Error).message));
          }
        });
      } else if (code === 12) {
        if (!this.#scram?.verify(one.subarray(9).toString('utf8'))) this.#fail('SCRAM: the server signature does not match');
      } else this.#fail(`connlab proxy: the database asked for authentication method ${code}; this proxy logs in with a password (cleartext) or SCRAM-SHA-256 only`);
      return;
    }
    if (type === 'S') this.parameterStatus = Buffer.concat([this.parameterStatus, Buffer.from(one)]);
    else if (type === 'Z') {
      this.phase = 'ready';
      this.#proxy.connectionReady(this);
    }
  }

  #fail(why: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.#transport.close();
    this.#proxy.connectionClosed(this, `database connection for ${this.user}: ${why}`, true);
  }

  #closed(why: string): void {
    if (this.phase === 'closed') return;
    const failedSetup = this.phase !== 'ready';
    this.phase = 'closed';
    this.idleTimer?.cancel();
    this.#proxy.connectionClosed(this, why, failedSetup);
  }
}
