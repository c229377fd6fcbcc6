/**
 * PostgreSQL v3 wire framing: what the virtual server and the proxy read and write themselves.
 * Everything else passes through (to PGlite, or to the database) as bytes.
 *
 * Framing of what clients send lives here once, for both: every length word is checked as
 * PostgreSQL 15 checks it before reading a body, so a hostile length can neither crash the reader,
 * nor stall it, nor make it buffer more than one message may hold.
 */
import { Buffer } from 'buffer';
import { protocolErrors, protocolLimits, type ErrorFields } from '../../facts/postgres.ts';

export const PROTOCOL_3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

export function message(type: string, body: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(body.length + 4, 1);
  out.set(body, 5);
  return out;
}

const int32 = (value: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value, 0);
  return b;
};

export const authenticationOk = (): Buffer => message('R', int32(0));
export const authenticationCleartextPassword = (): Buffer => message('R', int32(3));
export const readyForQuery = (status: 'I' | 'T' | 'E'): Buffer => message('Z', Buffer.from(status, 'latin1'));
export const sync = (): Buffer => message('S');
export const simpleQuery = (sql: string): Buffer => message('Q', Buffer.from(`${sql}\0`, 'utf8'));
export const commandComplete = (tag: string): Buffer => message('C', Buffer.from(`${tag}\0`, 'utf8'));

export function backendKeyData(pid: number, secret: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(pid, 0);
  body.writeInt32BE(secret | 0, 4);
  return message('K', body);
}

/** An ErrorResponse with its fields in the order given (PostgreSQL sends S V C M [D H P …] F L R). */
export function errorResponse(fields: Readonly<Record<string, string | undefined>>): Buffer {
  // One buffer, written once: a spike's rejections each send one.
  let body = '';
  for (const [code, value] of Object.entries(fields)) if (value !== undefined) body += `${code}${value}\0`;
  body += '\0';
  const length = Buffer.byteLength(body, 'utf8');
  const out = Buffer.allocUnsafe(5 + length);
  out.write('E', 0, 'latin1');
  out.writeInt32BE(length + 4, 1);
  out.write(body, 5, 'utf8');
  return out;
}

/** The ErrorResponse of a PostgreSQL error's fields, its message text given when it fills in a `%` placeholder. */
export function errorFieldsResponse(fields: ErrorFields, text = fields.M): Buffer {
  return errorResponse({ S: fields.S, V: fields.V, C: fields.C, M: text, F: fields.F, R: fields.R });
}

/** A StartupMessage (or another untyped packet, by its code) with its name/value pairs, length word included. */
export function startupPacket(parameters: Readonly<Record<string, string>>, code: number = PROTOCOL_3): Buffer {
  const pairs = Buffer.from(`${Object.entries(parameters).map(([name, value]) => `${name}\0${value}\0`).join('')}\0`, 'utf8');
  const packet = Buffer.alloc(8 + pairs.length);
  packet.writeInt32BE(packet.length, 0);
  packet.writeInt32BE(code, 4);
  pairs.copy(packet, 8);
  return packet;
}

export interface StartupPacket {
  readonly code: number;
  /** Own properties only (no prototype): a parameter named `__proto__` or `constructor` is just a name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Whether the parameter list ends with its terminator as the last byte, which PostgreSQL requires. */
  readonly terminated: boolean;
}

/** Reads a whole startup packet (length word included), as ProcessStartupPacket walks its name/value pairs. */
export function parseStartup(packet: Buffer): StartupPacket {
  const code = packet.readInt32BE(4);
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  let offset = 8;
  if (code === PROTOCOL_3) {
    while (offset < packet.length && packet[offset] !== 0) {
      const [name, valueAt] = cstring(packet, offset);
      if (valueAt >= packet.length) break;
      const [value, next] = cstring(packet, valueAt);
      parameters[name] = value;
      offset = next;
    }
  }
  return { code, parameters, terminated: code !== PROTOCOL_3 || offset === packet.length - 1 };
}

/** The status byte of the last ReadyForQuery in a reply, if any. */
export function lastReadyStatus(reply: Buffer): 'I' | 'T' | 'E' | null {
  let status: 'I' | 'T' | 'E' | null = null;
  for (let offset = 0; offset + 5 <= reply.length; offset += 1 + reply.readInt32BE(offset + 1)) {
    if (reply[offset] === 0x5a) status = String.fromCharCode(reply[offset + 5]!) as 'I' | 'T' | 'E';
  }
  return status;
}

/** Iterate the (type, whole message) pairs of a reply, e.g. to pick ParameterStatus out of a startup reply. */
export function* messages(reply: Buffer): Generator<{ type: string; bytes: Buffer }> {
  for (let offset = 0; offset + 5 <= reply.length; ) {
    const length = 1 + reply.readInt32BE(offset + 1);
    yield { type: String.fromCharCode(reply[offset]!), bytes: reply.subarray(offset, offset + length) };
    offset += length;
  }
}

