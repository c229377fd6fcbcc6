/**
 * The AWS SDK v3 `requestHandler` that routes a real `DynamoDBClient` (and the `DynamoDBDocumentClient`
 * built on it) to an emulator in the same process: in a Web Worker there is no network to go to.
 */
import { emulatorRequestHandler, header, type EmulatorRequestHandler } from '../net/emulated-http.ts';
import type { DynamoDBEmulator } from './emulator.ts';

export interface RequestHandlerOptions {
  /**
   * Waits out one request's service time before the answer is returned, e.g. on the simulation's
   * virtual clock (`facts.dynamodb.requestLatency` is the default model). Without it, answers are immediate.
   */
  latency?: (operation: string) => Promise<void>;
}

const target = (headers: Record<string, string>) => header(headers, 'x-amz-target');

/** `new DynamoDBClient({ region, credentials, requestHandler: dynamoDBRequestHandler(emulator) })`. */
export function dynamoDBRequestHandler(emulator: DynamoDBEmulator, options: RequestHandlerOptions = {}): EmulatorRequestHandler {
  const { latency } = options;
  return emulatorRequestHandler({
    ...(latency ? { latency: (request) => latency(target(request.headers)?.split('.')[1] ?? '') } : {}),
    respond: (request, body) => emulator.respond(target(request.headers), body),
  });
}
