/**
 * Malformed and truncated PostgreSQL frontend traffic from a seed: the same seed gives the same
 * cases, so a failure can be replayed. Each case is what one client sends on one connection: some
 * valid prefix (nothing, a startup packet, or a whole login) and then the damage.
 */
import { Buffer } from 'node:buffer';

/** mulberry32: small, fast and deterministic; good enough to pick cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const PROTOCOL_3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

/** Every frontend message type of protocol 3.0, and a few that are none. */
export const FRONTEND_TYPES = [...'QFBPdXCDEHScfp'];
const NOT_TYPES = ['\0', 'z', 'R', '\xff', 'Z'];
/** Length words at the bounds PostgreSQL checks, and the overflows. */
export const BOUNDARY_LENGTHS = [-1, 0, 3, 4, 5, 7, 8, 10_000, 10_001, 10_004, 10_005, 65_535, 65_536, 0x3fff_fffe, 0x3fff_ffff, 0x7fff_ffff, -0x8000_0000];

export const int32 = (value: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value | 0, 0);
  return b;
};

export function startupPacket(parameters: Record<string, string>, code = PROTOCOL_3): Buffer {
  const body = Buffer.from(`${Object.entries(parameters).map(([k, v]) => `${k}\0${v}\0`).join('')}\0`, 'utf8');
  return Buffer.concat([int32(8 + body.length), int32(code), body]);
}

export function message(type: string, body: Buffer = Buffer.alloc(0), length = body.length + 4): Buffer {
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(length), body]);
}

export const passwordMessage = (password: string): Buffer => message('p', Buffer.from(`${password}\0`, 'utf8'));

export interface FuzzCase {
  readonly name: string;
  /** The bytes, in the writes they are sent in. */
  readonly writes: readonly Buffer[];
}

export interface Login {
  user: string;
  password: string;
  database: string;
}

/** `count` cases from `seed`: startup packets, SSL/GSS/cancel requests, login messages and session messages, each damaged. */
export function frontendFuzzCases(seed: number, count: number, login: Login): FuzzCase[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (below: number) => Math.floor(random() * below);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const startup = startupPacket({ user: login.user, database: login.database });
  const loggedIn = Buffer.concat([startup, passwordMessage(login.password)]);
  const validQuery = message('Q', Buffer.from('SELECT 1\0'));

  /** A body for a declared length: whole, cut short, random, or nothing at all. */
  const body = (length: number, good: () => Buffer): Buffer => {
    const want = Math.max(0, Math.min(length - 4, 2_048));
    switch (int(4)) {
      case 0:
        return good().subarray(0, want);
      case 1:
        return bytes(int(want + 1));
      case 2:
        return Buffer.alloc(0);
      default:
        return bytes(want);
    }
  };

  const makers: Array<() => FuzzCase> = [
    () => {
      const length = pick(BOUNDARY_LENGTHS);
      const code = pick([PROTOCOL_3, SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST, 0x0002_0000, 0x0004_0000, int(2 ** 31)]);
      return { name: `startup length ${length} code ${code}`, writes: [Buffer.concat([int32(length), int32(code), body(length, () => startup.subarray(8))])] };
    },
    () => {
      const code = pick([SSL_REQUEST, GSSENC_REQUEST]);
      return { name: `request ${code} then junk`, writes: [startupPacketCode(code), bytes(1 + int(64))] };
    },
    () => ({ name: 'cancel request with a short key', writes: [Buffer.concat([int32(12), int32(CANCEL_REQUEST), int32(int(2 ** 31))])] }),
    () => ({ name: 'startup without its terminator', writes: [startup.subarray(0, startup.length - 1 - int(4))] }),
    () => {
      const params = pick([{}, { database: login.database }, { user: '' }, JSON.parse('{"__proto__":"x","constructor":"y","user":"toString"}') as object, { user: login.user, options: '\xff'.repeat(int(40)) }]);
      return { name: `startup parameters ${JSON.stringify(params)}`, writes: [startupPacket(params as Record<string, string>)] };
    },
    () => {
      const type = pick([...FRONTEND_TYPES, ...NOT_TYPES]);
      const length = pick(BOUNDARY_LENGTHS);
      return { name: `login then ${JSON.stringify(type)} length ${length}`, writes: [startup, message(type, body(length, () => Buffer.from(`${login.password}\0`)), length)] };
    },
    () => {
      const type = pick([...FRONTEND_TYPES, ...NOT_TYPES]);
      const length = pick(BOUNDARY_LENGTHS);
      const good = () => Buffer.from(pick(['SELECT 1\0', '\0SELECT $1::int\0\0\0', 'S\0', '\0\0\0\0\0\0', `${'x'.repeat(300)}\0`]));
      const prefix = random() < 0.5 ? [loggedIn] : [loggedIn, validQuery];
      return { name: `session then ${JSON.stringify(type)} length ${length}`, writes: [...prefix, message(type, body(length, good), length)] };
    },
    () => {
      // A whole message cut into pieces, the last piece missing.
      const whole = message(pick([...'QPBS']), Buffer.from(`SELECT '${'y'.repeat(int(500))}'\0`));
      const cut = 1 + int(whole.length - 1);
      return { name: `session then a message cut at ${cut} of ${whole.length}`, writes: [loggedIn, whole.subarray(0, cut)] };
    },
    () => ({ name: 'random bytes', writes: [bytes(1 + int(200))] }),
    () => ({ name: 'session then random bytes', writes: [loggedIn, bytes(1 + int(200))] }),
  ];

  return Array.from({ length: count }, (_, i) => {
    const made = makers[i % makers.length]!();
    // Cut the stream at random points too: framing must not depend on how bytes arrive.
    const whole = Buffer.concat(made.writes);
    const cuts = [...new Set(Array.from({ length: int(4) }, () => int(whole.length)))].filter((c) => c > 0).sort((a, b) => a - b);
    const writes = [0, ...cuts].map((from, k, all) => whole.subarray(from, all[k + 1] ?? whole.length)).filter((w) => w.length > 0);
    return { name: `#${i} ${made.name}`, writes };
  });
}

