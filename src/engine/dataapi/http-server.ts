/**
 * `connlab serve data-api`: the Data API emulator over HTTP on 127.0.0.1, in front of a virtual
 * PostgreSQL of its own (PGlite behind the simulated server), for the AWS CLI (`--endpoint-url`) or
 * readers' own code. Node only.
 *
 * The simulation's clock is kept level with the wall clock: before each request it runs up to the
 * time elapsed since start, so the 3-minute transaction timeout happens in real minutes. Requests
 * are answered one at a time. Signatures are not checked (there are no real credentials).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { nodeHost } from '../host/node.ts';
import { openWorkbench } from '../postgres/workbench.ts';
import { DataApiEmulator } from './emulator.ts';
import { processTimers, virtualCluster } from './virtual.ts';

/** What `connlab serve data-api` answers for; printed with the examples. */
export const SERVED_CLUSTER = {
  resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:connlab',
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connlab-postgres',
  database: 'postgres',
} as const;

export interface HttpEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export async function listenDataApi(options: { port: number; host?: string }): Promise<HttpEndpoint> {
  const bench = await openWorkbench(nodeHost, { maxConnections: 100 });
  const emulator = new DataApiEmulator({
    timers: processTimers(bench.client, () => bench.scheduler.rng.next()),
    cluster: virtualCluster({ pg: bench.pg, host: bench.host, port: bench.port, resourceArn: SERVED_CLUSTER.resourceArn, secrets: { [SERVED_CLUSTER.secretArn]: { username: 'postgres', password: 'postgres' } }, endpointUnavailable: null }),
    latency: false,
  });
  const started = performance.now();
  let queue: Promise<unknown> = Promise.resolve();
  const answer = (path: string, body: string) => {
    const next = queue.then(async () => {
      const elapsed = performance.now() - started;
      if (elapsed > bench.scheduler.now) await bench.scheduler.run({ until: elapsed });
      return bench.run(() => emulator.respond(path, body));
    });
    queue = next.catch(() => {});
    return next;
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        response.writeHead(413).end();
        return;
      }
      if (request.method !== 'POST') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('healthy: connlab RDS Data API emulator\n');
        return;
      }
      answer(request.url ?? '/', Buffer.concat(chunks).toString('utf8')).then(
        (out) => response.writeHead(out.statusCode, { ...out.headers, 'content-length': Buffer.byteLength(out.body) }).end(out.body),
        (error: unknown) => {
          const body = JSON.stringify({ message: `connlab: ${(error as Error).message}` });
          response.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerErrorException' }).end(body);
        },
      );
    });
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
  } catch (error) {
    await bench.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await queue;
      await bench.run(() => emulator.close()).catch(() => {});
      await bench.close();
    },
  };
}
