/**
 * `connlab proxy` against the lengths that used to break it (issue 11): a startup length of 0, 4 or
 * -1 made the process exit, a message length of -1 after login made it spin, and a startup length
 * of 0x7fffffff made it buffer (and re-copy) whatever followed. Each connection is refused at its
 * length word, as PostgreSQL 15 refuses it, and the proxy goes on serving everyone else.
 *
 * And between real sockets where one side sends faster than the other reads: the proxy used to read
 * all it was sent and hold it for the slow side, so its memory grew with whatever the fast side
 * sent. Now the fast side waits, as it would talking to PostgreSQL directly. Each such case runs
 * for a bounded time and number of bytes and samples the proxy process's resident memory, which
 * would grow by about what was sent if the proxy held it.
 */
import net from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealPostgres, type RealPostgres } from '../support/postgres.ts';
import { startConnlabProxy, type RunningProxy } from '../support/connlab-proxy.ts';
import { exchange, int32, message, passwordMessage, PROTOCOL_3, replyTypes, startupPacket } from '../support/frontend-fuzz.ts';

let postgres: RealPostgres;
let proxy: RunningProxy;
beforeAll(async () => {
  postgres = await startRealPostgres();
  proxy = await startConnlabProxy(postgres);
  // The first login waits for the proxy's first database connection; later ones are answered at once.
  expect(await query('SELECT 1 AS n')).toBe(1);
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  postgres?.stop();
});

async function query(sql: string): Promise<unknown> {
  const client = new pg.Client({ host: proxy.host, port: proxy.port, user: 'postgres', password: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0].n;
  } finally {
    await client.end();
  }
}

/** Sends the writes and keeps the connection open: only the proxy can close it. */
const raw = (writes: Buffer[]) => exchange(new net.Socket(), proxy.port, proxy.host, writes, { halfClose: false });

describe('connlab proxy: lengths that used to break it', () => {
  it.each([0, 4, -1])('closes a connection whose startup packet length is %d, without a reply, and stays up', async (length) => {
    const seen = await raw([Buffer.concat([int32(length), int32(PROTOCOL_3)])]);
    expect(seen.received.length).toBe(0);
    expect(proxy.alive()).toBe(true);
    expect(await query('SELECT 2 AS n')).toBe(2);
    expect(proxy.output()).toContain('protocol-violation client');
    expect(proxy.output()).toContain('invalid length of startup packet: closed');
  });

  it('closes a logged-in connection that sends a message length of -1, and stays up', async () => {
    const seen = await raw([startupPacket({ user: 'postgres', database: 'postgres' }), passwordMessage('postgres'), message('Q', Buffer.alloc(0), -1)]);
    const types = replyTypes(seen.received);
    // Logged in (AuthenticationCleartextPassword, AuthenticationOk … ReadyForQuery), then closed without an error, as PostgreSQL does.
    expect(types[0]).toBe('R');
    expect(types.at(-1)).toBe('Z');
    expect(types.filter((t) => t.startsWith('E'))).toEqual([]);
    expect(proxy.alive()).toBe(true);
    expect(await query('SELECT 3 AS n')).toBe(3);
    expect(proxy.output()).toContain('invalid message length: closed');
  });

  it('refuses a startup packet declaring 0x7fffffff bytes at its length word, while another client keeps being served', async () => {
    // The header alone: the proxy closes before any body arrives.
    const header = await raw([Buffer.concat([int32(0x7fff_ffff), int32(PROTOCOL_3)])]);
    expect(header.received.length).toBe(0);

    // The same header with a stream behind it: nothing is buffered, and a client alongside is answered.
    const socket = new net.Socket();
    let open = true;
    const closed = exchange(socket, proxy.port, proxy.host, [Buffer.concat([int32(0x7fff_ffff), int32(PROTOCOL_3)])], { halfClose: false }).finally(() => (open = false));
    const chunk = Buffer.alloc(1 << 20, 0x41);
    const streamed = (async () => {
      let sent = 0;
      while (open && sent < 256 << 20) {
        if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
        sent += chunk.length;
      }
    })();
    const answers: unknown[] = [];
    for (let i = 0; i < 5; i++) answers.push(await query(`SELECT ${i} AS n`));
    expect(answers).toEqual([0, 1, 2, 3, 4]);
    expect((await closed).received.length).toBe(0);
    await streamed;
    expect(proxy.alive()).toBe(true);
  });
});

