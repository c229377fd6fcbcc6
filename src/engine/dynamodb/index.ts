/**
 * The DynamoDB emulator: a subset of DynamoDB with its item limit, capacity accounting and
 * throttling, reached through the real AWS SDK (`dynamoDBRequestHandler`) or over HTTP
 * (`http-server.ts`, Node only, not exported here so the Worker bundle stays free of `node:`).
 */
export { DynamoDBEmulator, SUPPORTED_OPERATIONS, type DynamoDBEmulatorOptions, type Operation, type TableThroughputReport } from './emulator.ts';
export { dynamoDBRequestHandler, type EmulatorRequestHandler, type RequestHandlerOptions } from './request-handler.ts';
export { type Clock, realClock, readUnits, writeUnits } from './capacity.ts';
export { DynamoDBError, type DynamoDBErrorName } from './errors.ts';
export { itemSize, type AttributeValue, type Item } from './values.ts';
