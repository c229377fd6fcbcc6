/**
 * The Data API emulator through the real @aws-sdk/client-rds-data, on the virtual PostgreSQL and the
 * virtual clock: shapes of results and errors, transactions and their timeouts, the response limit.
 */
import { type RDSDataClientConfig, BatchExecuteStatementCommand, BeginTransactionCommand, CommitTransactionCommand, ExecuteStatementCommand, RDSDataClient, RollbackTransactionCommand } from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiEmulator, dataApiRequestHandler, RESPONSE_TOO_LARGE } from '../../../src/engine/dataapi/index.ts';
import { virtualCluster } from '../../../src/engine/dataapi/virtual.ts';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import { dataApi as facts } from '../../../src/facts/data-api.ts';
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from '../../../src/engine/aws/client-defaults.ts';
import { warmSdk } from '../../../src/engine/aws/warm-sdk.ts';

const resourceArn = 'arn:aws:rds:us-east-1:123456789012:cluster:orders';
const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-app';
let bench: Workbench;
let emulator: DataApiEmulator;
let client: RDSDataClient;

const call = <T>(work: () => Promise<T>) => bench.run(work);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const send = (command: unknown) => call(() => client.send(command as never) as unknown as Promise<Record<string, any>>);
const failure = async (command: unknown) => {
  try {
    await send(command);
  } catch (error) {
    const e = error as { name: string; message: string; $metadata: { httpStatusCode: number } };
    return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
  }
  throw new Error('expected a failure');
};
const base = { resourceArn, secretArn, database: 'postgres' };

beforeAll(async () => {
  bench = await openWorkbench(nodeHost);
  await bench.db.exec(`CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL, total numeric(10,2), paid boolean, ratio float8, placed timestamp, ref uuid, doc jsonb, raw bytea);
    INSERT INTO orders (status, total, paid, ratio, placed, ref, doc, raw) VALUES ('paid', 12.50, true, 0.25, '2026-01-01 10:00:00', '6f1c2a4e-1b2c-4d5e-8f90-0a1b2c3d4e5f', '{"a":1}', '\\x0102ff'), ('shipped', NULL, false, NULL, NULL, NULL, NULL, NULL);
    `);
  emulator = new DataApiEmulator({
    timers: bench.timers,
    cluster: virtualCluster({ pg: bench.pg, host: bench.host, port: bench.port, resourceArn, secrets: { [secretArn]: { username: 'app', password: 'app-password' } }, endpointUnavailable: null }),
    latency: true,
  });
  client = new RDSDataClient({ ...SDK_CLIENT_DEFAULTS, endpoint: SERVICE_ENDPOINTS['rds-data'], requestHandler: dataApiRequestHandler(emulator) } as unknown as RDSDataClientConfig);
  await warmSdk();
});

afterAll(async () => {
  await call(() => emulator.close());
  await bench.close();
});