function startupPacketCode(code: number): Buffer {
  return Buffer.concat([int32(8), int32(code)]);
}

/** What one raw client saw: the bytes the server sent before it closed. */
export interface Exchange {
  readonly received: Buffer;
}

/** A socket as both Node's net and the virtual network's net make them. */
interface RawSocket {
  connect(port: number, host: string): unknown;
  write(bytes: Buffer): unknown;
  end(): unknown;
  destroy(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Connects, sends the writes, half-closes, and resolves when the server has closed: a server that
 * neither answers nor closes leaves the promise pending (the test's own timeout reports it).
 */
export function exchange(socket: RawSocket, port: number, host: string, writes: readonly Buffer[], options: { halfClose?: boolean } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    socket.on('data', ((bytes: Buffer) => void received.push(Buffer.from(bytes))) as (...args: never[]) => void);
    socket.on('error', () => {});
    socket.on('close', () => resolve({ received: Buffer.concat(received) }));
    socket.on('connect', () => {
      for (const bytes of writes) socket.write(bytes);
      if (options.halfClose ?? true) socket.end();
    });
    socket.connect(port, host);
  });
}

/** The backend message types in a reply, with an ErrorResponse's message: `E:invalid frontend message type 122`. */
export function replyTypes(bytes: Buffer): string[] {
  const out: string[] = [];
  let offset = 0;
  for (; offset + 5 <= bytes.length; ) {
    const type = String.fromCharCode(bytes[offset]!);
    const length = bytes.readInt32BE(offset + 1);
    if (length < 4) break;
    const body = bytes.subarray(offset + 5, offset + 1 + length);
    if (type === 'E') {
      const fields = body.toString('utf8').split('\0');
      out.push(`E:${(fields.find((f) => f.startsWith('M')) ?? 'M').slice(1)}`);
    } else out.push(type);
    offset += 1 + length;
  }
  return out;
}
