/**
 * The AWS SDK v3 `requestHandler` that routes a real `RDSDataClient` to the emulator in the same
 * process (the Worker has no network to go to). The SDK signs and serializes as usual.
 */
import type { DataApiEmulator } from './emulator.ts';

export interface EmulatedHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface EmulatorRequestHandler {
  handle(request: EmulatedHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  throw new TypeError('connlab: the emulator handles string or byte request bodies only');
}

/** `new RDSDataClient({ region, credentials, requestHandler: dataApiRequestHandler(emulator) })`. */
export function dataApiRequestHandler(emulator: DataApiEmulator): EmulatorRequestHandler {
  return {
    async handle(request) {
      const answer = await emulator.respond(request.path, bodyText(request.body));
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: encoder.encode(answer.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
