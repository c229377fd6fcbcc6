/** dynalite (a DynamoDB implementation on LevelDB, in devDependencies) with the generated projects' table. */
import { createRequire } from 'node:module';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableInput } from '../../support/dynamodb-tables.ts';

export interface Dynalite {
  close(callback: () => void): void;
}

export async function startDynalite(region: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<{ server: Dynalite; url: string }> {
  const factory = createRequire(import.meta.url)('dynalite') as (options: object) => Dynalite & {
    listen(port: number, host: string, callback: () => void): void;
    address(): { port: number };
  };
  const server = factory({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials });
  await client.send(
    new CreateTableCommand(
      tableInput('orders', [
        ['customerId', 'S'],
        ['orderId', 'S'],
      ]),
    ),
  );
  client.destroy();
  return { server, url };
}
