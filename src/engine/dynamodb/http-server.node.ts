/**
 * The emulator over HTTP on 127.0.0.1, for `connlab serve dynamodb`: every answer comes from the
 * same `DynamoDBEmulator.respond` the in-page requestHandler uses.
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { listenEmulator, type HttpEndpoint } from '../net/http-endpoint.node.ts';
import type { DynamoDBEmulator } from './emulator.ts';

export type { HttpEndpoint };

export function listenDynamoDB(emulator: DynamoDBEmulator, options: { port: number; host?: string }): Promise<HttpEndpoint> {
  return listenEmulator({
    ...options,
    maxRequestBytes: facts.maxRequestBytes.value,
    healthLine: 'healthy: connlab DynamoDB emulator',
    answer: ({ target, body }) => emulator.respond(target, body),
  });
}
