/**
 * A virtual PostgreSQL server in front of one PGlite, speaking the wire protocol to the real `pg`
 * driver over the virtual network.
 *
 * It does itself what one PGlite session cannot: the startup handshake (SSLRequest answered `S` as
 * RDS does, though what follows stays plaintext; cleartext password authentication with 28P01 on a
 * wrong password, `ALTER ROLE … PASSWORD` on the passwords it checks, its own backend pids),
 * admission control with PostgreSQL's exact errors, Terminate, server-side timeouts, per-connection
 * `SET` state, and the time everything takes on the instance's vCPUs. Queries and their results are
 * PGlite's, byte for byte.
 */
import { Buffer } from 'buffer';
import type { PGlite } from '@electric-sql/pglite';
import type { Scheduler, ScheduledEvent } from '../clock/scheduler.ts';
import type { ErrorFields, KeepaliveSettings } from '../../facts/postgres.ts';
import { deadClientAfterMs, postgresErrors } from '../../facts/postgres.ts';
import type { ClientSocket, Listener, ServerSide } from '../net/network.ts';
import { SessionLock } from './session.ts';
import * as wire from './wire.ts';

export interface ServerCosts {
  backendStartMs: number;
  authenticationMs: number;
  tlsHandshakeMs: number;
  rejectionMs: number;
  /** Mean CPU time of one query round trip; each is drawn uniformly within ±50 %. */
  queryServiceMs: number;
}

/**
 * An endpoint that admits and authenticates connections its own way in front of the same backends
 * (Aurora DSQL: engine/dsql/endpoint.ts). Absent: RDS for PostgreSQL's passwords and slots.
 */
export interface ConnectionGate {
  /** At each start-up packet, before a backend starts: an error refuses the connection. */
  admit(nowMs: number): ErrorFields | null;
  /** In place of the password check: null logs `user` in, an error refuses the login. */
  authenticate(user: string, password: string): Promise<ErrorFields | null>;
  /** What a connection past max_connections is sent. */
  readonly tooManyConnections: ErrorFields;
  /** A session is closed once this old (after the transaction it is in, if any); 0 never. */
  readonly sessionLifetimeMs: number;
  /** Sent to a session closed at its lifetime; counts it. */
  sessionExpired(): ErrorFields;
}

export interface VirtualPostgresOptions {
  maxConnections: number;
  /** Slots only superusers may take: superuser_reserved_connections, plus rds.rds_superuser_reserved_connections on RDS. */
  reservedConnections: number;
  /** What an ordinary role gets when only reserved slots are left (the wording depends on the engine version). */
  reservedSlotError: ErrorFields;
  /** CPUs that connection start-ups and statements queue on; Infinity where compute is added with load (Aurora DSQL), so nothing queues. */
  vcpus: number;
  /** user -> password at start-up (ALTER ROLE … PASSWORD changes them). Users not listed fail authentication like a wrong password does. */
  users: Readonly<Record<string, string>>;
  superusers: readonly string[];
  /** 0 disables it, like PostgreSQL's default. */
  idleSessionTimeoutMs: number;
  /** tcp_keepalives_idle/interval/count: a client that answers no probe is dropped idle + interval × count after its last traffic. */
  keepalives: KeepaliveSettings;
  /** How long a connection waits for another connection's open transaction before giving up. */
  sessionWaitLimitMs: number;
  costs: ServerCosts;
  /**
   * A window of virtual time, [startMs, endMs), in which the instance is failing over (or too
   * saturated to start a backend): at its start every open connection is reset, and during it a new
   * connection gets its TCP handshake but never an answer to its start-up packet. Absent: always up.
   */
  unavailable?: { startMs: number; endMs: number } | null;
  gate?: ConnectionGate | null;
}

export type CloseReason = 'session-lifetime' | 'gate-refused' | 'failover' | 'terminate' | 'client-fin' | 'client-reset' | 'idle-session-timeout' | 'dead-client' | 'too-many-clients' | 'reserved-slots' | 'auth-failed' | 'protocol';

