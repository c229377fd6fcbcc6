/**
 * The Lambda event source mapping that drains an SQS queue into a function: pollers take batches of
 * up to BatchSize messages (waiting up to MaximumBatchingWindowInSeconds to fill one), invoke the
 * function synchronously, and delete what it processed. Concurrency starts at 5 batches and grows
 * by 300 per minute while messages wait, never past ScalingConfig.MaximumConcurrency: the consumer,
 * and hence the database behind it, sees at most that many invocations whatever the producers do.
 *
 * A failed or throttled batch is not deleted: its messages come back when their visibility timeout
 * runs out. With ReportBatchItemFailures, only the messages the function lists come back.
 */
import { sqs as facts } from '../../facts/sqs.ts';
import type { Timers } from '../clock/timers.ts';
import type { SqsEmulator, SqsMessage } from './emulator.ts';

export interface EventSourceMappingConfig {
  queueUrl: string;
  batchSize: number;
  maximumBatchingWindowMs: number;
  /** ScalingConfig.MaximumConcurrency, or null for the mapping's own limit (1,000 batches). */
  maximumConcurrency: number | null;
  reportBatchItemFailures: boolean;
}

export interface BatchOutcome {
  ok: boolean;
  throttled: boolean;
  result?: unknown;
}

export interface EventSourceMappingStats {
  batches: number;
  messagesInvoked: number;
  failedBatches: number;
  throttledBatches: number;
  partialFailures: number;
  peakConcurrentBatches: number;
  /** Virtual time the queue was last seen empty after the first message; null while messages remain. */
  drainedAt: number | null;
}

export function validateMapping(config: EventSourceMappingConfig): string | null {
  if (config.batchSize < 1 || config.batchSize > facts.maxBatchSizeStandard.value) return `BatchSize must be between 1 and ${facts.maxBatchSizeStandard.value}`;
  if (config.batchSize > 10 && config.maximumBatchingWindowMs < 1000) return 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
  if (config.maximumBatchingWindowMs > facts.maxBatchingWindow.value * 1000) return `MaximumBatchingWindowInSeconds must be at most ${facts.maxBatchingWindow.value}`;
  if (config.maximumConcurrency !== null && (config.maximumConcurrency < facts.minMaximumConcurrency.value || config.maximumConcurrency > facts.maxMaximumConcurrency.value))
    return `ScalingConfig.MaximumConcurrency must be between ${facts.minMaximumConcurrency.value} and ${facts.maxMaximumConcurrency.value}`;
  return null;
}

export class EventSourceMapping {
  readonly stats: EventSourceMappingStats = { batches: 0, messagesInvoked: 0, failedBatches: 0, throttledBatches: 0, partialFailures: 0, peakConcurrentBatches: 0, drainedAt: null };
  readonly #timers: Timers;
  readonly #queue: SqsEmulator;
  readonly #config: EventSourceMappingConfig;
  readonly #invoke: (event: unknown, done: (outcome: BatchOutcome) => void) => void;
  #inFlight = 0;
  #backlogSince: number | null = null;
  #gatheringSince: number | null = null;
  #pumpScheduled = false;
  #pumpDue = 0;
  #pumpHandle: unknown = null;

