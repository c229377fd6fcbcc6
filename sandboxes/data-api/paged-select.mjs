// The same export in pages (keyset pagination): every response stays under 1 MiB, at the price of
// one call per page.
import { RDSDataClient, ExecuteStatementCommand } from '@aws-sdk/client-rds-data';

const client = new RDSDataClient({});
const PAGE = 1000;

export const handler = async () => {
  let after = 0;
  let entries = 0;
  for (;;) {
    const { records } = await client.send(
      new ExecuteStatementCommand({
        resourceArn: process.env.CLUSTER_ARN,
        secretArn: process.env.SECRET_ARN,
        database: 'postgres',
        sql: 'SELECT id, order_id, entry FROM audit_log WHERE id > :after ORDER BY id LIMIT :page',
        parameters: [
          { name: 'after', value: { longValue: after } },
          { name: 'page', value: { longValue: PAGE } },
        ],
      }),
    );
    entries += records.length;
    if (records.length < PAGE) break;
    after = records.at(-1)[0].longValue;
  }
  return { statusCode: 200, body: JSON.stringify({ entries }) };
};
