/**
 * The AWS SDK v3 `requestHandler` that routes a real `DynamoDBClient` (and the `DynamoDBDocumentClient`
 * built on it) to an emulator in the same process: in a Web Worker there is no network to go to.
 *
 * The SDK signs and serializes the request as usual; only the transport is replaced. Responses are
 * plain objects because the SDK recognizes an HTTP response by its shape (`statusCode`, `headers`).
 */
import type { DynamoDBEmulator } from './emulator.ts';

/** The parts of the SDK's `HttpRequest` the emulator reads. */
export interface EmulatedHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface EmulatedHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface EmulatorRequestHandler {
  handle(request: EmulatedHttpRequest): Promise<{ response: EmulatedHttpResponse }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  throw new TypeError('connlab: the emulator handles string or byte request bodies only');
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

export interface RequestHandlerOptions {
  /**
   * Waits out one request's service time before the answer is returned, e.g. on the simulation's
   * virtual clock (`facts.dynamodb.requestLatency` is the default model). Without it, answers are immediate.
   */
  latency?: (operation: string) => Promise<void>;
}

/** `new DynamoDBClient({ region, credentials, requestHandler: dynamoDBRequestHandler(emulator) })`. */
export function dynamoDBRequestHandler(emulator: DynamoDBEmulator, options: RequestHandlerOptions = {}): EmulatorRequestHandler {
  return {
    async handle(request) {
      const target = header(request.headers, 'x-amz-target');
      await options.latency?.(target?.split('.')[1] ?? '');
      const answer = emulator.respond(target, bodyText(request.body));
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: encoder.encode(answer.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
