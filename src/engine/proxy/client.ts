/**
 * One client connection to the proxy: its login (a password as the Secrets Manager secret holds it,
 * or an IAM token), its rounds of messages, each forwarded on a database connection it borrows from
 * the proxy, the statements that pin its session (pinning.ts), IdleClientTimeout and the start-up
 * timeout. A round the borrow queue gives up on fails with the proxy's documented error.
 */
import { Buffer } from 'buffer';
import { protocolErrors } from '../../facts/postgres.ts';
import { pinReasons, proxyErrors, proxySettings, type ProxyErrorFields } from '../../facts/rds-proxy.ts';
import * as wire from '../postgres/wire.ts';
import { verifyIamToken } from './auth.ts';
import type { DatabaseConnection } from './database-connection.ts';
import type { ProxyMetrics } from './metrics.ts';
import type { ProxyEventKind, ProxyOptions, ProxyStats } from './options.ts';
import { pinsFor, type Pin } from './pinning.ts';
import type { ClientTransport, ProxyClock, ProxyTimer } from './transport.ts';

/** What a client asks of its proxy: settings, clock and counters, the borrow queue and the first connection's welcome. */
export interface ClientHost {
  readonly options: ProxyOptions;
  readonly clock: ProxyClock;
  readonly stats: ProxyStats;
  readonly metrics: ProxyMetrics;
  /** The first database connection's ParameterStatus, which every login reply carries; null until it is up. */
  readonly parameterStatus: Buffer | null;
  event(kind: ProxyEventKind, text: string): void;
  pinned(pin: Pin, session: string, newly: boolean): void;
  /** Queue for a database connection; `granted` or `borrowFailed` follows. */
  borrow(client: ProxyClient): void;
  isWaiting(client: ProxyClient): boolean;
  release(connection: DatabaseConnection): void;
  /** Wait, logged in, for the first database connection; `startupSettled` follows. */
  awaitFirstConnection(client: ProxyClient): void;
  settleStartups(ok: boolean): void;
  clientClosed(client: ProxyClient): void;
}

const errorBytes = (fields: ProxyErrorFields, detail: Record<string, string> = {}): Buffer => wire.errorResponse({ S: fields.S, V: fields.V, C: fields.C, M: fields.M, ...detail });

interface Round {
  bytes: Buffer[];
  /** ReadyForQuery messages the round will produce (one per Query, Sync or FunctionCall). */
  readies: number;
  texts: Array<{ sql: string; named: boolean }>;
}

/** One client connection to the proxy. */
export class ProxyClient {
  readonly #proxy: ClientHost;
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

  constructor(proxy: ClientHost, transport: ClientTransport, pid: number) {
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
      this.close();
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

  /** True when it started no asynchronous work: everything but an IAM token check answers synchronously. */
  receive(chunk: Buffer): boolean {
    if (this.phase === 'closed') return true;
    this.#armIdle();
    const framer = this.#framer;
    framer.push(chunk);
    const checking = this.#authBusy;
    for (let frame = framer.next(); frame; frame = framer.next()) {
      if (frame.kind === 'violation') {
        this.#refuse(frame);
        return checking === this.#authBusy;
      }
      if (frame.kind === 'startup') this.#startup(frame.packet);
      else this.#message(frame.bytes);
      if (this.isClosed()) return checking === this.#authBusy;
    }
    this.#forward();
    return checking === this.#authBusy;
  }

  /** A frame PostgreSQL would not take: its reply, if it sends one, and this connection closes. */
  #refuse(violation: wire.FramingViolation): void {
    this.#proxy.event('protocol-violation', `${this.name}: ${violation.reason}: closed`);
    if (violation.reply) this.send(violation.reply);
    this.close();
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
      this.close();
      return;
    }
    const user = parameters.user;
    // In ProcessStartupPacket's order: the protocol version, the packet's layout, then the user name.
    const { unsupportedProtocol, startupLayout, noUser } = protocolErrors;
    if (code !== wire.PROTOCOL_3 || !terminated || !user) {
      const version = `${code >>> 16}.${code & 0xffff}`;
      this.send(
        code !== wire.PROTOCOL_3
          ? wire.errorFieldsResponse(unsupportedProtocol.value, unsupportedProtocol.value.M.replace('%u.%u', version))
          : wire.errorFieldsResponse(terminated ? noUser.value : startupLayout.value),
      );
      this.close();
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
      this.close();
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
      proxy.awaitFirstConnection(this);
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
    this.close();
  }

  /** Send what is queued, borrowing a connection first when the client holds none. */
  #forward(): void {
    if (this.phase !== 'ready' || this.#rounds.length === 0) return;
    const connection = this.connection;
    if (!connection) {
      if (!this.borrowTimer && !this.#proxy.isWaiting(this)) this.#proxy.borrow(this);
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
    this.close();
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
      this.close();
    });
  }

  close(): void {
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