const MB = 1 << 20;
/** What a case may send at most, and for how long. */
const FLOOD_BYTES = 256 * MB;
const FLOOD_MS = 4_000;
/** The most the proxy's memory may grow meanwhile: kernel buffers hold the rest, not the proxy. */
const GROWTH_LIMIT = 48 * MB;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const residentBytes = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))![1]) * 1024;

/** The proxy's largest memory growth while `during` runs (the whole window, whatever a client has sent), sampled every 20 ms. */
async function peakGrowth(during: Promise<unknown>): Promise<number> {
  const before = residentBytes();
  let peak = before;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, residentBytes());
      await sleep(20);
    }
  })();
  try {
    await during;
  } finally {
    running = false;
    await sampling;
  }
  return peak - before;
}

const READY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** A raw connection through the proxy, logged in: it reads nothing more unless told to. */
async function loggedIn(): Promise<net.Socket> {
  const socket = net.connect(proxy.port, proxy.host);
  await once(socket, 'connect');
  socket.write(Buffer.concat([startupPacket({ user: 'postgres', database: 'postgres' }), passwordMessage('postgres')]));
  let received = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.subarray(-READY_IDLE.length).equals(READY_IDLE)) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData).once('error', reject);
  });
  return socket;
}

/** Reads until ReadyForQuery ends what arrived; resolves with the bytes read. */
function readUntilReady(socket: net.Socket): Promise<number> {
  let bytes = 0;
  let tail = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      tail = Buffer.concat([tail, chunk]).subarray(-READY_IDLE.length);
      if (tail.equals(READY_IDLE)) resolve(bytes);
    });
    socket.once('error', reject).once('close', () => reject(new Error(`closed after ${bytes} bytes`)));
    socket.resume();
  });
}

/** Another client's query while the flood goes on: its answer, and whether it came before the flood ended. */
async function servedMeanwhile(floodEnds: Promise<unknown>): Promise<{ answer: unknown; beforeTheEnd: boolean }> {
  let ended = false;
  void floodEnds.finally(() => (ended = true));
  await sleep(300);
  const answer = await query('SELECT 7 AS n');
  return { answer, beforeTheEnd: !ended };
}

/** Over the flood's window (and what runs alongside): the proxy's memory stays bounded, and another client is answered before the window ends. */
async function boundedWhileServingOthers(window: Promise<unknown>, ...alongside: Array<Promise<unknown>>): Promise<void> {
  const [growth, other] = await Promise.all([peakGrowth(window), servedMeanwhile(window), ...alongside]);
  expect(growth).toBeLessThan(GROWTH_LIMIT);
  expect(other).toEqual({ answer: 7, beforeTheEnd: true });
}

describe('connlab proxy: backpressure between real sockets', () => {
  it('makes a client that floods a busy database wait, instead of holding what it sends', async () => {
    const socket = await loggedIn();
    // PostgreSQL reads nothing while the sleep runs; it ignores CopyData outside COPY once it reads on.
    socket.write(message('Q', Buffer.from('SELECT pg_sleep(5)\0')));
    const replied = readUntilReady(socket);
    const chunk = Buffer.concat(Array.from({ length: 16 }, () => message('d', Buffer.alloc(64 * 1024 - 5, 0x61))));
    let sent = 0;
    const flood = (async () => {
      const until = Date.now() + FLOOD_MS;
      while (sent < FLOOD_BYTES && Date.now() < until) {
        if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), sleep(until - Date.now())]);
        sent += chunk.length;
      }
    })();
    const window = sleep(FLOOD_MS);
    await boundedWhileServingOthers(window, flood);
    expect(sent).toBeGreaterThan(MB);
    // Once the database reads again, it gets all that was sent: the client was slowed, not cut off.
    await replied;
    socket.destroy();
    expect(proxy.alive()).toBe(true);
  }, 60_000);

  it('makes a database that sends rows faster than its client reads wait, instead of holding them', async () => {
    const socket = await loggedIn();
    socket.pause();
    const rows = FLOOD_BYTES / MB;
    socket.write(message('Q', Buffer.from(`SELECT repeat('x', ${MB}) FROM generate_series(1, ${rows})\0`)));
    const window = sleep(FLOOD_MS);
    await boundedWhileServingOthers(window);
    // Once the client reads, every row arrives: the database was slowed, not cut off.
    expect(await readUntilReady(socket)).toBeGreaterThan(FLOOD_BYTES);
    socket.destroy();
    expect(proxy.alive()).toBe(true);
  }, 60_000);
});
