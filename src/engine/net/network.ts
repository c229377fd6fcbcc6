/**
 * A virtual TCP network on the scheduler: what `require('net')` returns inside an execution
 * environment, so the real `pg` driver connects through it unchanged.
 *
 * Each direction is FIFO after a one-way latency drawn once per connection. Client-side events
 * belong to the client's owner (an execution environment), so they wait while it is frozen and
 * vanish when it dies. Three ways a client can go: `end()` (FIN), `destroy()` (RST), and the two
 * process deaths: `processExit()` (the kernel closes the socket, FIN) and `vanish()` (the microVM is
 * gone and nothing is sent; only the server's timeouts can notice).
 */
import { Buffer } from 'buffer';
import { EventEmitter } from '../host/polyfills.ts';
import type { EventOwner, Scheduler } from '../clock/scheduler.ts';

/**
 * The server end of one TCP connection. Each `receive*` runs in an event of its own and returns
 * true when the server's reaction started no microtask and no tracked work (it answered, or only
 * queued), so the clock need not settle after it (Scheduler.atReporting); false when it may have.
 */
export interface ServerSide {
  receive(chunk: Buffer): boolean;
  receiveFin(): boolean;
  receiveReset(): boolean;
  /** The client host disappeared without a FIN or RST. */
  peerVanished(): void;
}

export interface Listener {
  /** Synchronous: it runs in a bookkeeping event (Scheduler.atSync), as the kernel's accept does. */
  accept(socket: ClientSocket): ServerSide;
}

type Callback = (error?: Error | null) => void;

const socketError = (code: string, syscall: string, text: string): Error =>
  Object.assign(new Error(text), { code, errno: code === 'ECONNRESET' ? -104 : code === 'ECONNREFUSED' ? -111 : -32, syscall });

export class Network {
  readonly #hosts = new Map<string, Listener>();
  readonly #sockets = new Map<EventOwner, Set<ClientSocket>>();
  readonly scheduler: Scheduler;
  readonly oneWayMs: () => number;

  constructor(scheduler: Scheduler, oneWayMs: () => number) {
    this.scheduler = scheduler;
    this.oneWayMs = oneWayMs;
  }

  listen(host: string, port: number, listener: Listener): void {
    this.#hosts.set(`${host}:${port}`, listener);
  }

  lookup(host: string, port: number): Listener | undefined {
    return this.#hosts.get(`${host}:${port}`);
  }

  /** The `net` module for one owner's modules. */
  netModuleFor(owner: EventOwner): Record<string, unknown> {
    const network = this;
    // Not a subclass per owner: every owner's sockets are ClientSockets, so the code that drives
    // them (pg's, shared by a run's environments) sees one shape rather than one per environment.
    // A handler's own subclass of `net.Socket` still gets its prototype.
    function Socket(): ClientSocket {
      if (!new.target) throw new TypeError("Class constructor Socket cannot be invoked without 'new'");
      return new.target === Socket ? new ClientSocket(network, owner) : (Reflect.construct(ClientSocket, [network, owner], new.target) as ClientSocket);
    }
    Socket.prototype = ClientSocket.prototype;
    return {
      Socket,
      Stream: Socket,
      isIP: (input: string) => (/^\d+\.\d+\.\d+\.\d+$/.test(input) ? 4 : input.includes(':') ? 6 : 0),
      isIPv4: (input: string) => /^\d+\.\d+\.\d+\.\d+$/.test(input),
      isIPv6: (input: string) => input.includes(':'),
      connect: (port: number, host: string) => new ClientSocket(network, owner).connect(port, host),
      createConnection: (port: number, host: string) => new ClientSocket(network, owner).connect(port, host),
    };
  }

  register(owner: EventOwner, socket: ClientSocket): void {
    let set = this.#sockets.get(owner);
    if (!set) this.#sockets.set(owner, (set = new Set()));
    set.add(socket);
  }

  unregister(owner: EventOwner, socket: ClientSocket): void {
    this.#sockets.get(owner)?.delete(socket);
  }

  /** The owner's process exited: the kernel closes its sockets (FIN). */
  processExit(owner: EventOwner): void {
    for (const socket of this.#take(owner)) socket.processExit();
  }

  /** The owner's host vanished: nothing reaches the servers. */
  vanish(owner: EventOwner): void {
    for (const socket of this.#take(owner)) socket.vanish();
  }

  openSockets(owner: EventOwner): number {
    return this.#sockets.get(owner)?.size ?? 0;
  }

  #take(owner: EventOwner): ClientSocket[] {
    const set = this.#sockets.get(owner);
    this.#sockets.delete(owner);
    return set ? [...set] : [];
  }
}

export class ClientSocket extends EventEmitter {
  writable = false;
  readable = true;
  destroyed = false;
  connecting = false;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  readonly #network: Network;
  readonly #owner: EventOwner;
  readonly #scheduler: Scheduler;
  #server: ServerSide | null = null;
  #latency = 0;
  /** Time the last packet towards the server arrives (FIFO). */
  #upAt = 0;
  /** Time the last packet towards the client arrives (FIFO). */
  #downAt = 0;
  #ended = false;
  #gone = false;
  #pending: { at: number; chunks: Buffer[]; sent: boolean } | null = null;