  constructor(timers: Timers, queue: SqsEmulator, config: EventSourceMappingConfig, invoke: (event: unknown, done: (outcome: BatchOutcome) => void) => void) {
    const invalid = validateMapping(config);
    if (invalid) throw new Error(`InvalidParameterValueException: ${invalid}`);
    this.#timers = timers;
    this.#queue = queue;
    this.#config = config;
    this.#invoke = invoke;
    queue.onVisible(config.queueUrl, () => this.#schedulePump(facts.pollDelay.value));
  }

  get concurrentBatches(): number {
    return this.#inFlight;
  }

  /** How many batches may run now: 5 at first, +300 a minute while messages wait, up to the cap. */
  allowedConcurrency(): number {
    const cap = Math.min(this.#config.maximumConcurrency ?? facts.maxConcurrentBatches.value, facts.maxConcurrentBatches.value);
    const since = this.#backlogSince ?? this.#timers.now();
    const grown = facts.initialConcurrentBatches.value + Math.floor(((this.#timers.now() - since) / 60_000) * facts.scaleUpPerMinute.value);
    return Math.min(cap, grown);
  }

  /** One pending look at the queue, at the earliest time anyone asked for. */
  #schedulePump(delayMs: number): void {
    const due = this.#timers.now() + delayMs;
    if (this.#pumpScheduled && this.#pumpDue <= due) return;
    if (this.#pumpScheduled) this.#timers.clearTimeout(this.#pumpHandle);
    this.#pumpScheduled = true;
    this.#pumpDue = due;
    this.#pumpHandle = this.#timers.setTimeout(() => {
      this.#pumpScheduled = false;
      this.#pump();
    }, delayMs);
  }

  #pump(): void {
    const url = this.#config.queueUrl;
    for (;;) {
      const { visible, inFlight } = this.#queue.depth(url);
      if (visible === 0) {
        this.#gatheringSince = null;
        if (inFlight === 0 && this.#inFlight === 0) {
          this.#backlogSince = null;
          this.stats.drainedAt ??= this.#timers.now();
        }
        return;
      }
      this.stats.drainedAt = null;
      this.#backlogSince ??= this.#timers.now();
      const allowed = this.allowedConcurrency();
      if (this.#inFlight >= allowed) {
        // Scaling grows with time: look again when the next poller may start.
        this.#schedulePump(60_000 / facts.scaleUpPerMinute.value);
        return;
      }
      if (visible < this.#config.batchSize && this.#config.maximumBatchingWindowMs > 0) {
        this.#gatheringSince ??= this.#timers.now();
        const waited = this.#timers.now() - this.#gatheringSince;
        if (waited < this.#config.maximumBatchingWindowMs) {
          this.#schedulePump(this.#config.maximumBatchingWindowMs - waited);
          return;
        }
      }
      this.#gatheringSince = null;
      const messages = this.#queue.receive(url, this.#config.batchSize);
      if (messages.length === 0) return;
      this.#startBatch(messages);
    }
  }

  #startBatch(messages: SqsMessage[]): void {
    this.#inFlight++;
    if (this.#inFlight > this.stats.peakConcurrentBatches) this.stats.peakConcurrentBatches = this.#inFlight;
    this.stats.batches++;
    this.stats.messagesInvoked += messages.length;
    const event = {
      Records: messages.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(Math.round(m.sentAt)), SenderId: 'AROACONNLABEXAMPLE', ApproximateFirstReceiveTimestamp: String(Math.round(m.firstReceivedAt ?? m.sentAt)) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: this.#config.queueUrl.replace('https://sqs.us-east-1.amazonaws.com/123456789012/', 'arn:aws:sqs:us-east-1:123456789012:'),
        awsRegion: 'us-east-1',
      })),
    };
    this.#invoke(event, (outcome) => {
      this.#inFlight--;
      if (outcome.throttled) this.stats.throttledBatches++;
      else if (!outcome.ok) this.stats.failedBatches++;
      else {
        const failures = this.#config.reportBatchItemFailures ? itemFailures(outcome.result) : null;
        if (failures && failures.size > 0) this.stats.partialFailures++;
        for (const m of messages) if (!failures?.has(m.messageId) && m.receiptHandle) this.#queue.delete(this.#config.queueUrl, m.receiptHandle);
      }
      this.#schedulePump(0);
    });
  }
}

function itemFailures(result: unknown): Set<string> | null {
  const list = (result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)?.batchItemFailures;
  if (!Array.isArray(list)) return null;
  return new Set(list.map((f) => String(f.itemIdentifier)));
}
