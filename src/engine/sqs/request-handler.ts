/**
 * The AWS SDK v3 `requestHandler` that routes a real `SQSClient` to the emulator, after the call's
 * latency on the virtual clock when one is given.
 */
import { bodyText, type EmulatorRequestHandler } from '../dataapi/request-handler.ts';
import type { SqsEmulator } from './emulator.ts';

const encoder = new TextEncoder();

export function sqsRequestHandler(emulator: SqsEmulator, options: { latency?: () => Promise<void> } = {}): EmulatorRequestHandler {
  return {
    async handle(request) {
      const key = Object.keys(request.headers).find((k) => k.toLowerCase() === 'x-amz-target');
      await options.latency?.();
      const answer = emulator.respond(key ? request.headers[key] : undefined, bodyText(request.body));
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: encoder.encode(answer.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
