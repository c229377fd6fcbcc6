/**
 * SQS standard queues, the part a producer function and an event source mapping use: SendMessage
 * (and its batch), ReceiveMessage with the visibility timeout, DeleteMessage (and its batch),
 * GetQueueUrl and GetQueueAttributes, over the AWS JSON protocol the current SDK speaks.
 *
 * Not modelled: FIFO queues, delay queues and message timers, dead-letter queues (a message comes
 * back until it is deleted), message attributes, long polling by callers (the mapping's pollers
 * are modelled in event-source-mapping.ts), MD5 digests, at-least-once duplicates, retention.
 */
import type { Timers } from '../clock/timers.ts';

export interface SqsMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  receiptHandle: string | null;
  visibleAt: number;
}

interface Queue {
  name: string;
  url: string;
  arn: string;
  visibilityTimeoutMs: number;
  /** Messages not deleted, in send order. */
  messages: SqsMessage[];
  listeners: Set<() => void>;
}

export class SqsError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
    this.type = type;
  }
}

export interface QueueStats {
  sent: number;
  received: number;
  deleted: number;
  /** Receives of a message that had been received before (its visibility timeout ran out). */
  redelivered: number;
  peakDepth: number;
}

const MAX_BODY_BYTES = 256 * 1024;
const encoder = new TextEncoder();

export class SqsEmulator {
  readonly #timers: Timers;
  readonly #queues = new Map<string, Queue>();
  readonly #stats = new Map<string, QueueStats>();
  #nextId = 0;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  createQueue(name: string, options: { visibilityTimeoutMs: number }): string {
    const url = `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
    this.#queues.set(url, { name, url, arn: `arn:aws:sqs:us-east-1:123456789012:${name}`, visibilityTimeoutMs: options.visibilityTimeoutMs, messages: [], listeners: new Set() });
    this.#stats.set(url, { sent: 0, received: 0, deleted: 0, redelivered: 0, peakDepth: 0 });
    return url;
  }

  stats(url: string): QueueStats {
    return this.#stats.get(url)!;
  }

  /** Messages not deleted yet (ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible). */
  depth(url: string): { visible: number; inFlight: number } {
    const queue = this.#queue(url);
    const now = this.#timers.now();
    let visible = 0;
    for (const m of queue.messages) if (m.visibleAt <= now) visible++;
    return { visible, inFlight: queue.messages.length - visible };
  }

  /** Called when a message may have become visible (sent, or its visibility timeout ran out). */
  onVisible(url: string, listener: () => void): () => void {
    const queue = this.#queue(url);
    queue.listeners.add(listener);
    return () => queue.listeners.delete(listener);
  }

  send(url: string, body: string): SqsMessage {
    const queue = this.#queue(url);
    if (body.length === 0) throw new SqsError('InvalidParameterValue', 'The request must contain the parameter MessageBody.');
    if (encoder.encode(body).length > MAX_BODY_BYTES) throw new SqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    const now = this.#timers.now();
    const message: SqsMessage = { messageId: this.#uuid(), body, sentAt: now, receiveCount: 0, firstReceivedAt: null, receiptHandle: null, visibleAt: now };
    queue.messages.push(message);
    const stats = this.#stats.get(url)!;
    stats.sent++;
    if (queue.messages.length > stats.peakDepth) stats.peakDepth = queue.messages.length;
    this.#notify(queue);
    return message;
  }

  /** Up to `max` visible messages, oldest first, each hidden for the visibility timeout. */
  receive(url: string, max: number, visibilityTimeoutMs?: number): SqsMessage[] {
    const queue = this.#queue(url);
    const now = this.#timers.now();
    const hide = visibilityTimeoutMs ?? queue.visibilityTimeoutMs;
    const out: SqsMessage[] = [];
    const stats = this.#stats.get(url)!;
    for (const m of queue.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (m.receiveCount > 0) stats.redelivered++;
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.receiptHandle = `${m.messageId}#${m.receiveCount}`;
      m.visibleAt = now + hide;
      out.push(m);
      this.#timers.setTimeout(() => this.#notify(queue), hide);
    }
    stats.received += out.length;
    return out;
  }

  delete(url: string, receiptHandle: string): void {
    const queue = this.#queue(url);
    const index = queue.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index < 0) {
      // A handle of an earlier receive of a message still in the queue is stale; of a deleted one, harmless.
      if (queue.messages.some((m) => receiptHandle.startsWith(`${m.messageId}#`))) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
      return;
    }
    queue.messages.splice(index, 1);
    this.#stats.get(url)!.deleted++;
  }

  /** One AWS JSON 1.0 request (`x-amz-target: AmazonSQS.<Operation>`). */
  respond(target: string | undefined, body: string): { statusCode: number; headers: Record<string, string>; body: string } {
    const operation = target?.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    try {
      const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const output = this.#execute(operation, input);
      return { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(output) };
    } catch (error) {
      const failure = error instanceof SqsError ? error : new SqsError('InvalidParameterValue', (error as Error).message);
      return { statusCode: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ __type: `com.amazonaws.sqs#${failure.type}`, message: failure.message }) };
    }
  }

  #execute(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const url = () => String(input.QueueUrl ?? '');
    switch (operation) {
      case 'SendMessage': {
        const m = this.send(url(), String(input.MessageBody ?? ''));
        return { MessageId: m.messageId };
      }
      case 'SendMessageBatch': {
        const entries = (input.Entries ?? []) as Array<{ Id: string; MessageBody: string }>;
        return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: this.send(url(), e.MessageBody).messageId })), Failed: [] };
      }
      case 'ReceiveMessage': {
        const max = Number(input.MaxNumberOfMessages ?? 1);
        if (!(max >= 1 && max <= 10)) throw new SqsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
        const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout) * 1000;
        return { Messages: this.receive(url(), max, visibility).map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, Body: m.body, Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) } })) };
      }
      case 'DeleteMessage':
        this.delete(url(), String(input.ReceiptHandle ?? ''));
        return {};
      case 'DeleteMessageBatch': {
        const entries = (input.Entries ?? []) as Array<{ Id: string; ReceiptHandle: string }>;
        for (const e of entries) this.delete(url(), e.ReceiptHandle);
        return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
      }
      case 'GetQueueUrl': {
        const queue = [...this.#queues.values()].find((q) => q.name === input.QueueName);
        if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
        return { QueueUrl: queue.url };
      }
      case 'GetQueueAttributes': {
        const queue = this.#queue(url());
        const depth = this.depth(url());
        return { Attributes: { QueueArn: queue.arn, ApproximateNumberOfMessages: String(depth.visible), ApproximateNumberOfMessagesNotVisible: String(depth.inFlight), VisibilityTimeout: String(queue.visibilityTimeoutMs / 1000) } };
      }
      default:
        throw new SqsError('UnsupportedOperation', `connlab: the SQS emulator answers SendMessage, SendMessageBatch, ReceiveMessage, DeleteMessage, DeleteMessageBatch, GetQueueUrl and GetQueueAttributes; not ${operation || 'this request'}`);
    }
  }

  #queue(url: string): Queue {
    const queue = this.#queues.get(url);
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  #notify(queue: Queue): void {
    for (const listener of [...queue.listeners]) listener();
  }

  #uuid(): string {
    const n = (++this.#nextId).toString(16).padStart(12, '0');
    let h = '';
    for (let i = 0; i < 20; i++) h += Math.floor(this.#timers.random() * 16).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${n}`;
  }
}
