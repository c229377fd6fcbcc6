import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledQueries } from '../../scripts/bench/connect-floor.ts';
import { nodeHost } from '../../src/engine/host/host.node.ts';

// The engine bench's handler floor is only fair if PGlite gets the handler's own statements, as many
// and as many at once as the run sends them: what each protocol batch holds is checked here.
let db: PGlite;
const batches: string[] = [];

beforeAll(async () => {
  db = await nodeHost.createDatabase();
  await db.exec("CREATE TABLE orders (id int PRIMARY KEY, status text); INSERT INTO orders SELECT g, 'paid' FROM generate_series(1, 10) AS g; CREATE TABLE order_lines (order_id int, sku text); INSERT INTO order_lines VALUES (2, 'a'), (2, 'b');");
  // The floor's round trips go through execProtocolRawStream, as the virtual server's do (postgres/server.ts roundTrip).
  const execProtocolRawStream = db.execProtocolRawStream.bind(db);
  db.execProtocolRawStream = (message, options) => {
    batches.push(Buffer.from(message).toString('latin1'));
    return execProtocolRawStream(message, options);
  };
}, 60_000);

/** The first parameter of the Bind message in a batch (portal, statement, format codes, then the values, each after its length). */
function bindParameter(batch: string): string {
  const bytes = Buffer.from(batch, 'latin1');
  for (let offset = 0; offset < bytes.length; offset += 1 + bytes.readInt32BE(offset + 1)) {
    if (bytes[offset] !== 0x42 /* B */) continue;
    let at = bytes.indexOf(0, offset + 5) + 1;
    at = bytes.indexOf(0, at) + 1;
    at += 2 + 2 * bytes.readInt16BE(at);
    const length = bytes.readInt32BE(at + 2);
    return bytes.toString('utf8', at + 6, at + 6 + length);
  }
  throw new Error('no Bind in the batch');
}

afterAll(async () => {
  await db.close();
});

describe('pooledQueries', () => {
  it("sends each invocation's statements once, with the invocation's key, through the pool's own connections", async () => {
    const statements = ['SELECT id, status FROM orders WHERE id = $1', 'SELECT count(*)::int AS lines FROM order_lines WHERE order_id = $1'];
    await pooledQueries(db, 3, { pool: { max: 2, query_timeout: 8_000 }, statements });
    // The start-up packet once (its reply is reused), then one Parse…Sync batch per statement and invocation.
    const queries = batches.filter((batch) => batch.startsWith('P'));
    expect(batches.length - queries.length).toBe(1);
    expect(queries).toHaveLength(6);
    for (const sql of statements) expect(queries.filter((batch) => batch.includes(sql))).toHaveLength(3);
    // Keys 1, 2, 3 as each Bind's one parameter: both statements of an invocation get the same key.
    expect(queries.map(bindParameter).sort()).toEqual(['1', '1', '2', '2', '3', '3']);
  });
});
