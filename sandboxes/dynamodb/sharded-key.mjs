// The same counter split over SHARDS items (write sharding): each shard is its own partition key,
// so the writes spread over partitions. Reading the total means reading every shard.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const SHARDS = Number(process.env.SHARDS);

export const handler = async (event) => {
  await doc.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `orders#2026-01-01#${event.orderId % SHARDS}` },
      UpdateExpression: 'ADD #count :one SET lastOrder = :order',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':order': event.orderId },
    }),
  );
  return { statusCode: 202 };
};
