import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import * as wire from '../../../src/engine/postgres/wire.ts';
import { BackendFramer, FrontendFramer, parseStartup, type FrontendFrame } from '../../../src/engine/postgres/wire.ts';
import { CANCEL_REQUEST, int32, message, passwordMessage, PROTOCOL_3, SSL_REQUEST, startupPacket } from '../../support/frontend-fuzz.ts';

const frames = (framer: FrontendFramer): FrontendFrame[] => {
  const out: FrontendFrame[] = [];
  for (let frame = framer.next(); frame; frame = framer.next()) out.push(frame);
  return out;
};
const fed = (bytes: Buffer, framer = new FrontendFramer()) => (framer.push(bytes), frames(framer));
const login = Buffer.concat([startupPacket({ user: 'app' }), passwordMessage('secret')]);
const describeFrame = (frame: FrontendFrame) =>
  frame.kind === 'startup' ? `startup ${frame.code}` : frame.kind === 'message' ? `message ${String.fromCharCode(frame.type)}` : `violation ${frame.reason}${frame.reply ? ' (reply)' : ''}`;

describe('wire: frontend framing, as PostgreSQL 15 checks lengths', () => {
  it('frames SSLRequest, the startup packet, the password and session messages, however the bytes are cut', () => {
    const stream = Buffer.concat([int32(8), int32(SSL_REQUEST), login, message('Q', Buffer.from('SELECT 1\0')), message('X')]);
    const whole = fed(stream).map(describeFrame);
    expect(whole).toEqual([`startup ${SSL_REQUEST}`, `startup ${PROTOCOL_3}`, 'message p', 'message Q', 'message X']);
    const framer = new FrontendFramer();
    const byteByByte: string[] = [];
    for (const byte of stream) byteByByte.push(...fed(Buffer.from([byte]), framer).map(describeFrame));
    expect(byteByByte).toEqual(whole);
  });

  it.each([
    [-1, 'invalid length of startup packet'],
    [0, 'invalid length of startup packet'],
    [4, 'invalid length of startup packet'],
    [7, 'invalid length of startup packet'],
    [10_005, 'invalid length of startup packet'],
    [0x7fff_ffff, 'invalid length of startup packet'],
  ])('refuses a startup length of %d at the length word, with no reply', (length, reason) => {
    const [frame, ...rest] = fed(int32(length));
    expect(frame).toEqual({ kind: 'violation', reason, reply: null });
    expect(rest).toEqual([]);
  });

  it('takes startup lengths 8 and 10,004 (10,000 after the length word)', () => {
    const framer = new FrontendFramer();
    expect(fed(Buffer.concat([int32(8), int32(CANCEL_REQUEST)]), framer).map(describeFrame)).toEqual([`startup ${CANCEL_REQUEST}`]);
    const big = Buffer.concat([int32(10_004), int32(PROTOCOL_3), Buffer.alloc(9_996, 0x61)]);
    expect(fed(big).map(describeFrame)).toEqual([`startup ${PROTOCOL_3}`]);
  });

  it.each([
    ['Q', -1],
    ['Q', 0],
    ['Q', 3],
    ['Q', 0x3fff_ffff],
    ['S', 10_001],
    ['X', 10_001],
    ['p', 65_536],
  ])('refuses %s with length %d at the length word, with no reply', (type, length) => {
    const before = type === 'p' ? startupPacket({ user: 'app' }) : login;
    const out = fed(Buffer.concat([before, message(type, Buffer.alloc(0), length)]));
    expect(out.at(-1)).toEqual({ kind: 'violation', reason: 'invalid message length', reply: null });
  });

  it('answers an unknown message type, or anything but a password during login, with PostgreSQL FATAL before reading its length', () => {
    const session = fed(Buffer.concat([login, Buffer.from('z')])).at(-1);
    expect(session).toMatchObject({ kind: 'violation', reason: 'invalid frontend message type 122' });
    expect(session?.kind === 'violation' && session.reply?.toString('latin1')).toContain('C08P01\0Minvalid frontend message type 122\0Fpostgres.c\0RSocketBackend\0');
    const duringLogin = fed(Buffer.concat([startupPacket({ user: 'app' }), Buffer.from('Q')])).at(-1);
    expect(duringLogin).toMatchObject({ kind: 'violation', reason: 'expected password response, got message type 81' });
    // A second password is no longer a login message.
    expect(fed(Buffer.concat([login, passwordMessage('again')])).at(-1)).toMatchObject({ reason: 'invalid frontend message type 112' });
  });

  it('refuses a message over a buffer cap at its length word, and drops whatever follows', () => {
    const framer = new FrontendFramer({ maxMessageBytes: () => 1_000, overLimit: (length) => ({ kind: 'violation', reason: `over: ${length}`, reply: null }) });
    expect(fed(Buffer.concat([login, message('Q', Buffer.alloc(0), 5_000)]), framer).at(-1)).toEqual({ kind: 'violation', reason: 'over: 5000', reply: null });
    framer.push(Buffer.alloc(1 << 20));
    expect(framer.buffered).toBe(0);
    expect(framer.next()).toBeNull();
  });

  it('copies a message split into many chunks a bounded number of times (it used to re-copy the backlog on every chunk)', () => {
    const framer = new FrontendFramer();
    fed(login, framer);
    const size = 4 << 20;
    const big = message('Q', Buffer.concat([Buffer.alloc(size - 1, 0x61), Buffer.from([0])]));
    const got: FrontendFrame[] = [];
    for (let at = 0; at < big.length; at += 1_000) got.push(...fed(big.subarray(at, at + 1_000), framer));
    expect(got).toHaveLength(1);
    expect(got[0]?.kind === 'message' && got[0].bytes.equals(big)).toBe(true);
    expect(framer.copied).toBeLessThan(3 * big.length);
  });

  it('reads startup parameters as own properties only, and tells a packet without its terminator', () => {
    const hostile = parseStartup(startupPacket({ __proto__: 'x', constructor: 'y', user: 'app' } as unknown as Record<string, string>));
    expect(Object.getPrototypeOf(hostile.parameters)).toBeNull();
    const own = parseStartup(startupPacket(JSON.parse('{"__proto__":"x","user":"app"}') as Record<string, string>));
    expect(Object.keys(own.parameters)).toEqual(['__proto__', 'user']);
    expect(own.terminated).toBe(true);
    const cut = startupPacket({ user: 'app' });
    const unterminated = Buffer.concat([int32(cut.length - 1), cut.subarray(4, cut.length - 1)]);
    expect(parseStartup(unterminated)).toMatchObject({ terminated: false, parameters: { user: 'app' } });
  });
});

