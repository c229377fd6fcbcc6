/**
 * The SQS model on the virtual clock: the visibility timeout, the event source mapping's batching,
 * its scaling (5 batches, then +300 a minute, never past MaximumConcurrency), partial batch
 * responses, and SendMessage through the real @aws-sdk/client-sqs.
 */
import { SendMessageCommand, SQSClient, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/engine/clock/scheduler.ts';
import type { Timers } from '../../../src/engine/clock/timers.ts';
import { EventSourceMapping, SqsEmulator, sqsRequestHandler, validateMapping, type BatchOutcome } from '../../../src/engine/sqs/index.ts';
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from '../../../src/engine/aws/client-defaults.ts';
import { warmSdk } from '../../../src/engine/aws/warm-sdk.ts';
import { sqs as facts } from '../../../src/facts/sqs.ts';

function clock() {
  const scheduler = new Scheduler({ seed: 1, yieldMacrotask: () => new Promise<void>((resolve) => setImmediate(resolve)) });
  const timers: Timers = { now: () => scheduler.now, setTimeout: (run, ms) => scheduler.after(ms, run), clearTimeout: (h) => scheduler.cancel(h as never), random: () => scheduler.rng.next() };
  return { scheduler, timers };
}

type Consumer = (event: { Records: Array<{ messageId: string; body: string }> }, done: (outcome: BatchOutcome) => void) => void;

function setup(options: { batchSize?: number; windowMs?: number; maximumConcurrency?: number | null; report?: boolean; visibilityMs?: number; consumer: (scheduler: Scheduler) => Consumer }) {
  const { scheduler, timers } = clock();
  const queue = new SqsEmulator(timers);
  const url = queue.createQueue('orders', { visibilityTimeoutMs: options.visibilityMs ?? 30_000 });
  let busy = 0;
  let peak = 0;
  const consumer = options.consumer(scheduler);
  const mapping = new EventSourceMapping(
    timers,
    queue,
    { queueUrl: url, batchSize: options.batchSize ?? 10, maximumBatchingWindowMs: options.windowMs ?? 0, maximumConcurrency: options.maximumConcurrency ?? null, reportBatchItemFailures: options.report ?? false },
    (event, done) => {
      busy++;
      peak = Math.max(peak, busy);
      consumer(event as never, (outcome) => {
        busy--;
        done(outcome);
      });
    },
  );
  return { scheduler, queue, url, mapping, peak: () => peak };
}

const after = (ms: number, result: unknown = { batchItemFailures: [] }) => (scheduler: Scheduler): Consumer => (_event, done) => scheduler.after(ms, () => done({ ok: true, throttled: false, result }));

describe('event source mapping', () => {
  it('never runs more than MaximumConcurrency batches, whatever the backlog', async () => {
    const { scheduler, queue, url, mapping, peak } = setup({ maximumConcurrency: 3, consumer: after(200) });
    for (let i = 0; i < 500; i++) queue.send(url, `m${i}`);
    await scheduler.run({ until: 60_000 });
    expect(peak()).toBe(3);
    expect(mapping.stats.peakConcurrentBatches).toBe(3);
    expect(queue.stats(url)).toMatchObject({ sent: 500, deleted: 500 });
    expect(mapping.stats.drainedAt).not.toBeNull();
  });

  it('starts with 5 concurrent batches and adds 300 a minute while messages wait', async () => {
    const { scheduler, queue, url, peak } = setup({ consumer: after(1_000_000) });
    for (let i = 0; i < 10_000; i++) queue.send(url, `m${i}`);
    await scheduler.run({ until: 100 });
    expect(peak()).toBe(facts.initialConcurrentBatches.value);
    await scheduler.run({ until: 60_100 });
    expect(peak()).toBe(facts.initialConcurrentBatches.value + facts.scaleUpPerMinute.value);
  });

  it('waits up to the batching window to fill a batch', async () => {
    const sizes: number[] = [];
    const { scheduler, queue, url } = setup({
      batchSize: 50,
      windowMs: 2000,
      consumer: (s) => (event, done) => {
        sizes.push(event.Records.length);
        s.after(10, () => done({ ok: true, throttled: false }));
      },
    });
    for (let i = 0; i < 20; i++) queue.send(url, `m${i}`);
    await scheduler.run({ until: 1900 });
    expect(sizes).toEqual([]);
    await scheduler.run({ until: 2500 });
    expect(sizes).toEqual([20]);
  });

  it('redelivers a failed batch after the visibility timeout; ReportBatchItemFailures redelivers only the listed messages', async () => {
    let calls = 0;
    const { scheduler, queue, url } = setup({
      report: true,
      visibilityMs: 5000,
      consumer: (s) => (event, done) => {
        calls++;
        const failed = calls === 1 ? [{ itemIdentifier: event.Records[0]!.messageId }] : [];
        s.after(10, () => done({ ok: true, throttled: false, result: { batchItemFailures: failed } }));
      },
    });
    for (let i = 0; i < 3; i++) queue.send(url, `m${i}`);
    await scheduler.run({ until: 1000 });
    expect(queue.depth(url)).toEqual({ visible: 0, inFlight: 1 });
    await scheduler.run({ until: 6000 });
    expect(queue.stats(url)).toMatchObject({ deleted: 3, redelivered: 1 });

    let attempts = 0;
    const failing = setup({ visibilityMs: 5000, consumer: (s) => (_event, done) => s.after(10, () => done({ ok: ++attempts > 1, throttled: false })) });
    failing.queue.send(failing.url, 'x');
    await failing.scheduler.run({ until: 1000 });
    expect(failing.queue.depth(failing.url)).toEqual({ visible: 0, inFlight: 1 });
    await failing.scheduler.run({ until: 6000 });
    expect(failing.queue.stats(failing.url)).toMatchObject({ deleted: 1, redelivered: 1 });
  });

  it('rejects settings AWS rejects', () => {
    const base = { queueUrl: 'q', batchSize: 10, maximumBatchingWindowMs: 0, maximumConcurrency: null, reportBatchItemFailures: false };
    expect(validateMapping({ ...base, batchSize: 100 })).toMatch(/greater than 0 if maximum batch size is greater than 10/);
    expect(validateMapping({ ...base, maximumConcurrency: 1 })).toMatch(/between 2 and 1000/);
    expect(validateMapping({ ...base, batchSize: 100, maximumBatchingWindowMs: 1000 })).toBeNull();
  });
});

describe('SQS through the real client', () => {
  it('sends and receives with @aws-sdk/client-sqs, and names a missing queue as SQS does', async () => {
    const { scheduler, timers } = clock();
    const queue = new SqsEmulator(timers);
    const url = queue.createQueue('orders', { visibilityTimeoutMs: 30_000 });
    await warmSdk();
    const client = new SQSClient({ ...SDK_CLIENT_DEFAULTS, endpoint: SERVICE_ENDPOINTS.sqs, md5: false, requestHandler: sqsRequestHandler(queue) } as never);
    const sent = await scheduler.runUntil(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"orderId":1}' })));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const received = await scheduler.runUntil(client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 })));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['{"orderId":1}']);
    const error = await scheduler.runUntil(client.send(new SendMessageCommand({ QueueUrl: `${url}-missing`, MessageBody: 'x' }))).catch((e: Error) => e);
    expect((error as Error).name).toBe('QueueDoesNotExist');
  });
});
