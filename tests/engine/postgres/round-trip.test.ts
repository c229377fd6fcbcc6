/**
 * The virtual server's PGlite round trip (server.ts `roundTrip`): the reply's bytes, and nothing of
 * them kept inside PGlite afterwards.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Buffer } from 'buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { roundTrip } from '../../../src/engine/postgres/server.ts';
import * as wire from '../../../src/engine/postgres/wire.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const query = (sql: string) => wire.message('Q', Buffer.from(`${sql}\0`, 'utf8'));

describe('roundTrip', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await nodeHost.createDatabase();
    await roundTrip(db, wire.startupPacket({ user: 'postgres', database: 'postgres', client_encoding: 'UTF8' }));
  });
  afterAll(() => db.close());

  it('returns the whole reply: the rows, the command tag and ReadyForQuery', async () => {
    const reply = await roundTrip(db, query('SELECT g FROM generate_series(1, 3) g'));
    const messages = [...wire.messages(reply)];
    expect(messages.filter((m) => 'TDC'.includes(m.type)).map((m) => m.type)).toEqual(['T', 'D', 'D', 'D', 'C']);
    expect(messages.at(-1)?.type).toBe('Z');
    expect(wire.lastReadyStatus(reply)).toBe('I');
  });

  it('keeps nothing of the replies: the heap does not grow with the rows a run reads', async () => {
    const sql = query("SELECT g, repeat('x', 100) FROM generate_series(1, 200) g");
    for (let i = 0; i < 50; i++) await roundTrip(db, sql);
    gc();
    const before = process.memoryUsage().heapUsed;
    // 400,000 rows: PGlite's execProtocolRaw kept each one parsed (the heap grew by 110 MB here).
    for (let i = 0; i < 2_000; i++) await roundTrip(db, sql);
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