/** The SQL a Query or Parse message carries, and the statement name Parse gives it ('' for Query and the unnamed statement). */
export function statementText(message: Buffer): { sql: string; name: string } | null {
  if (message[0] === 0x51 /* Q */) return { sql: cstring(message, 5)[0], name: '' };
  if (message[0] !== 0x50 /* P */) return null;
  const [name, after] = cstring(message, 5);
  return { sql: cstring(message, after)[0], name };
}

/** The fields of an ErrorResponse or NoticeResponse, by their one-letter codes. */
export function errorFields(message: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  for (let offset = 5; offset < message.length && message[offset] !== 0; ) {
    const [value, next] = cstring(message, offset + 1);
    fields.set(String.fromCharCode(message[offset]!), value);
    offset = next;
  }
  return fields;
}

/** Reads a NUL-terminated string; returns it and the offset after the NUL (the end, when there is none). */
export function cstring(bytes: Buffer, offset: number): [string, number] {
  const nul = bytes.indexOf(0, offset);
  const end = nul < 0 ? bytes.length : nul;
  return [bytes.subarray(offset, end).toString('utf8'), end + 1];
}

const EMPTY = Buffer.alloc(0);

/**
 * Bytes received and not framed yet. A chunk holding whole messages is framed in place; a message
 * split across chunks is gathered in a store that at least doubles when it grows, so each byte is
 * copied a bounded number of times however the stream is cut up. (Joining the whole backlog on every
 * chunk made a slow large message cost time quadratic in its size.) Bytes handed out are never
 * written again: a store is only appended to, and replaced rather than compacted.
 */
export class ReceiveBuffer {
  #store: Buffer = EMPTY;
  #owned = false;
  #start = 0;
  #end = 0;
  #wanted = 0;
  /** Bytes copied to gather messages split across chunks (for tests: it stays linear in what arrived). */
  copied = 0;

