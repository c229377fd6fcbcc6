/**
 * What the proxy model needs from its host, whatever the transport: a clock, each client's end of
 * its connection, and a way to open connections to the database. The virtual network (virtual.ts)
 * and real TCP (tcp.ts) each provide them.
 */
import type { Buffer } from 'buffer';

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

export interface ClientHandle {
  /** True when the proxy's reaction started no asynchronous work (an IAM token check is the one that does). */
  receive(bytes: Buffer): boolean;
  /** The client closed (FIN or RST). */
  closed(): void;
}
