/**
 * An in-memory DynamoDB that answers the JSON 1.0 protocol for a documented subset of operations,
 * with DynamoDB's item-size limit, capacity accounting and throttling.
 *
 * It imports nothing from Node, so the same instance serves a Web Worker (through the SDK's
 * `requestHandler`, see `request-handler.ts`) and `connlab serve dynamodb` (see `http-server.node.ts`).
 * Time comes only from the injected clock, and identifiers from counters, so a run is reproducible.
 *
 * This file answers requests and sends each operation to its module: `requests.ts` (the accepted
 * envelopes), `tables.ts` and `items.ts` (the store), `item-operations.ts`, `query.ts`,
 * `batches.ts`, `transactions.ts`, and `metering.ts` (charging them to the table's capacity).
 */
import { type Clock, type ThroughputTotals, realClock } from './capacity.ts';
import { DynamoDBError, tableNotFound } from './errors.ts';
import { batchGetItem, batchWriteItem } from './batches.ts';
import { deleteItem, getItem, putItem, updateItem } from './item-operations.ts';
import { query } from './query.ts';
import { type Input, type Operation, SUPPORTED_OPERATIONS, parseInput, rejectOutsideSubset } from './requests.ts';
import { TableStore } from './tables.ts';
import { Transactions } from './transactions.ts';

export { SUPPORTED_OPERATIONS, type Operation } from './requests.ts';

export interface DynamoDBEmulatorOptions {
  clock?: Clock;
  region?: string;
  accountId?: string;
}

export interface TableThroughputReport extends ThroughputTotals {
  ceilings: { read: number; write: number };
}

type Output = Record<string, unknown>;

export class DynamoDBEmulator {
  private readonly tables: TableStore;
  private readonly operations: { [O in Operation]: (input: Input<O>) => Output };
  private requestCounter = 0;

  constructor(options: DynamoDBEmulatorOptions = {}) {
    const clock = options.clock ?? realClock;
    const tables = new TableStore(clock, options.region ?? 'us-east-1', options.accountId ?? '000000000000');
    const transactions = new Transactions(tables, clock);
    this.tables = tables;
    this.operations = {
      CreateTable: (input) => tables.create(input),
      DescribeTable: ({ TableName }) => {
        const table = tables.find(TableName);
        if (!table) throw tableNotFound(TableName);
        return { Table: tables.describe(table) };
      },
      PutItem: (input) => putItem(tables, input),
      GetItem: (input) => getItem(tables, input),
      DeleteItem: (input) => deleteItem(tables, input),
      UpdateItem: (input) => updateItem(tables, input),
      Query: (input) => query(tables, input),
      BatchGetItem: (input) => batchGetItem(tables, input),
      BatchWriteItem: (input) => batchWriteItem(tables, input),
      TransactWriteItems: (input) => transactions.write(input),
    };
  }

  /**
   * Answers one request in the AWS JSON 1.0 protocol: `target` is the `X-Amz-Target` header
   * (`DynamoDB_20120810.PutItem`), `body` the JSON text.
   */
  respond(target: string | undefined, body: string): { statusCode: number; headers: Record<string, string>; body: string } {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `CONNLAB${String(++this.requestCounter).padStart(45, '0')}`,
    };
    try {
      const [service, operation] = (target ?? '').split('.');
      if (service !== 'DynamoDB_20120810' || !operation) {
        throw new DynamoDBError('UnknownOperationException', `Unknown operation ${target ?? '(no X-Amz-Target header)'}. connlab's DynamoDB emulator implements: ${SUPPORTED_OPERATIONS.join(', ')}.`);
      }
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new DynamoDBError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const output = this.execute(operation, input);
      return { statusCode: 200, headers, body: JSON.stringify(output) };
    } catch (error) {
      const failure = error instanceof DynamoDBError ? error : new DynamoDBError('InternalServerError', error instanceof Error ? error.message : String(error));
      return { statusCode: failure.statusCode, headers, body: JSON.stringify(failure.toBody()) };
    }
  }

  /** Runs one operation on already-parsed input; throws `DynamoDBError` as DynamoDB would answer. */
  execute(operation: string, input: unknown): Output {
    if (!(SUPPORTED_OPERATIONS as readonly string[]).includes(operation)) {
      throw new DynamoDBError(
        'UnknownOperationException',
        `${operation} is not implemented by connlab's DynamoDB emulator, which models a subset of DynamoDB: ${SUPPORTED_OPERATIONS.join(', ')}.`,
      );
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DynamoDBError('SerializationException', 'Expected a JSON object');
    rejectOutsideSubset(input as Record<string, unknown>);
    return this.run(operation as Operation, input);
  }

  private run<O extends Operation>(operation: O, input: unknown): Output {
    return this.operations[operation](parseInput(operation, input));
  }

  /** Consumption and throttles so far, without moving the throughput windows (ceilings() does): what a live chart may read mid-run. */
  consumed(name: string): ThroughputTotals {
    return { ...this.tables.get(name).throughput.totals };
  }

  /** Consumption, throttles and current ceilings of a table, for metrics and sandboxes. */
  throughput(name: string): TableThroughputReport {
    const table = this.tables.get(name);
    return { ...table.throughput.totals, ceilings: table.throughput.ceilings() };
  }
}
