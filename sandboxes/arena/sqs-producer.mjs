// Pattern 5: queue the write; a consumer with bounded concurrency stores it later.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ orderId: event.orderId }) }));
  return { statusCode: 202 };
};
