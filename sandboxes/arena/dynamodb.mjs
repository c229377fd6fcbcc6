// Pattern 4: DynamoDB instead of PostgreSQL: one item per order (a well-spread partition key).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await doc.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: `order#${event.orderId}#${Date.now()}`, orderId: event.orderId } }));
  return { statusCode: 201 };
};
