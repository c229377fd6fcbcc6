/**
 * The DynamoDB emulator: a subset of DynamoDB with its item limit, capacity accounting and
 * throttling, reached through the real AWS SDK (`dynamoDBRequestHandler`) or over HTTP
 * (`http-server.node.ts`, Node only, not exported here so the Worker bundle stays free of `node:`).
 *
 * The subset: CreateTable, DescribeTable, PutItem, GetItem, DeleteItem, UpdateItem (SET, REMOVE,
 * ADD, DELETE), Query, BatchGetItem, BatchWriteItem and TransactWriteItems, with condition, key
 * condition, filter, update and projection expressions. Checked against dynalite by the shared
 * vectors in `tests/engine/dynamodb/vectors.ts`.
 *
 * Not modelled, and answered with an error that says so: other operations (Scan, DeleteTable,
 * TransactGetItems…), secondary indexes, streams, the legacy pre-expression parameters. Not modelled
 * silently: provisioned burst capacity, adaptive capacity and partition splits beyond the on-demand
 * doubling rule, transaction conflicts between concurrent requests (requests run one at a time).
 */
export { DynamoDBEmulator, SUPPORTED_OPERATIONS, type DynamoDBEmulatorOptions, type Operation, type TableThroughputReport } from './emulator.ts';
export { dynamoDBRequestHandler, type RequestHandlerOptions } from './request-handler.ts';
export { type Clock, type Refusal, realClock, readUnits, writeUnits } from './capacity.ts';
export { DynamoDBError, type DynamoDBErrorName } from './errors.ts';
export { itemSize, type AttributeValue, type Item } from './values.ts';