  get length(): number {
    return this.#end - this.#start;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.#store = chunk;
      this.#owned = false;
      this.#start = 0;
      this.#end = chunk.length;
      return;
    }
    const length = this.length;
    if (!this.#owned || this.#end + chunk.length > this.#store.length) {
      const need = length + chunk.length;
      // Twice what is here, but no more than the message being gathered needs when its length is known.
      const store = Buffer.allocUnsafe(this.#wanted >= need ? Math.min(2 * need, this.#wanted) : 2 * need);
      this.#store.copy(store, 0, this.#start, this.#end);
      this.copied += length;
      this.#store = store;
      this.#owned = true;
      this.#start = 0;
      this.#end = length;
    }
    chunk.copy(this.#store, this.#end);
    this.copied += chunk.length;
    this.#end += chunk.length;
  }

  /** The caller waits for a frame of `bytes` from the front: size the next store for it. */
  expect(bytes: number): void {
    this.#wanted = bytes;
  }

  byteAt(offset: number): number {
    return this.#store[this.#start + offset]!;
  }

  int32At(offset: number): number {
    return this.#store.readInt32BE(this.#start + offset);
  }

  /** The first `bytes` bytes, without copying; they leave the buffer. */
  take(bytes: number): Buffer {
    const out = this.#store.subarray(this.#start, this.#start + bytes);
    this.#start += bytes;
    this.#wanted = 0;
    if (this.#start === this.#end) this.clear();
    return out;
  }

  clear(): void {
    this.#store = EMPTY;
    this.#owned = false;
    this.#start = 0;
    this.#end = 0;
    this.#wanted = 0;
  }
}

/** Where a client is in the protocol, which decides what it may send next. */
export type FrontendPhase = 'startup' | 'authentication' | 'session';

/** A frame refused: what PostgreSQL logs, and the ErrorResponse it sends first (null: it just closes). */
export interface FramingViolation {
  readonly kind: 'violation';
  readonly reason: string;
  readonly reply: Buffer | null;
}

export type FrontendFrame =
  /** SSLRequest, GSSENCRequest, CancelRequest or a StartupMessage, length word included. */
  | { readonly kind: 'startup'; readonly code: number; readonly packet: Buffer }
  /** A typed message, type byte and length word included. */
  | { readonly kind: 'message'; readonly type: number; readonly bytes: Buffer }
  | FramingViolation;

export interface FramingLimits {
  /** A buffer cap below PostgreSQL's own limits: a message declaring more is refused at its length word. */
  readonly maxMessageBytes: () => number;
  /** The reply to such a message. */
  readonly overLimit: (length: number) => FramingViolation;
}

const { smallMessageLimit, largeMessageLimit, maxStartupPacketLength, minMessageLength, maxAuthTokenLength } = protocolLimits;

/** The message types PostgreSQL 15 takes after login, each with its length limit (SocketBackend). */
const SESSION_MESSAGE_LIMITS: ReadonlyMap<number, number> = new Map([
  ...[...'QFBPd'].map((type): [number, number] => [type.charCodeAt(0), largeMessageLimit.value]),
  ...[...'XCDEHScf'].map((type): [number, number] => [type.charCodeAt(0), smallMessageLimit.value]),
]);
const PASSWORD_MESSAGE = 0x70; /* p */

const fatal = (fields: ErrorFields, type: number): FramingViolation => ({
  kind: 'violation',
  reason: fields.M.replace('%d', String(type)),
  reply: errorFieldsResponse(fields, fields.M.replace('%d', String(type))),
});

/**
 * Frames what one client sends, in the order PostgreSQL reads it: untyped startup packets until one
 * that is not SSLRequest or GSSENCRequest, then one PasswordMessage (cleartext password
 * authentication, the only kind the proxy and the virtual server ask for), then session messages.
 * After a violation it frames nothing more and drops whatever arrives: the caller closes.
 */
export class FrontendFramer {
  readonly #buffer = new ReceiveBuffer();
  readonly #limits: FramingLimits | null;
  #phase: FrontendPhase = 'startup';
  #refused = false;

  constructor(limits: FramingLimits | null = null) {
    this.#limits = limits;
  }

  get phase(): FrontendPhase {
    return this.#phase;
  }

  /** Bytes received and not framed yet. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Bytes copied so far to gather split messages. */
  get copied(): number {
    return this.#buffer.copied;
  }

  push(chunk: Buffer): void {
    if (!this.#refused) this.#buffer.push(chunk);
  }

  /** The next whole frame, a violation, or null when more bytes are needed. */
  next(): FrontendFrame | null {
    if (this.#refused) return null;
    const buffer = this.#buffer;
    if (this.#phase === 'startup') {
      if (buffer.length < 4) return null;
      const length = buffer.int32At(0);
      if (length - 4 < 4 || length - 4 > maxStartupPacketLength.value) return this.#refuse({ kind: 'violation', reason: 'invalid length of startup packet', reply: null });
      if (buffer.length < length) return this.#wait(length);
      const packet = buffer.take(length);
      const code = packet.readInt32BE(4);
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.#phase = 'authentication';
      return { kind: 'startup', code, packet };
    }
    if (buffer.length < 1) return null;
    // PostgreSQL judges the type byte before it reads the length word.
    const type = buffer.byteAt(0);
    const limit = this.#phase === 'authentication' ? (type === PASSWORD_MESSAGE ? maxAuthTokenLength.value : undefined) : SESSION_MESSAGE_LIMITS.get(type);
    if (limit === undefined) return this.#refuse(fatal(this.#phase === 'authentication' ? protocolErrors.expectedPassword.value : protocolErrors.invalidMessageType.value, type));
    if (buffer.length < 5) return null;
    const length = buffer.int32At(1);
    if (length < minMessageLength.value || length > limit) return this.#refuse({ kind: 'violation', reason: 'invalid message length', reply: null });
    if (this.#limits && 1 + length > this.#limits.maxMessageBytes()) return this.#refuse(this.#limits.overLimit(length));
    if (buffer.length < 1 + length) return this.#wait(1 + length);
    const bytes = buffer.take(1 + length);
    if (this.#phase === 'authentication') this.#phase = 'session';
    return { kind: 'message', type, bytes };
  }

  #wait(bytes: number): null {
    this.#buffer.expect(bytes);
    return null;
  }

  #refuse(violation: FramingViolation): FramingViolation {
    this.#refused = true;
    this.#buffer.clear();
    return violation;
  }
}

/**
 * Frames what a database sends (the proxy's own connections): whole messages in runs, so a reply is
 * forwarded with one copy at most. A length word below 4 is a stream that is not PostgreSQL's.
 */
export class BackendFramer {
  readonly #buffer = new ReceiveBuffer();

  push(chunk: Buffer): void {
    this.#buffer.push(chunk);
  }

  /** The whole messages at the front, null when there is none yet, or 'invalid'. */
  next(): Buffer | null | 'invalid' {
    const buffer = this.#buffer;
    let offset = 0;
    while (offset + 5 <= buffer.length) {
      const length = buffer.int32At(offset + 1);
      if (length < minMessageLength.value) {
        buffer.clear();
        return 'invalid';
      }
      if (offset + 1 + length > buffer.length) {
        if (offset === 0) buffer.expect(1 + length);
        break;
      }
      offset += 1 + length;
    }
    return offset > 0 ? buffer.take(offset) : null;
  }
}
