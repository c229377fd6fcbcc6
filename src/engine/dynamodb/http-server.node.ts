/**
 * The emulator over HTTP on 127.0.0.1, for `connlab serve dynamodb`: readers point their own code,
 * or the AWS CLI with `--endpoint-url`, at it. This is the one file of the emulator that needs Node.
 *
 * Signatures are not checked (there are no real credentials to check them against); every other
 * answer comes from the same `DynamoDBEmulator.respond` the in-page requestHandler uses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import type { DynamoDBEmulator } from './emulator.ts';

export interface HttpEndpoint {
  /** `http://127.0.0.1:<port>`, ready for `--endpoint-url`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listenDynamoDB(emulator: DynamoDBEmulator, options: { port: number; host?: string }): Promise<HttpEndpoint> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= facts.maxRequestBytes.value) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > facts.maxRequestBytes.value) {
        response.writeHead(413).end();
        return;
      }
      if (request.method !== 'POST') {
        // The AWS endpoint answers a plain GET with a health line; so does this one.
        response.writeHead(200, { 'content-type': 'text/plain' }).end('healthy: connlab DynamoDB emulator\n');
        return;
      }
      const target = request.headers['x-amz-target'];
      const answer = emulator.respond(Array.isArray(target) ? target[0] : target, Buffer.concat(chunks).toString('utf8'));
      response.writeHead(answer.statusCode, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
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
