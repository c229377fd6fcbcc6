// The API function only queues the order: no database connection on the request path.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ orderId: event.orderId }) }));
  return { statusCode: 202, body: 'queued' };
};
