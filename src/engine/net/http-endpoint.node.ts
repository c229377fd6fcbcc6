/**
 * An emulator over HTTP on 127.0.0.1, for `connlab serve`: readers point their own code, or the AWS
 * CLI with `--endpoint-url`, at it. Node only. The emulators share the transport: request bodies up
 * to a limit (413 past it), a health line for a plain GET as the AWS endpoints answer, and a POST
 * answered by the emulator. Signatures are not checked (there are no real credentials).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorAnswer } from './emulated-http.ts';

export interface HttpEndpoint {
  /** `http://127.0.0.1:<port>`, ready for `--endpoint-url`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface EmulatorHttpOptions {
  port: number;
  host?: string;
  maxRequestBytes: number;
  /** The text a GET answers, e.g. `healthy: connlab DynamoDB emulator`. */
  healthLine: string;
  answer(request: { path: string; target: string | undefined; body: string }): EmulatorAnswer | Promise<EmulatorAnswer>;
}

export async function listenEmulator(options: EmulatorHttpOptions): Promise<HttpEndpoint> {
  const write = (response: ServerResponse, out: EmulatorAnswer) => {
    if (!response.destroyed) response.writeHead(out.statusCode, { ...out.headers, 'content-length': Buffer.byteLength(out.body) }).end(out.body);
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= options.maxRequestBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > options.maxRequestBytes) {
        response.writeHead(413).end();
        return;
      }
      if (request.method !== 'POST') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(`${options.healthLine}\n`);
        return;
      }
      const target = request.headers['x-amz-target'];
      const out = options.answer({ path: request.url ?? '/', target: Array.isArray(target) ? target[0] : target, body: Buffer.concat(chunks).toString('utf8') });
      if (out instanceof Promise) void out.then((answer) => write(response, answer));
      else write(response, out);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