describe('wire: backend framing', () => {
  it('hands out runs of whole messages and calls a length below 4 invalid', () => {
    const framer = new BackendFramer();
    const z = message('Z', Buffer.from('I'));
    framer.push(Buffer.concat([z, z.subarray(0, 3)]));
    expect(framer.next()).toEqual(z);
    framer.push(z.subarray(3));
    expect(framer.next()).toEqual(z);
    framer.push(message('E', Buffer.alloc(0), -1));
    expect(framer.next()).toBe('invalid');
  });
});

describe('wire: the messages the server and the proxy read or build themselves', () => {
  it('builds a startup packet the frontend framer and parseStartup read back, byte for byte what a client sends', () => {
    const parameters = { user: 'app', database: 'orders', application_name: 'rds-proxy' };
    const packet = wire.startupPacket(parameters);
    expect(packet).toEqual(startupPacket(parameters));
    expect(fed(packet).map(describeFrame)).toEqual([`startup ${PROTOCOL_3}`]);
    expect(parseStartup(packet)).toEqual({ code: PROTOCOL_3, parameters, terminated: true });
  });

  it('reads the SQL of Query and Parse, with the statement name Parse gives it, and nothing from other messages', () => {
    expect(wire.statementText(message('Q', Buffer.from('SET search_path = x\0')))).toEqual({ sql: 'SET search_path = x', name: '' });
    expect(wire.statementText(message('P', Buffer.from('s1\0SELECT $1\0\0\x01\0\0\0\x17')))).toEqual({ sql: 'SELECT $1', name: 's1' });
    expect(wire.statementText(message('P', Buffer.from('\0SELECT 1\0\0\0')))).toEqual({ sql: 'SELECT 1', name: '' });
    expect(wire.statementText(message('B', Buffer.from('\0s1\0\0\0\0\0\0\0')))).toBeNull();
  });

  it('reads the fields of an ErrorResponse it built', () => {
    const fields = wire.errorFields(wire.errorResponse({ S: 'FATAL', C: '28P01', M: 'password authentication failed for user "app"' }));
    expect(Object.fromEntries(fields)).toEqual({ S: 'FATAL', C: '28P01', M: 'password authentication failed for user "app"' });
  });

  it('frames an ErrorResponse by its bytes, not its characters, and skips fields without a value', () => {
    const reply = wire.errorResponse({ S: 'FATAL', V: undefined, C: '53300', M: 'remaining connection slots are reserved for roles … «rds_superuser»' });
    const body = Buffer.from('SFATAL\0C53300\0Mremaining connection slots are reserved for roles … «rds_superuser»\0\0', 'utf8');
    expect(reply).toEqual(Buffer.concat([Buffer.from('E', 'latin1'), Buffer.from([0, 0, 0, body.length + 4]), body]));
  });
});
