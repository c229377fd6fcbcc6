/**
 * `connlab proxy` against the lengths that used to break it (issue 11): a startup length of 0, 4 or
 * -1 made the process exit, a message length of -1 after login made it spin, and a startup length
 * of 0x7fffffff made it buffer (and re-copy) whatever followed. Each connection is refused at its
 * length word, as PostgreSQL 15 refuses it, and the proxy goes on serving everyone else.
 */
import net from 'node:net';
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
