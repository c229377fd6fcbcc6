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
 *
 * This file is the proxy itself: its clients, its pool of database connections and the borrow
 * queue. One client's session is client.ts; one database connection is database-connection.ts.
 */
import type { Buffer } from 'buffer';
import { proxyErrors } from '../../facts/rds-proxy.ts';
import { ProxyClient, type ClientHost } from './client.ts';
import { DatabaseConnection, type ConnectionPool } from './database-connection.ts';
import { ProxyMetrics } from './metrics.ts';
import type { ProxyEventKind, ProxyObserver, ProxyOptions, ProxyStats } from './options.ts';
import type { Pin } from './pinning.ts';
import type { ClientHandle, ClientTransport, DatabaseConnector, ProxyClock } from './transport.ts';

export class RdsProxy implements ClientHost, ConnectionPool {
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
  readonly #waiters: ProxyClient[] = [];
  /** Authenticated clients waiting for the first database connection's ParameterStatus. */
  readonly #startupWaiters: ProxyClient[] = [];
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
    return { receive: (bytes) => client.receive(bytes), closed: () => client.close() };
  }

  event(kind: ProxyEventKind, text: string): void {
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
    stats.peakWaiting = Math.max(stats.peakWaiting, this.#waiters.length);
    const m = this.metrics;
    m.gauge('ClientConnections', this.clients.size);
    m.gauge('DatabaseConnections', open);
    m.gauge('DatabaseConnectionsCurrentlyBorrowed', borrowed);
    m.gauge('DatabaseConnectionsCurrentlySessionPinned', pinned);
    m.gauge('BorrowQueueLength', this.#waiters.length);
  }

  isWaiting(client: ProxyClient): boolean {
    return this.#waiters.includes(client);
  }

  /** The first client to wait borrows for all of them: the first connection's ParameterStatus answers every login. */
  awaitFirstConnection(client: ProxyClient): void {
    this.#startupWaiters.push(client);
    if (this.#startupWaiters.length === 1) this.borrow(client);
  }

  /** Queue a client for a connection of its (user, database); it gets one through `#grant`. */
  borrow(client: ProxyClient): void {
    client.waitingSince = this.clock.now();
    const own = this.#takeIdle(client.key);
    if (own) {
      this.#grant(own, client);
      return;
    }
    this.#waiters.push(client);
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
    for (const waiter of this.#waiters) {
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
    const index = this.#waiters.indexOf(client);
    if (index < 0) return;
    this.#waiters.splice(index, 1);
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
    const index = this.#waiters.findIndex((w) => w.key === connection.key);
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      this.#grant(connection, waiter!);
      return;
    }
    if (this.#waiters.length > 0) {
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
    const waiting = this.#startupWaiters.splice(0);
    for (const client of waiting) client.startupSettled(ok);
  }

  clientClosed(client: ProxyClient): void {
    this.clients.delete(client);
    const index = this.#waiters.indexOf(client);
    if (index >= 0) this.#waiters.splice(index, 1);
    const startup = this.#startupWaiters.indexOf(client);
    if (startup >= 0) {
      this.#startupWaiters.splice(startup, 1);
      // The one that borrowed for all of them left: the next one borrows.
      if (startup === 0 && this.#startupWaiters.length > 0 && !this.#waiters.includes(this.#startupWaiters[0]!)) this.borrow(this.#startupWaiters[0]!);
    }
    this.gauges();
  }

  track(connection: DatabaseConnection): void {
    this.connections.add(connection);
  }
}