/** A connection accepted, refused (with its SQLSTATE) or closed (with why, and the SQLSTATE a client was sent, if any). */
export type ServerEvent =
  | { kind: 'accept'; text: string }
  | { kind: 'reject'; text: string; code: string }
  | { kind: 'close'; text: string; reason: CloseReason; code?: string }
  | { kind: 'unavailable' | 'available'; text: string };

/** What the server reports to metrics and the event log. */
export interface ServerObserver {
  connectionsChanged(active: number, zombies: number): void;
  event(event: ServerEvent): void;
}

export interface ServerStats {
  accepted: number;
  rejectedTooManyClients: number;
  rejectedReserved: number;
  authFailures: number;
  idleSessionTimeouts: number;
  deadClientsReaped: number;
  sessionWaitFailures: number;
  peakConnections: number;
  queries: number;
  /** Start-up packets left unanswered while the instance was unavailable. */
  unansweredStartups: number;
  /** Open connections reset when the instance became unavailable. */
  failoverResets: number;
  /** Connections that had a backend, by the reason they closed. */
  closesByReason: Partial<Record<CloseReason, number>>;
}

/**
 * `ALTER ROLE name [WITH] PASSWORD 'literal'` (or ALTER USER) as one simple-query statement: what a
 * rotation function sends. The server answers it itself, since it, not PGlite, checks passwords.
 */
const ALTER_PASSWORD = /^\s*alter\s+(?:role|user)\s+(?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*))\s+(?:with\s+)?password\s+'((?:[^']|'')*)'\s*;?\s*$/i;

/**
 * One PGlite round trip: the reply's bytes, copied (PGlite reuses its buffer). Streamed rather than
 * `execProtocolRaw`, which in PGlite 0.5 also decodes every reply message and appends it to a list
 * that only `execProtocol` replaces: a run's every DataRow was parsed (a copy of each chunk, each
 * string decoded) and then kept until the run ended.
 */