describe('ExecuteStatement', () => {
  it('returns typed Fields for each column type, with :name parameters', async () => {
    const out = await send(new ExecuteStatementCommand({ ...base, sql: 'SELECT id, status, total, paid, ratio, placed, ref, doc, raw FROM orders WHERE status = :status ORDER BY id', parameters: [{ name: 'status', value: { stringValue: 'paid' } }] }));
    expect(out.records).toEqual([[{ longValue: 1 }, { stringValue: 'paid' }, { stringValue: '12.50' }, { booleanValue: true }, { doubleValue: 0.25 }, { stringValue: '2026-01-01 10:00:00' }, { stringValue: '6f1c2a4e-1b2c-4d5e-8f90-0a1b2c3d4e5f' }, { stringValue: '{"a": 1}' }, { blobValue: new Uint8Array([1, 2, 255]) }]]);
    expect(out.numberOfRecordsUpdated).toBe(0);
    expect(out.columnMetadata).toBeUndefined();
  });

  it('returns NULLs as isNull and column metadata when asked', async () => {
    const out = await send(new ExecuteStatementCommand({ ...base, sql: 'SELECT id, total FROM orders WHERE id = :id', parameters: [{ name: 'id', value: { longValue: 2 } }], includeResultMetadata: true }));
    expect(out.records).toEqual([[{ longValue: 2 }, { isNull: true }]]);
    const meta = out.columnMetadata as Array<Record<string, unknown>>;
    expect(meta.map((m) => [m.name, m.typeName, m.type])).toEqual([
      ['id', 'int4', 4],
      ['total', 'numeric', 2],
    ]);
  });

  it('formats records as a JSON string', async () => {
    const out = await send(new ExecuteStatementCommand({ ...base, sql: 'SELECT id, status, paid FROM orders ORDER BY id', formatRecordsAs: 'JSON' }));
    expect(out.records).toBeUndefined();
    expect(JSON.parse(out.formattedRecords as string)).toEqual([
      { id: 1, status: 'paid', paid: true },
      { id: 2, status: 'shipped', paid: false },
    ]);
  });

  it('counts updated rows and returns empty generatedFields; RETURNING gives records', async () => {
    const insert = await send(new ExecuteStatementCommand({ ...base, sql: 'INSERT INTO orders (status, total) VALUES (:s, :t)', parameters: [{ name: 's', value: { stringValue: 'new' } }, { name: 't', value: { stringValue: '3.10' }, typeHint: 'DECIMAL' }] }));
    expect(insert).toMatchObject({ numberOfRecordsUpdated: 1, generatedFields: [] });
    const returning = await send(new ExecuteStatementCommand({ ...base, sql: "UPDATE orders SET status = 'void' WHERE status = :s RETURNING total", parameters: [{ name: 's', value: { stringValue: 'new' } }] }));
    expect(returning).toMatchObject({ numberOfRecordsUpdated: 1, records: [[{ stringValue: '3.10' }]] });
  });

  it('binds a string without typeHint as varchar, so a timestamp column refuses it (typeHint fixes it)', async () => {
    const refused = await failure(new ExecuteStatementCommand({ ...base, sql: 'UPDATE orders SET placed = :p WHERE id = 2', parameters: [{ name: 'p', value: { stringValue: '2026-02-01 00:00:00' } }] }));
    expect(refused.name).toBe('BadRequestException');
    expect(refused.message).toMatch(/^ERROR: column "placed" is of type timestamp without time zone but expression is of type character varying\n  Hint: .*\n  Position: \d+; SQLState: 42804$/);
    const ok = await send(new ExecuteStatementCommand({ ...base, sql: 'UPDATE orders SET placed = :p WHERE id = 2', parameters: [{ name: 'p', value: { stringValue: '2026-02-01 00:00:00' }, typeHint: 'TIMESTAMP' }] }));
    expect(ok.numberOfRecordsUpdated).toBe(1);
  });

  it('leaves :: casts and quoted colons alone', async () => {
    const out = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT ':x'::text AS a, :n::int + 1 AS b", parameters: [{ name: 'n', value: { longValue: 41 } }] }));
    expect(out.records).toEqual([[{ stringValue: ':x' }, { longValue: 42 }]]);
  });

  it("carries PostgreSQL's message in a BadRequestException", async () => {
    const error = await failure(new ExecuteStatementCommand({ ...base, sql: 'SELECT * FROM missing' }));
    expect(error).toEqual({ name: 'BadRequestException', message: 'ERROR: relation "missing" does not exist\n  Position: 15; SQLState: 42P01', status: 400 });
  });

  it('refuses array parameters and an unknown secret', async () => {
    expect(await failure(new ExecuteStatementCommand({ ...base, sql: 'SELECT :a', parameters: [{ name: 'a', value: { arrayValue: { longValues: [1] } } }] }))).toMatchObject({ name: 'BadRequestException', message: 'Array parameters are not supported.' });
    expect(await failure(new ExecuteStatementCommand({ ...base, secretArn: `${secretArn}-x`, sql: 'SELECT 1' }))).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('fails a result over 1 MiB, and succeeds just under it', async () => {
    const big = await failure(new ExecuteStatementCommand({ ...base, sql: "SELECT repeat('x', 1000) FROM generate_series(1, 1100)" }));
    expect(big).toEqual({ name: 'BadRequestException', message: RESPONSE_TOO_LARGE, status: 400 });
    const fits = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT repeat('x', 1000) FROM generate_series(1, 1000)" }));
    expect((fits.records as unknown[]).length).toBe(1000);
    expect(facts.maxResponseBytes.value).toBe(1_048_576);
  });

  it('sizes a result in UTF-8 bytes, not characters: two- and four-byte characters count as such', async () => {
    // 600 rows of 1,000 characters: about 0.6 M characters, but 1.2 MB of UTF-8.
    for (const character of ['é', '😀']) {
      const over = await failure(new ExecuteStatementCommand({ ...base, sql: `SELECT repeat('${character}', 1000) FROM generate_series(1, 600)` }));
      expect(over).toEqual({ name: 'BadRequestException', message: RESPONSE_TOO_LARGE, status: 400 });
    }
    const fits = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT repeat('é', 1000) FROM generate_series(1, 400)" }));
    expect((fits.records as unknown[]).length).toBe(400);
  });

  it('times out after 45 s with StatementTimeoutException (here: waiting for a connection of a full pool)', async () => {
    const narrow = new DataApiEmulator({
      timers: bench.timers,
      cluster: virtualCluster({ pg: bench.pg, host: bench.host, port: bench.port, resourceArn, secrets: { [secretArn]: { username: 'app', password: 'app-password' } }, endpointUnavailable: null }),
      latency: false,
      poolConnections: 1,
    });
    const held = await call(() => narrow.execute('BeginTransaction', { ...base }));
    const start = bench.scheduler.now;
    const answer = await call(() => narrow.respond('/Execute', JSON.stringify({ ...base, sql: 'SELECT 1' })));
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['x-amzn-errortype']).toBe('StatementTimeoutException');
    expect(JSON.parse(answer.body)).toEqual({ message: 'Request timed out', dbConnectionId: 0 });
    expect(bench.scheduler.now - start).toBe(facts.statementTimeout.value);
    await call(() => narrow.execute('RollbackTransaction', { ...base, transactionId: held.transactionId }));
    await call(() => narrow.close());
  });
});

describe('transactions', () => {
  const narrowEmulator = () =>
    new DataApiEmulator({
      timers: bench.timers,
      cluster: virtualCluster({ pg: bench.pg, host: bench.host, port: bench.port, resourceArn, secrets: { [secretArn]: { username: 'app', password: 'app-password' } }, endpointUnavailable: null }),
      latency: false,
      poolConnections: 1,
    });

  it('continueAfterTimeout: the statement still runs after the caller got StatementTimeoutException; without it, it does not', async () => {
    for (const continueAfterTimeout of [true, false]) {
      const narrow = narrowEmulator();
      const held = await call(() => narrow.execute('BeginTransaction', { ...base }));
      const status = `late-${continueAfterTimeout}`;
      const late = call(() => narrow.respond('/Execute', JSON.stringify({ ...base, sql: `INSERT INTO orders (status) VALUES ('${status}')`, continueAfterTimeout })));
      expect(JSON.parse((await late).body).message).toBe('Request timed out');
      await call(() => narrow.execute('RollbackTransaction', { ...base, transactionId: held.transactionId }));
      await call(() => bench.sleep(1000));
      const count = await send(new ExecuteStatementCommand({ ...base, sql: `SELECT count(*) FROM orders WHERE status = '${status}'` }));
      expect(count.records, `continueAfterTimeout ${continueAfterTimeout}`).toEqual([[{ longValue: continueAfterTimeout ? 1 : 0 }]]);
      await call(() => narrow.close());
    }
  });

  it('ends a transaction after 24 hours even when it is never idle for 3 minutes', async () => {
    const id = (await call(() => emulator.execute('BeginTransaction', { ...base }))).transactionId as string;
    const started = bench.scheduler.now;
    let error: unknown = null;
    while (error === null) {
      await call(() => bench.sleep(facts.transactionIdleTimeout.value - 30_000));
      error = await call(() => emulator.execute('ExecuteStatement', { ...base, transactionId: id, sql: 'SELECT 1' })).then(
        () => null,
        (e: unknown) => e,
      );
    }
    expect((error as Error).name).toBe('TransactionNotFoundException');
    const lived = bench.scheduler.now - started;
    expect(lived).toBeGreaterThanOrEqual(facts.transactionMaxLifetime.value);
    expect(lived).toBeLessThan(facts.transactionMaxLifetime.value + facts.transactionIdleTimeout.value);
  });

  it('commits, and rolls back, through a transaction id', async () => {
    const { transactionId } = await send(new BeginTransactionCommand({ ...base }));
    expect(transactionId).toMatch(/^[A-Za-z0-9+/]{64}$/);
    await send(new ExecuteStatementCommand({ ...base, transactionId: transactionId as string, sql: "INSERT INTO orders (status) VALUES ('tx')" }));
    expect(await send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId: transactionId as string }))).toMatchObject({ transactionStatus: 'Transaction Committed' });
    const second = (await send(new BeginTransactionCommand({ ...base }))).transactionId as string;
    await send(new ExecuteStatementCommand({ ...base, transactionId: second, sql: "DELETE FROM orders WHERE status = 'tx'" }));
    expect(await send(new RollbackTransactionCommand({ resourceArn, secretArn, transactionId: second }))).toMatchObject({ transactionStatus: 'Rollback Complete' });
    const count = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT count(*) FROM orders WHERE status = 'tx'" }));
    expect(count.records).toEqual([[{ longValue: 1 }]]);
    expect(await failure(new CommitTransactionCommand({ resourceArn, secretArn, transactionId: second }))).toEqual({ name: 'TransactionNotFoundException', message: `Transaction ${second} is not found`, status: 404 });
  });

  it('rolls back a transaction left idle for 3 minutes', async () => {
    const expiredBefore = emulator.stats.transactionsExpired;
    const id = (await send(new BeginTransactionCommand({ ...base }))).transactionId as string;
    await send(new ExecuteStatementCommand({ ...base, transactionId: id, sql: "INSERT INTO orders (status) VALUES ('idle')" }));
    await call(() => bench.sleep(facts.transactionIdleTimeout.value + 1000));
    expect((await failure(new CommitTransactionCommand({ resourceArn, secretArn, transactionId: id }))).name).toBe('TransactionNotFoundException');
    const count = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT count(*) FROM orders WHERE status = 'idle'" }));
    expect(count.records).toEqual([[{ longValue: 0 }]]);
    expect(emulator.stats.transactionsExpired - expiredBefore).toBe(1);
  });

  it('BatchExecuteStatement applies every parameter set, or none', async () => {
    const out = await send(new BatchExecuteStatementCommand({ ...base, sql: 'INSERT INTO orders (id, status) VALUES (:id, :s)', parameterSets: [100, 101, 102].map((id) => [{ name: 'id', value: { longValue: id } }, { name: 's', value: { stringValue: 'batch' } }]) }));
    expect(out.updateResults).toEqual([{ generatedFields: [] }, { generatedFields: [] }, { generatedFields: [] }]);
    const dup = await failure(new BatchExecuteStatementCommand({ ...base, sql: 'INSERT INTO orders (id, status) VALUES (:id, :s)', parameterSets: [103, 100].map((id) => [{ name: 'id', value: { longValue: id } }, { name: 's', value: { stringValue: 'batch' } }]) }));
    expect(dup.message).toBe('ERROR: duplicate key value violates unique constraint "orders_pkey"\n  Detail: Key (id)=(100) already exists.; SQLState: 23505');
    const count = await send(new ExecuteStatementCommand({ ...base, sql: "SELECT count(*) FROM orders WHERE status = 'batch'" }));
    expect(count.records).toEqual([[{ longValue: 3 }]]);
  });
});

describe('the service pool', () => {
  it('queues 200 concurrent calls on its bounded pool: no connection errors, connections bounded', async () => {
    const before = bench.server.stats.peakConnections;
    const results = await call(() => Promise.allSettled(Array.from({ length: 200 }, (_, i) => client.send(new ExecuteStatementCommand({ ...base, sql: 'SELECT :i::int', parameters: [{ name: 'i', value: { longValue: i } }] })))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(emulator.stats.peakConnectionsInUse).toBeLessThanOrEqual(facts.poolConnections.value);
    expect(Math.max(before, bench.server.stats.peakConnections)).toBeLessThanOrEqual(facts.poolConnections.value + 2);
  });
});
