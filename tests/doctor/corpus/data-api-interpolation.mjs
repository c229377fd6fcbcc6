// Modelled on https://github.com/cloud-utils/sqlalchemy-aurora-data-api/issues/36 (the Data API needs no pool; its statements still take parameters)
import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';

const client = new RDSDataClient({});

export const handler = async (event) => {
  const result = await client.send(
    new ExecuteStatementCommand({
      resourceArn: process.env.CLUSTER_ARN,
      secretArn: process.env.SECRET_ARN,
      sql: `SELECT * FROM tickets WHERE status = '${event.status}'`, // expect: sql-built-from-strings
    }),
  );
  return result.records;
};