  constructor(network: Network, owner: EventOwner) {
    super();
    this.#network = network;
    this.#owner = owner;
    this.#scheduler = network.scheduler;
    network.register(owner, this);
  }

  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  cork(): void {}
  uncork(): void {}

  connect(port: number, host: string): this {
    const scheduler = this.#scheduler;
    this.connecting = true;
    this.remotePort = port;
    this.remoteAddress = host;
    this.#latency = this.#network.oneWayMs();
    const listener = this.#network.lookup(host, port);
    this.#upAt = scheduler.now + this.#latency;
    scheduler.atSync(this.#upAt, () => {
      if (this.#gone) return;
      this.#downAt = scheduler.now + this.#latency;
      if (!listener) {
        scheduler.at(this.#downAt, () => {
          if (this.destroyed) return;
          this.#close();
          this.emit('error', socketError('ECONNREFUSED', 'connect', `connect ECONNREFUSED ${host}:${port}`));
          this.emit('close', true);
        }, this.#owner, 'io');
        return;
      }
      this.#server = listener.accept(this);
      scheduler.at(this.#downAt, () => {
        if (this.destroyed) return;
        this.connecting = false;
        this.writable = true;
        this.emit('connect');
        this.emit('ready');
      }, this.#owner, 'io');
    });
    return this;
  }

  write(chunk: Uint8Array | string, encoding?: string | Callback, callback?: Callback): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (!this.writable) {
      const error = socketError('EPIPE', 'write', this.destroyed ? 'This socket has been ended by the other party' : 'write after end');
      queueMicrotask(() => {
        done?.(error);
        this.emit('error', error);
      });
      return false;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    const at = this.#nextUp();
    const pending = this.#pending;
    if (pending && pending.at === at && !pending.sent) pending.chunks.push(bytes);
    else {
      const packet: { at: number; chunks: Buffer[]; sent: boolean } = { at, chunks: [bytes], sent: false };
      this.#pending = packet;
      this.#scheduler.atReporting(at, () => {
        packet.sent = true;
        return this.#server?.receive(packet.chunks.length === 1 ? packet.chunks[0]! : Buffer.concat(packet.chunks)) ?? true;
      });
    }
    if (done) queueMicrotask(() => done(null));
    return true;
  }

  end(data?: unknown, encoding?: unknown, callback?: unknown): this {
    if (typeof data === 'function') callback = data;
    else if (data != null) this.write(data as Uint8Array, encoding as string);
    if (this.#ended || this.destroyed) return this;
    this.#ended = true;
    this.writable = false;
    this.#scheduler.atReporting(this.#nextUp(), () => this.#server?.receiveFin() ?? true);
    if (typeof callback === 'function') this.once('finish', callback as () => void);
    return this;
  }

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    const hadServer = this.#server !== null || this.connecting;
    this.#close();
    if (hadServer) this.#scheduler.atReporting(this.#nextUp(), () => this.#server?.receiveReset() ?? true);
    queueMicrotask(() => {
      if (error) this.emit('error', error);
      this.emit('close', !!error);
    });
    return this;
  }

  processExit(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.destroyed = true;
    this.writable = false;
    if (!this.#ended) this.#scheduler.atReporting(this.#nextUp(), () => this.#server?.receiveFin() ?? true);
  }

  vanish(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.destroyed = true;
    this.writable = false;
    const server = this.#server;
    if (server) server.peerVanished();
  }

  // ---- called by the server end at server time `ready`

  deliver(bytes: Buffer, ready: number): void {
    if (this.#gone) return;
    this.#scheduler.at(this.#nextDown(ready), () => {
      if (!this.destroyed) this.emit('data', bytes);
    }, this.#owner, 'io');
  }

  deliverFin(ready: number): void {
    if (this.#gone) return;
    this.#scheduler.at(this.#nextDown(ready), () => {
      if (this.destroyed) return;
      this.#close();
      this.emit('end');
      this.emit('close', false);
    }, this.#owner, 'io');
  }

  deliverReset(ready: number): void {
    if (this.#gone) return;
    this.#scheduler.at(this.#nextDown(ready), () => {
      if (this.destroyed) return;
      this.#close();
      this.emit('error', socketError('ECONNRESET', 'read', 'read ECONNRESET'));
      this.emit('close', true);
    }, this.#owner, 'io');
  }

  #close(): void {
    this.destroyed = true;
    this.writable = false;
    this.connecting = false;
    this.#gone = true;
    this.#network.unregister(this.#owner, this);
  }

  #nextUp(): number {
    this.#upAt = Math.max(this.#scheduler.now + this.#latency, this.#upAt);
    return this.#upAt;
  }

  #nextDown(ready: number): number {
    this.#downAt = Math.max(ready + this.#latency, this.#downAt);
    return this.#downAt;
  }
}
