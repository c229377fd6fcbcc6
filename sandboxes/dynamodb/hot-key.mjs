// Counting today's orders in one item: every write goes to the same partition key, and one
// partition serves at most 1,000 write units per second, however much the table could take.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  await doc.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: 'orders#2026-01-01' },
      UpdateExpression: 'ADD #count :one SET lastOrder = :order',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':order': event.orderId },
    }),
  );
  return { statusCode: 202 };
};