export async function roundTrip(db: PGlite, message: Uint8Array): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await db.execProtocolRawStream(message, { onRawData: (chunk) => chunks.push(Buffer.from(chunk)) });
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** A statement that may change session settings: SET/RESET at the start of a statement, or set_config(). */
const SETTINGS_CHANGE = /(^|;)\s*(set|reset)\b|set_config\s*\(/i;

export class VirtualPostgres implements Listener {
  readonly options: VirtualPostgresOptions;
  readonly scheduler: Scheduler;
  readonly db: PGlite;
  readonly session: SessionLock;
  readonly stats: ServerStats = {
    accepted: 0,
    rejectedTooManyClients: 0,
    rejectedReserved: 0,
    authFailures: 0,
    idleSessionTimeouts: 0,
    deadClientsReaped: 0,
    sessionWaitFailures: 0,
    peakConnections: 0,
    queries: 0,
    unansweredStartups: 0,
    failoverResets: 0,
    closesByReason: {},
  };
  active = 0;
  zombies = 0;
  /** The connection whose `SET` values PGlite's session currently carries. */
  settingsOwner: ServerConnection | null = null;
  sessionHasSettings = false;
  #observer: ServerObserver | null;
  #cores: number[];
  #nextPid = 1000;
  #parameterStatus: Buffer = Buffer.alloc(0);
  /** Login role -> the password authentication checks now. */
  readonly #passwords: Map<string, string>;
  /** Connections a failover would reset: those that reached a backend. */
  readonly #connections = new Set<ServerConnection>();

  private constructor(scheduler: Scheduler, db: PGlite, options: VirtualPostgresOptions, observer: ServerObserver | null) {
    this.scheduler = scheduler;
    this.db = db;
    this.options = options;
    this.#observer = observer;
    this.#cores = Number.isFinite(options.vcpus) ? new Array<number>(Math.max(1, options.vcpus)).fill(0) : [];
    this.session = new SessionLock(scheduler, options.sessionWaitLimitMs);
    this.#passwords = new Map(Object.entries(options.users));
    const window = options.unavailable;
    if (window && window.endMs > window.startMs) {
      scheduler.at(Math.max(scheduler.now, window.startMs), () => {
        this.event({ kind: 'unavailable', text: `instance unavailable until ${(window.endMs / 1000).toFixed(1)} s: ${this.#connections.size} open connections reset, new ones get no answer to their start-up packet` });
        for (const connection of [...this.#connections]) connection.reset();
      });
      scheduler.at(window.endMs, () => this.event({ kind: 'available', text: `instance available again after ${((window.endMs - window.startMs) / 1000).toFixed(1)} s (${this.stats.unansweredStartups} start-up packets left unanswered)` }));
    }
  }

  /** Whether `password` logs `user` in. */
  checksPassword(user: string, password: string): boolean {
    return this.#passwords.get(user) === password;
  }

  /**
   * ALTER ROLE … PASSWORD by `sessionUser`: a role may change its own password, a superuser any
   * role's. Open connections are untouched; only later logins see the new password.
   */
  alterPassword(sessionUser: string, role: string, password: string): ErrorFields | null {
    const fields = postgresErrors.roleDoesNotExist.value;
    if (!this.#passwords.has(role)) return { ...fields, M: fields.M.replace('%s', role) };
    if (role !== sessionUser && !this.options.superusers.includes(sessionUser)) return postgresErrors.alterRoleDenied.value;
    this.#passwords.set(role, password);
    return null;
  }

  /** Whether a start-up packet arriving now goes unanswered. */
  unavailableNow(): boolean {
    const window = this.options.unavailable;
    const now = this.scheduler.now;
    return !!window && now >= window.startMs && now < window.endMs;
  }

  opened(connection: ServerConnection): void {
    this.#connections.add(connection);
  }

  closed(connection: ServerConnection): void {
    this.#connections.delete(connection);
  }

  /** Opens PGlite's session once and keeps its ParameterStatus messages for every later handshake. */
  static async start(scheduler: Scheduler, db: PGlite, options: VirtualPostgresOptions, observer: ServerObserver | null = null): Promise<VirtualPostgres> {
    const server = new VirtualPostgres(scheduler, db, options, observer);
    const packet = wire.startupPacket({ user: 'postgres', database: 'postgres', client_encoding: 'UTF8' });
    const reply = await roundTrip(db, packet);
    server.#parameterStatus = Buffer.concat([...wire.messages(reply)].filter((m) => m.type === 'S').map((m) => Buffer.from(m.bytes)));
    return server;
  }

  accept(socket: ClientSocket): ServerSide {
    return new ServerConnection(this, socket);
  }

  /** Reserve `ms` of CPU on the first free vCPU, not before `from`; returns when it is done. */
  serve(from: number, ms: number): number {
    const cores = this.#cores;
    if (cores.length === 0) return from + ms;
    let index = 0;
    for (let i = 1; i < cores.length; i++) if (cores[i]! < cores[index]!) index = i;
    const done = Math.max(from, cores[index]!) + ms;
    cores[index] = done;
    return done;
  }

  queryServiceMs(): number {
    return this.options.costs.queryServiceMs * this.scheduler.rng.uniform(0.5, 1.5);
  }

  nextPid(): number {
    return this.#nextPid++;
  }

  startupReply(pid: number): Buffer {
    return Buffer.concat([wire.authenticationOk(), this.#parameterStatus, wire.backendKeyData(pid, pid * 7919), wire.readyForQuery('I')]);
  }

  /** One PGlite round trip, tracked as real work. */
  async exec(bytes: Uint8Array): Promise<Buffer> {
    this.stats.queries++;
    return this.scheduler.track(roundTrip(this.db, bytes));
  }

  async sql(text: string): Promise<Array<Record<string, unknown>>> {
    const result = await this.scheduler.track(this.db.query<Record<string, unknown>>(text));
    return result.rows;
  }

  changed(): void {
    if (this.active > this.stats.peakConnections) this.stats.peakConnections = this.active;
    this.#observer?.connectionsChanged(this.active, this.zombies);
  }

  event(event: ServerEvent): void {
    this.#observer?.event(event);
  }
}

type Job =
  | { kind: 'startup'; packet: Buffer }
  | { kind: 'password'; message: Buffer }
  | { kind: 'exec'; messages: Buffer[]; changesSettings: boolean }
  | { kind: 'violation'; reply: Buffer | null }
  | { kind: 'terminate' }
  | { kind: 'fin' }
  | { kind: 'reset' };

class ServerConnection implements ServerSide {
  readonly #server: VirtualPostgres;
  readonly #socket: ClientSocket;
  readonly #scheduler: Scheduler;
  pid = 0;
  #phase: 'startup' | 'auth' | 'ready' | 'closed' = 'startup';
  #counted = false;
  readonly #framer = new wire.FrontendFramer();
  #user = '';
  #batch: Buffer[] = [];
  #batchChangesSettings = false;
  #jobs: Job[] = [];
  #busy = false;
  #holdsSession = false;
  #txStatus: 'I' | 'T' | 'E' = 'I';
  #statements = new Set<string>();
  #freeAt = 0;
  #lastTraffic = 0;
  #idleTimer: ScheduledEvent | null = null;
  #vanished = false;
  /** Its start-up packet came while the instance was unavailable: nothing it sends is ever answered. */
  #unanswered = false;
  /** Past the gate's session lifetime: closed when its transaction ends. */
  #expired = false;
  savedSettings: Array<{ name: string; setting: string }> = [];
  settingsDirty = false;

  constructor(server: VirtualPostgres, socket: ClientSocket) {
    this.#server = server;
    this.#socket = socket;
    this.#scheduler = server.scheduler;
    this.#lastTraffic = server.scheduler.now;
  }

  receive(chunk: Buffer): boolean {
    if (this.#phase === 'closed') {
      this.#socket.deliverReset(this.#scheduler.now);
      return true;
    }
    if (this.#unanswered) return true;
    this.#lastTraffic = this.#scheduler.now;
    this.#scheduler.cancel(this.#idleTimer);
    this.#idleTimer = null;
    const framer = this.#framer;
    framer.push(chunk);
    for (let frame = framer.next(); frame; frame = framer.next()) {
      if (frame.kind === 'startup') {
        this.#jobs.push({ kind: 'startup', packet: frame.packet });
        continue;
      }
      // What PostgreSQL does with a frame it cannot take, after the messages before it.
      if (frame.kind === 'violation') {
        this.#jobs.push({ kind: 'violation', reply: frame.reply });
        break;
      }
      const { type, bytes: one } = frame;
      if (type === 0x58 /* X */) this.#jobs.push({ kind: 'terminate' });
      else if (type === 0x70 /* p: the framer lets only the password through */) this.#jobs.push({ kind: 'password', message: one });
      else {
        this.#batch.push(one);
        const statement = wire.statementText(one);
        if (statement && SETTINGS_CHANGE.test(statement.sql)) this.#batchChangesSettings = true;
        if (type === 0x53 /* S */ || type === 0x51 /* Q */ || type === 0x48 /* H */) {
          this.#jobs.push({ kind: 'exec', messages: this.#batch, changesSettings: this.#batchChangesSettings });
          this.#batch = [];
          this.#batchChangesSettings = false;
        }
      }
    }
    return this.#pump();
  }

  receiveFin(): boolean {
    if (this.#phase === 'closed') return true;
    this.#jobs.push({ kind: 'fin' });
    return this.#pump();
  }

  receiveReset(): boolean {
    if (this.#phase === 'closed') return true;
    this.#jobs.push({ kind: 'reset' });
    return this.#pump();
  }

  /** The instance failed over: the connection is reset under its client, who sees ECONNRESET. */
  reset(): void {
    if (this.#phase === 'closed') return;
    this.#server.stats.failoverResets++;
    this.#socket.deliverReset(this.#scheduler.now);
    this.#jobs = [];
    void this.#close('failover', { fin: false });
  }

  peerVanished(): void {
    if (this.#phase === 'closed' || this.#vanished) return;
    this.#vanished = true;
    const server = this.#server;
    if (this.#counted) {
      server.zombies++;
      server.changed();
    }
    const at = Math.max(this.#scheduler.now, this.#lastTraffic + deadClientAfterMs(server.options.keepalives));
    this.#scheduler.at(at, () => {
      if (this.#phase === 'closed') return;
      server.stats.deadClientsReaped++;
      void this.#close('dead-client', { fin: false });
    });
  }

  #closed(): boolean {
    return this.#phase === 'closed';
  }

  #send(bytes: Buffer, ready: number = this.#scheduler.now): void {
    this.#socket.deliver(bytes, ready);
  }

  /**
   * Runs the queued jobs in order. Start-up, authentication and a close with nothing to undo answer
   * at once; a job that waits (PGlite, the session lock, a gate) continues the queue when it is
   * done. True when every job ran synchronously, or a waiting job will take the new ones: no
   * microtask and no tracked work was started (Scheduler.atReporting).
   */
  #pump(): boolean {
    if (this.#busy) return true;
    this.#busy = true;
    try {
      while (this.#jobs.length > 0 && this.#phase !== 'closed') {
        const waiting = this.#runJob(this.#jobs.shift()!);
        if (waiting) {
          void this.#resume(waiting);
          return false;
        }
      }
    } catch (error) {
      // As from a job that waits: the failure is an unhandled rejection, and the queue stops.
      this.#busy = false;
      void Promise.reject(error);
      return false;
    }
    this.#busy = false;
    return true;
  }

  async #resume(waiting: Promise<void>): Promise<void> {
    try {
      await waiting;
    } finally {
      this.#busy = false;
    }
    this.#pump();
  }

  /** A promise only when the job waits. */
  #runJob(job: Job): Promise<void> | undefined {
    if (job.kind === 'startup') {
      this.#startup(job.packet);
      return undefined;
    }
    if (job.kind === 'password') return this.#password(job.message);
    if (job.kind === 'exec') return this.#exec(job.messages, job.changesSettings);
    if (job.kind === 'violation') {
      if (job.reply) this.#send(job.reply);
      return this.#close('protocol');
    }
    return this.#close(job.kind === 'terminate' ? 'terminate' : job.kind === 'fin' ? 'client-fin' : 'client-reset', { fin: job.kind !== 'reset' });
  }

  #startup(packet: Buffer): void {
    const server = this.#server;
    const now = this.#scheduler.now;
    const { code, parameters } = wire.parseStartup(packet);
    if (server.unavailableNow()) {
      // TCP was accepted; no backend starts, so neither `S` to an SSLRequest nor an authentication request comes.
      this.#unanswered = true;
      this.#jobs = [];
      server.stats.unansweredStartups++;
      return;
    }
    if (code === wire.SSL_REQUEST) {
      // RDS accepts TLS, so a client that asks gets `S`. pg then wraps the socket with the environment's
      // `tls` builtin, which hands the same socket back: the protocol goes on in plaintext (the
      // handshake's time is charged below, for every connection). Clients that do not ask never get here.
      this.#send(Buffer.from('S', 'latin1'));
      return;
    }
    if (code === wire.GSSENC_REQUEST) {
      this.#send(Buffer.from('N', 'latin1'));
      return;
    }
    if (code === wire.CANCEL_REQUEST) {
      void this.#close('protocol');
      return;
    }
    if (code !== wire.PROTOCOL_3 || !parameters.user) {
      this.#send(wire.errorResponse({ S: 'FATAL', V: 'FATAL', C: code !== wire.PROTOCOL_3 ? '0A000' : '28000', M: code !== wire.PROTOCOL_3 ? 'unsupported frontend protocol' : 'no PostgreSQL user name specified in startup packet' }));
      void this.#close('protocol');
      return;
    }
    this.#user = parameters.user;
    const { costs, maxConnections, gate } = server.options;
    const refused = gate?.admit(now);
    if (refused) {
      const ready = server.serve(now, costs.rejectionMs);
      server.event({ kind: 'reject', text: refused.M, code: refused.C });
      this.#send(wire.errorFieldsResponse(refused), ready);
      void this.#close('gate-refused', { at: ready });
      return;
    }
    if (server.active >= maxConnections) {
      // InitProcess found no free slot: the error comes before any authentication request.
      const ready = server.serve(now, costs.rejectionMs);
      server.stats.rejectedTooManyClients++;
      server.event({ kind: 'reject', text: `${(gate?.tooManyConnections ?? postgresErrors.tooManyClients.value).M} (${server.active} of ${maxConnections} in use)`, code: '53300' });
      this.#send(wire.errorFieldsResponse(gate?.tooManyConnections ?? postgresErrors.tooManyClients.value), ready);
      void this.#close('too-many-clients', { at: ready });
      return;
    }
    this.pid = server.nextPid();
    this.#counted = true;
    server.opened(this);
    server.active++;
    server.changed();
    this.#phase = 'auth';
    const ready = server.serve(now, costs.backendStartMs) + costs.tlsHandshakeMs;
    this.#freeAt = ready;
    this.#send(wire.authenticationCleartextPassword(), ready);
  }

  /** A promise only when a gate authenticates (it waits for tracked work); otherwise answered at once. */
  #password(message: Buffer): Promise<void> | undefined {
    const server = this.#server;
    const { costs, gate } = server.options;
    const given = message.subarray(5, message.length - 1).toString('utf8');
    const ready = server.serve(Math.max(this.#scheduler.now, this.#freeAt), costs.authenticationMs);
    this.#freeAt = ready;
    if (gate) return this.#gateAuthenticates(gate, given, ready);
    if (!server.checksPassword(this.#user, given)) {
      server.stats.authFailures++;
      const fields = { ...postgresErrors.passwordFailed.value, M: postgresErrors.passwordFailed.value.M.replace('%s', this.#user) };
      server.event({ kind: 'reject', text: fields.M, code: '28P01' });
      this.#send(wire.errorFieldsResponse(fields), ready);
      void this.#close('auth-failed', { at: ready });
      return undefined;
    }
    this.#authenticated(ready);
    return undefined;
  }

  async #gateAuthenticates(gate: ConnectionGate, given: string, ready: number): Promise<void> {
    const server = this.#server;
    const refused = await this.#scheduler.track(gate.authenticate(this.#user, given));
    if (this.#closed()) return;
    if (refused) {
      server.stats.authFailures++;
      server.event({ kind: 'reject', text: refused.M, code: refused.C });
      this.#send(wire.errorFieldsResponse(refused), ready);
      void this.#close('auth-failed', { at: ready });
      return;
    }
    this.#authenticated(ready);
  }

  #authenticated(ready: number): void {
    const server = this.#server;
    const { superusers, maxConnections, reservedConnections, reservedSlotError, gate } = server.options;
    if (!superusers.includes(this.#user) && maxConnections - server.active < reservedConnections) {
      // InitPostgres: checked after authentication, so AuthenticationOk comes first.
      server.stats.rejectedReserved++;
      server.event({ kind: 'reject', text: `${reservedSlotError.M} (${server.active} of ${maxConnections} in use)`, code: '53300' });
      this.#send(Buffer.concat([wire.authenticationOk(), wire.errorFieldsResponse(reservedSlotError)]), ready);
      void this.#close('reserved-slots', { at: ready });
      return;
    }
    this.#phase = 'ready';
    server.stats.accepted++;
    server.event({ kind: 'accept', text: `pid ${this.pid} user ${this.#user} (${server.active} of ${maxConnections} in use)` });
    this.#send(server.startupReply(this.pid), ready);
    this.#armIdleTimer(ready);
    if (gate?.sessionLifetimeMs) this.#scheduler.at(ready + gate.sessionLifetimeMs, () => this.#expire());
  }

  /** The session reached its lifetime: closed now if idle, or as soon as its transaction ends. */
  #expire(): void {
    if (this.#phase === 'closed') return;
    this.#expired = true;
    if (this.#txStatus !== 'I' || this.#busy || this.#jobs.length > 0) return;
    this.#send(wire.errorFieldsResponse(this.#server.options.gate!.sessionExpired()));
    void this.#close('session-lifetime');
  }

  async #exec(messages: Buffer[], changesSettings: boolean): Promise<void> {
    const server = this.#server;
    if (this.#phase !== 'ready') {
      this.#send(wire.errorResponse({ S: 'FATAL', V: 'FATAL', C: '08P01', M: 'invalid frontend message type' }));
      await this.#close('protocol');
      return;
    }
    if (!this.#holdsSession) {
      const granted = await server.session.acquire(this);
      if (this.#closed()) {
        if (granted) server.session.release(this);
        return;
      }
      if (!granted) {
        server.stats.sessionWaitFailures++;
        const fields = postgresErrors.sessionBusy.value;
        this.#send(Buffer.concat([wire.errorFieldsResponse({ ...fields, M: fields.M.replace('%s', String(server.session.waitLimitMs)) }), wire.readyForQuery(this.#txStatus)]));
        this.#armIdleTimer(this.#scheduler.now);
        return;
      }
      this.#holdsSession = true;
      await this.#takeSettings();
    }
    const bytes = Buffer.concat(messages.map((m) => this.#renameStatements(m)));
    const reply = this.#alterPassword(messages) ?? (await server.exec(bytes));
    if (changesSettings) {
      this.settingsDirty = true;
      server.sessionHasSettings = true;
    }
    const ready = server.serve(Math.max(this.#scheduler.now, this.#freeAt), server.queryServiceMs());
    this.#freeAt = ready;
    if (this.#closed()) return;
    this.#send(reply, ready);
    const status = wire.lastReadyStatus(reply);
    if (status) this.#txStatus = status;
    if (status === 'I') {
      this.#holdsSession = false;
      server.session.release(this);
      this.#armIdleTimer(ready);
      if (this.#expired) this.#scheduler.at(ready, () => this.#expire());
    }
  }

  /** The reply to a lone `ALTER ROLE … PASSWORD` outside a transaction, or null for any other batch (PGlite's). */
  #alterPassword(messages: Buffer[]): Buffer | null {
    if (messages.length !== 1 || messages[0]![0] !== 0x51 /* Q */ || this.#txStatus !== 'I') return null;
    const match = ALTER_PASSWORD.exec(wire.statementText(messages[0]!)?.sql ?? '');
    if (!match) return null;
    const role = match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.toLowerCase();
    const refused = this.#server.alterPassword(this.#user, role, match[3]!.replaceAll("''", "'"));
    return Buffer.concat([refused ? wire.errorFieldsResponse(refused) : wire.commandComplete('ALTER ROLE'), wire.readyForQuery('I')]);
  }

  /** Make PGlite's session carry this connection's `SET` values, saving the previous holder's. */
  async #takeSettings(): Promise<void> {
    const server = this.#server;
    const previous = server.settingsOwner;
    if (previous === this) return;
    if (previous && previous.settingsDirty) {
      previous.savedSettings = (await server.sql(`SELECT name, setting FROM pg_settings WHERE source = 'session'`)) as Array<{ name: string; setting: string }>;
      previous.settingsDirty = false;
    }
    if (server.sessionHasSettings) {
      await server.sql('RESET ALL');
      server.sessionHasSettings = false;
    }
    if (this.savedSettings.length > 0) {
      const calls = this.savedSettings.map((s) => `set_config(${literal(s.name)}, ${literal(s.setting)}, false)`).join(', ');
      await server.sql(`SELECT ${calls}`);
      server.sessionHasSettings = true;
    }
    server.settingsOwner = this;
  }

  #armIdleTimer(from: number): void {
    const timeout = this.#server.options.idleSessionTimeoutMs;
    if (!timeout) return;
    this.#scheduler.cancel(this.#idleTimer);
    this.#idleTimer = this.#scheduler.at(from + timeout, () => {
      this.#idleTimer = null;
      if (this.#phase !== 'ready' || this.#txStatus !== 'I' || this.#busy || this.#jobs.length > 0) return;
      this.#server.stats.idleSessionTimeouts++;
      this.#send(wire.errorFieldsResponse(postgresErrors.idleSessionTimeout.value));
      void this.#close('idle-session-timeout');
    });
  }

  /** Named prepared statements get a per-connection prefix: every connection shares one PGlite session. */
  #renameStatements(bytes: Buffer): Buffer {
    const type = String.fromCharCode(bytes[0]!);
    if (type !== 'P' && type !== 'B' && type !== 'D' && type !== 'C') return bytes;
    const prefixed = (name: string) => `c${this.pid}_${name}`;
    const rebuild = (parts: Buffer[]) => wire.message(type, Buffer.concat(parts));
    if (type === 'P') {
      const [name, rest] = wire.cstring(bytes, 5);
      if (!name) return bytes;
      this.#statements.add(name);
      return rebuild([Buffer.from(`${prefixed(name)}\0`, 'utf8'), bytes.subarray(rest)]);
    }
    if (type === 'B') {
      const [portal, afterPortal] = wire.cstring(bytes, 5);
      const [statement, rest] = wire.cstring(bytes, afterPortal);
      if (!statement) return bytes;
      return rebuild([Buffer.from(`${portal}\0${prefixed(statement)}\0`, 'utf8'), bytes.subarray(rest)]);
    }
    if (bytes[5] !== 0x53 /* 'S': a statement, not a portal */) return bytes;
    const [name, rest] = wire.cstring(bytes, 6);
    if (!name) return bytes;
    if (type === 'C') this.#statements.delete(name);
    return rebuild([Buffer.from(`S${prefixed(name)}\0`, 'utf8'), bytes.subarray(rest)]);
  }

  /** A promise only when the backend has a transaction or prepared statements to undo in PGlite. */
  #close(reason: CloseReason, options: { fin?: boolean; at?: number } = {}): Promise<void> | undefined {
    if (this.#phase === 'closed') return;
    const server = this.#server;
    this.#phase = 'closed';
    this.#scheduler.cancel(this.#idleTimer);
    this.#idleTimer = null;
    if (options.fin ?? true) this.#socket.deliverFin(Math.max(options.at ?? this.#scheduler.now, this.#freeAt));
    if (!this.#counted) return;
    this.#counted = false;
    server.closed(this);
    server.active--;
    server.stats.closesByReason[reason] = (server.stats.closesByReason[reason] ?? 0) + 1;
    if (this.#vanished) server.zombies--;
    server.changed();
    if (reason !== 'too-many-clients' && reason !== 'reserved-slots' && reason !== 'auth-failed' && reason !== 'gate-refused') server.event({ kind: 'close', text: `pid ${this.pid} (${reason})`, reason, ...(reason === 'idle-session-timeout' ? { code: '57P05' } : {}) });
    if (server.settingsOwner === this) server.settingsOwner = null;
    // What a backend's exit does: abort its open transaction and forget its prepared statements.
    if (this.#txStatus !== 'I' || this.#statements.size > 0 || this.#holdsSession) return this.#undoSession();
    server.session.abandon(this);
  }

  async #undoSession(): Promise<void> {
    const server = this.#server;
    const held = this.#holdsSession || (await server.session.acquire(this));
    try {
      if (held) {
        const deallocate = [...this.#statements].map((name) => `DEALLOCATE "c${this.pid}_${name.replace(/"/g, '""')}";`).join('');
        await server.exec(Buffer.concat([wire.sync(), wire.simpleQuery(`ROLLBACK;${deallocate}`)]));
      }
    } finally {
      this.#holdsSession = false;
      server.session.abandon(this);
    }
  }
}

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
