// Pattern 3: the RDS Data API: SQL over HTTPS, the service's own connections.
import { RDSDataClient, ExecuteStatementCommand } from '@aws-sdk/client-rds-data';

const client = new RDSDataClient({});

export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await client.send(
    new ExecuteStatementCommand({
      resourceArn: process.env.CLUSTER_ARN,
      secretArn: process.env.SECRET_ARN,
      sql: 'INSERT INTO order_events (order_id) VALUES (:orderId)',
      parameters: [{ name: 'orderId', value: { longValue: event.orderId } }],
    }),
  );
  return { statusCode: 201 };
};
