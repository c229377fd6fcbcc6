// The Data API instead of a driver: each query is an HTTPS call, and the service runs the SQL on
// connections of its own. The client is created once per environment, like a pool would be.
import { RDSDataClient, ExecuteStatementCommand } from '@aws-sdk/client-rds-data';

const client = new RDSDataClient({});

export const handler = async (event) => {
  const { records } = await client.send(
    new ExecuteStatementCommand({
      resourceArn: process.env.CLUSTER_ARN,
      secretArn: process.env.SECRET_ARN,
      database: 'postgres',
      sql: 'SELECT id, status, total FROM orders WHERE id = :id',
      parameters: [{ name: 'id', value: { longValue: event.orderId } }],
    }),
  );
  const [id, status, total] = records[0];
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify({ id: id.longValue, status: status.stringValue, total: total.stringValue }) };
};
