/**
 * The AWS SDK v3 `requestHandler` shape the emulators share: a real client (RDSDataClient,
 * DynamoDBClient, SQSClient) signs and serializes as usual, and only the transport is replaced by
 * a call into the emulator in the same process (in a Web Worker there is no network to go to).
 * Responses are plain objects because the SDK recognizes an HTTP response by its shape.
 */
import type { Scheduler } from '../clock/scheduler.ts';

/** The parts of the SDK's `HttpRequest` the emulators read. */
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

/** An emulator's answer before encoding: the body is the JSON or XML text. */
export interface EmulatorAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
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

/** A header by name, whatever its case (the SDK writes `X-Amz-Target`, others `x-amz-target`). */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

export interface EmulatorTransport {
  /** The call's service time, waited out before the emulator answers (on the virtual clock in a run). */
  latency?: (request: EmulatedHttpRequest) => Promise<void>;
  /** The emulator's answer to the request, its body already read as text. */
  respond(request: EmulatedHttpRequest, body: string): EmulatorAnswer | Promise<EmulatorAnswer>;
}

/** A `requestHandler` whose every request is answered by the emulator after the call's latency. */
export function emulatorRequestHandler(transport: EmulatorTransport): EmulatorRequestHandler {
  const { latency, respond } = transport;
  return {
    async handle(request) {
      const body = bodyText(request.body);
      // One await per call, whether it is the latency or the answer: the handler's promise chains
      // advance by as many microtasks as before the emulators shared this code.
      let out: EmulatorAnswer;
      if (latency) {
        await latency(request);
        const answer = respond(request, body);
        out = answer instanceof Promise ? await answer : answer;
      } else out = await respond(request, body);
      return { response: { statusCode: out.statusCode, headers: out.headers, body: encoder.encode(out.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/**
 * The emulators answer from their own process (their latency runs on its timers, the Data API's
 * cluster is its `pg`), so the handler's code after `await client.send(…)` would otherwise run in
 * the emulator's event, as that process. The answer is handed to the caller in an event of its own
 * at the same virtual time: a frozen environment gets it when it thaws, a dead one never, and code
 * the environments share (lambda/driver.ts) finds the caller's globals.
 */
export function answeringCaller(handler: EmulatorRequestHandler, scheduler: Scheduler): EmulatorRequestHandler {
  return {
    ...handler,
    async handle(request) {
      const caller = scheduler.current;
      const answer = await handler.handle(request);
      if (caller && scheduler.current !== caller) await new Promise<void>((resolve) => scheduler.at(scheduler.now, resolve, caller, 'io'));
      return answer;
    },
  };
}
