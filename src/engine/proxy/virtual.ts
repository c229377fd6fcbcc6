/**
 * The proxy on the virtual network: it listens on its own host name like the virtual PostgreSQL
 * does, and reaches the database through virtual sockets of its own (an owner that never freezes).
 *
 * TLS: the proxy answers SSLRequest with `S`, and the environment's `tls.connect` hands back the
 * same socket (modules.ts): nothing is encrypted, but "the client asked for TLS" is exactly what the
 * client did, which is what IAM authentication checks.
 */
import type { Buffer } from 'buffer';
import type { EventOwner, Scheduler } from '../clock/scheduler.ts';
import { VIRTUAL_EPOCH } from '../lambda/environment.ts';
import { ClientSocket, type Listener, type Network, type ServerSide } from '../net/network.ts';
import type { ProxyObserver, ProxyOptions } from './options.ts';
import { RdsProxy } from './proxy.ts';
import type { DatabaseConnector, ProxyClock } from './transport.ts';

/** The proxy fleet: always running, never frozen. */
const proxyHost: EventOwner = { frozen: false, dead: false, park: () => {} };

export function virtualClock(scheduler: Scheduler): ProxyClock {
  return {
    now: () => scheduler.now,
    epochMs: () => VIRTUAL_EPOCH + scheduler.now,
    after(ms, run) {
      const event = scheduler.after(ms, run);
      return { cancel: () => scheduler.cancel(event) };
    },
    track: (work) => scheduler.track(work),
  };
}

export class VirtualRdsProxy implements Listener {
  readonly proxy: RdsProxy;
  readonly #scheduler: Scheduler;

  constructor(scheduler: Scheduler, network: Network, target: { host: string; port: number }, options: ProxyOptions, observer: ProxyObserver = {}) {
    this.#scheduler = scheduler;
    const connector: DatabaseConnector = (events) => {
      const socket = new ClientSocket(network, proxyHost);
      socket.on('connect', () => events.connected());
      socket.on('data', (bytes: Buffer) => events.data(bytes));
      socket.on('error', () => {});
      socket.on('close', () => events.closed('the database closed the connection'));
      socket.connect(target.port, target.host);
      return {
        write: (bytes) => socket.write(bytes),
        close: () => socket.end(),
      };
    };
    this.proxy = new RdsProxy(options, virtualClock(scheduler), connector, observer);
  }

  accept(socket: ClientSocket): ServerSide {
    const scheduler = this.#scheduler;
    const handle = this.proxy.accept({
      send: (bytes, delayMs) => socket.deliver(bytes, scheduler.now + delayMs),
      close: () => socket.deliverFin(scheduler.now),
    });
    return {
      receive: (chunk) => handle.receive(chunk),
      // Closing answers synchronously: it frees the client's borrowed connection, perhaps for a waiting client.
      receiveFin: () => {
        handle.closed();
        return true;
      },
      receiveReset: () => {
        handle.closed();
        return true;
      },
      // A vanished client (a reclaimed Lambda environment) sends nothing more: only
      // IdleClientTimeout will close its connection.
      peerVanished: () => {},
    };
  }
}
