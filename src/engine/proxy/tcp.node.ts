/**
 * The proxy model on real TCP (Node only): the host adapter behind `connlab proxy`. Same RdsProxy,
 * real sockets and real timers, in front of a real PostgreSQL. It adds no latency of its own
 * (the network's is real) and answers SSLRequest with `N`: clients connect in plaintext.
 */
import { createServer, connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'buffer';
import { proxySettings } from '../../facts/rds-proxy.ts';
import type { ProxyObserver } from './options.ts';
import { RdsProxy } from './proxy.ts';
import type { DatabaseConnector, ProxyClock } from './transport.ts';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface TcpProxyOptions {
  listen: { host: string; port: number };
  target: PostgresTarget;
  /** The target's max_connections (the CLI asks the server). */
  targetMaxConnections: number;
  maxConnectionsPercent?: number;
  maxIdleConnectionsPercent?: number;
  connectionBorrowTimeoutMs?: number;
  idleClientTimeoutMs?: number;
  observer?: ProxyObserver;
}

export interface TcpProxy {
  readonly proxy: RdsProxy;
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

/** Parses `postgres://user:password@host:port/database`; returns the reason when it is not one. */
export function parseTarget(text: string): PostgresTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `the scheme must be postgres:// or postgresql://, not ${url.protocol}//`;
  if (!url.hostname) return 'no host';
  if (!url.username) return 'no user name';
  if (!url.password) return 'no password (the proxy logs in with it, as RDS Proxy does with its Secrets Manager secret)';
  const port = url.port ? Number(url.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return `bad port ${url.port}`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username);
  if (database.includes('/')) return `bad database name ${database}`;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database };
}

const realClock: ProxyClock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  track: (work) => work,
};

/**
 * Backpressure between real sockets. What one socket's bytes make the proxy write to other sockets
 * (a client's queries to its database connection, a database's rows to their client) is written as
 * it comes; when a socket written to holds more than it can send, the socket read from pauses until
 * it drains (or closes), so a fast sender fills kernel buffers, not the proxy's memory. Writes to the
 * socket being read are not counted: pausing a database connection because its own queries wait to
 * be sent would stop reading the rows it must send before it reads on, a deadlock.
 */
class FlowControl {
  /** The sockets written while one socket's bytes are handled. */
  #written: Set<Socket> | null = null;
  /** Per paused socket: how many sockets it waits for. */
  readonly #waits = new Map<Socket, number>();

  write(socket: Socket, bytes: Buffer): void {
    socket.write(bytes);
    this.#written?.add(socket);
  }

  read(source: Socket, handle: () => void): void {
    const written = new Set<Socket>();
    this.#written = written;
    try {
      handle();
    } finally {
      this.#written = null;
    }
    for (const socket of written) if (socket !== source && socket.writableNeedDrain) this.#wait(source, socket);
  }

  #wait(source: Socket, congested: Socket): void {
    this.#waits.set(source, (this.#waits.get(source) ?? 0) + 1);
    source.pause();
    let done = false;
    const resume = () => {
      if (done) return;
      done = true;
      congested.off('drain', resume).off('close', resume);
      const left = this.#waits.get(source)! - 1;
      if (left > 0) this.#waits.set(source, left);
      else {
        this.#waits.delete(source);
        source.resume();
      }
    };
    congested.on('drain', resume).on('close', resume);
  }
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const { target } = options;
  const maxConnectionsPercent = options.maxConnectionsPercent ?? proxySettings.maxConnectionsPercent.value;
  const flow = new FlowControl();
  const connector: DatabaseConnector = (events) => {
    const socket = connect(target.port, target.host);
    socket.setNoDelay(true);
    socket.on('connect', () => events.connected());
    socket.on('data', (bytes: Uint8Array) => flow.read(socket, () => events.data(Buffer.from(bytes))));
    socket.on('error', () => {});
    socket.on('close', () => events.closed('the database closed the connection'));
    return { write: (bytes) => flow.write(socket, bytes), close: () => void socket.end() };
  };
  const proxy = new RdsProxy(
    {
      name: 'connlab-proxy',
      endpoint: `${options.listen.host}:${options.listen.port}`,
      targetMaxConnections: options.targetMaxConnections,
      maxConnectionsPercent,
      maxIdleConnectionsPercent: options.maxIdleConnectionsPercent ?? Math.floor((maxConnectionsPercent * proxySettings.maxIdleConnectionsPercentOfMax.value) / 100),
      connectionBorrowTimeoutMs: options.connectionBorrowTimeoutMs ?? proxySettings.connectionBorrowTimeout.value,
      idleClientTimeoutMs: options.idleClientTimeoutMs ?? proxySettings.idleClientTimeout.value,
      reservedForProxy: proxySettings.reservedForProxy.value,
      databaseIdleAfterMs: proxySettings.databaseConnectionIdleAfter.value,
      auth: { secrets: { [target.user]: target.password }, iam: 'DISABLED', region: 'us-east-1', iamCredentials: {} },
      acceptsTls: false,
      costs: { clientSetupMs: 0, iamVerificationMs: 0, addedLatencyMs: 0 },
      databaseOverride: target.database,
    },
    realClock,
    connector,
    options.observer ?? {},
  );
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let closed = false;
    const handle = proxy.accept({
      send: (bytes) => flow.write(socket, bytes),
      close: () => {
        closed = true;
        socket.end();
      },
    });
    socket.on('data', (bytes: Uint8Array) => {
      // A client that keeps sending after the proxy closed its connection (one streaming a huge
      // message it was refused) is cut off, as a backend's exit cuts it off from PostgreSQL.
      if (closed) socket.destroySoon();
      else flow.read(socket, () => handle.receive(Buffer.from(bytes)));
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      handle.closed();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.listen.port;
  return {
    proxy,
    address: { host: options.listen.host, port },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      for (const connection of [...proxy.connections]) connection.close('proxy shutting down');
      await closed;
    },
  };
}
