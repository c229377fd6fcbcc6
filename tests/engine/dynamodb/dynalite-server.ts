/**
 * dynalite (an independent DynamoDB implementation on LevelDB, in memory here) on 127.0.0.1, for
 * comparing answers with connlab's emulator. Requests are sent raw, with a syntactically valid
 * but unchecked signature: dynalite requires the header, not a valid signature.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error dynalite ships no type declarations
import dynalite from 'dynalite';

export interface DynaliteAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface Dynalite {
  endpoint: string;
  send(operation: string, input: unknown): Promise<DynaliteAnswer>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const server = (dynalite as (options: Record<string, unknown>) => Server)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    async send(operation, input) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIDVECTORS/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
        },
        body: JSON.stringify(input),
      });
      return { statusCode: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
