/**
 * PostgreSQL v3 wire framing: just what the virtual server reads and writes itself. Everything
 * else passes through to PGlite as bytes.
 */
import { Buffer } from 'buffer';

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

export function backendKeyData(pid: number, secret: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(pid, 0);
  body.writeInt32BE(secret | 0, 4);
  return message('K', body);
}

/** An ErrorResponse with its fields in the order given (PostgreSQL sends S V C M [D H P …] F L R). */
export function errorResponse(fields: Readonly<Record<string, string | undefined>>): Buffer {
  const parts: Buffer[] = [];
  for (const [code, value] of Object.entries(fields)) if (value !== undefined) parts.push(Buffer.from(`${code}${value}\0`, 'utf8'));
  parts.push(Buffer.from([0]));
  return message('E', Buffer.concat(parts));
}

export interface StartupPacket {
  readonly code: number;
  readonly parameters: Readonly<Record<string, string>>;
}

export function parseStartup(packet: Buffer): StartupPacket {
  const code = packet.readInt32BE(4);
  const parameters: Record<string, string> = {};
  if (code === PROTOCOL_3) {
    const fields = packet.subarray(8).toString('utf8').split('\0');
    for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) parameters[fields[i]!] = fields[i + 1]!;
  }
  return { code, parameters };
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

/** Reads a NUL-terminated string; returns it and the offset after the NUL. */
export function cstring(bytes: Buffer, offset: number): [string, number] {
  const end = bytes.indexOf(0, offset);
  return [bytes.subarray(offset, end).toString('utf8'), end + 1];
}
