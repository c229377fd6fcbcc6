/** dynalite (a DynamoDB implementation on LevelDB, in devDependencies), and the generated projects' table. */
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
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Creates the generated projects' orders table under `name`. Each project gets a table of its own:
 * projects run side by side, and their tests count one customer's orders.
 */
export async function createOrdersTable(url: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }, name: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint: url, region, credentials });
  try {
    await client.send(
      new CreateTableCommand(
        tableInput(name, [
          ['customerId', 'S'],
          ['orderId', 'S'],
        ]),
      ),
    );
  } finally {
    client.destroy();
  }
}
