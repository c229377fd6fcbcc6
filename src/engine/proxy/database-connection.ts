/**
 * One connection from the proxy to the database, logged in with the secret's credentials
 * (cleartext or SCRAM-SHA-256). Once ready it forwards what the database sends to the client that
 * borrowed it, and tells its pool when it is ready or closed.
 */
import { Buffer } from 'buffer';
import * as wire from '../postgres/wire.ts';
import { ScramClient } from './auth.ts';
import type { Pin } from './pinning.ts';
import type { DatabaseConnector, DatabaseTransport, ProxyClock, ProxyTimer } from './transport.ts';

/** The client that borrowed a connection: it gets the replies, and hears when the connection is lost. */
export interface Borrower {
  /** What pinned the session to this connection, if anything (the gauges count pinned connections). */
  readonly pin: Pin | null;
  fromDatabase(bytes: Buffer, readyStatuses: Array<'I' | 'T' | 'E'>): void;
  connectionLost(why: string): void;
}

/** The pool a connection belongs to. */
export interface ConnectionPool {
  readonly clock: ProxyClock;
  track(connection: DatabaseConnection): void;
  connectionReady(connection: DatabaseConnection): void;
  connectionClosed(connection: DatabaseConnection, why: string, failedSetup: boolean): void;
}

/** One connection from the proxy to the database, logged in with the secret's credentials. */
export class DatabaseConnection {
  readonly #proxy: ConnectionPool;
  readonly #transport: DatabaseTransport;
  readonly user: string;
  readonly database: string;
  readonly #password: string;
  phase: 'connecting' | 'auth' | 'ready' | 'closed' = 'connecting';
  owner: Borrower | null = null;
  pendingReady = 0;
  txStatus: 'I' | 'T' | 'E' = 'I';
  sentAt = 0;
  idleTimer: ProxyTimer | null = null;
  parameterStatus: Buffer = Buffer.alloc(0);
  readonly #framer = new wire.BackendFramer();
  #scram: ScramClient | null = null;
  #authChain: Promise<void> = Promise.resolve();

  constructor(proxy: ConnectionPool, connector: DatabaseConnector, user: string, password: string, database: string) {
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
