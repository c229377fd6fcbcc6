/**
 * An SQS queue's consumer: a Lambda function fed by an event source mapping, in a world. The function
 * is configured like any other (lambda/function.ts `functionConfig`), and what it and the queue do
 * is reported through engine/metrics: the consumer's outcomes, the queue's depth sampled ten times a
 * virtual second and the function's concurrency, each as its second's maximum.
 */
import type { Timers } from '../clock/timers.ts';
import { LambdaFunction, type FunctionConfig } from '../lambda/function.ts';
import type { CompiledModule } from '../lambda/modules.ts';
import { Metrics } from '../metrics/metrics.ts';
import type { World } from '../world/world.ts';
import { lambda as lambdaFacts } from '../../facts/lambda.ts';
import type { SqsEmulator } from './emulator.ts';
import { EventSourceMapping, type EventSourceMappingConfig, type EventSourceMappingStats } from './event-source-mapping.ts';

const CONSUMER_SERIES = { ApproximateNumberOfMessagesVisible: 'sample', ConsumerConcurrency: 'gauge' } as const;
const DEPTH_SAMPLE_MS = 100;

export interface QueueConsumerOptions {
  world: World;
  /** The timers of the process the queue and the mapping's pollers run in. */
  timers: Timers;
  queue: SqsEmulator;
  queueUrl: string;
  handler: CompiledModule;
  /** The consumer function's configuration; the queue's URL is added to its environment as QUEUE_URL. */
  function: FunctionConfig;
  mapping: Omit<EventSourceMappingConfig, 'queueUrl'>;
  /** Packages every environment of the consumer gets (the emulated AWS SDK clients). */
  packages: Readonly<Record<string, unknown>>;
  /** The consumer's environment events (cold starts, reclaims, crashes). */
  event(kind: string, text: string): void;
}

/** The queue's figures, the mapping's, and the consumer's. */
export interface ConsumerReport extends Omit<EventSourceMappingStats, 'drainedAt'> {
  sent: number;
  deleted: number;
  redelivered: number;
  peakDepth: number;
  depthAtEnd: number;
  drainedAtMs: number | null;
  maximumConcurrency: number | null;
  consumer: { invocations: number; succeeded: number; failed: number; throttled: number; coldStarts: number; peakConcurrency: number; errors: Array<{ code: string; message: string; count: number }> };
  series: Record<keyof typeof CONSUMER_SERIES, number[]>;
}

export interface QueueConsumer {
  report(durationMs: number): ConsumerReport;
}

export function startConsumer(options: QueueConsumerOptions): QueueConsumer {
  const { world, queue, queueUrl: url } = options;
  const { scheduler } = world;
  const metrics = new Metrics(() => scheduler.now, { eventLogLimit: 0, series: CONSUMER_SERIES });
  const config = options.function;
  const consumer = new LambdaFunction(
    scheduler,
    world.network,
    { driver: world.pgModules.driver, shared: world.pgModules.shared, packages: options.packages },
    options.handler,
    { ...config, envVars: { QUEUE_URL: url, ...config.envVars } },
    {
      concurrencyChanged: (busy) => metrics.gauge('ConsumerConcurrency', busy),
      environmentEvent: (kind, _environment, text) => options.event(`consumer-${kind}`, `${config.name}: ${text}`),
      // No log policy: the consumer's lines are never built.
      wantsLogs: () => metrics.wantsLogs(),
      invocationLog: (outcome, lines) => metrics.invocationLog(outcome, lines),
    },
  );
  const overhead = lambdaFacts.invokeOverhead.value;
  const mapping = new EventSourceMapping(options.timers, queue, { queueUrl: url, ...options.mapping }, (event, done) => {
    scheduler.after(overhead, () =>
      consumer.invoke(event, (outcome) => {
        metrics.invocation(outcome);
        scheduler.after(overhead, () => done({ ok: outcome.ok, throttled: outcome.throttled, result: outcome.result }));
      }),
    );
  });
  const sample = () => {
    metrics.gauge('ApproximateNumberOfMessagesVisible', queue.depth(url).visible);
    scheduler.after(DEPTH_SAMPLE_MS, sample);
  };
  sample();
  return {
    report(durationMs) {
      metrics.finish(durationMs);
      const seconds = Math.max(1, Math.round(durationMs / 1000));
      const stats = queue.stats(url);
      const now = queue.depth(url);
      const counts = metrics.invocations;
      return {
        sent: stats.sent,
        deleted: stats.deleted,
        redelivered: stats.redelivered,
        peakDepth: stats.peakDepth,
        depthAtEnd: now.visible + now.inFlight,
        drainedAtMs: now.visible + now.inFlight === 0 ? mapping.stats.drainedAt : null,
        batches: mapping.stats.batches,
        messagesInvoked: mapping.stats.messagesInvoked,
        failedBatches: mapping.stats.failedBatches,
        throttledBatches: mapping.stats.throttledBatches,
        partialFailures: mapping.stats.partialFailures,
        peakConcurrentBatches: mapping.stats.peakConcurrentBatches,
        maximumConcurrency: options.mapping.maximumConcurrency,
        consumer: {
          invocations: counts.total - counts.throttled,
          succeeded: counts.succeeded,
          failed: counts.failed,
          throttled: counts.throttled,
          coldStarts: consumer.stats.coldStarts,
          peakConcurrency: consumer.stats.peakConcurrency,
          errors: [...metrics.errors.values()].sort((a, b) => b.count - a.count),
        },
        series: {
          ApproximateNumberOfMessagesVisible: metrics.series.ApproximateNumberOfMessagesVisible.slice(0, seconds),
          ConsumerConcurrency: metrics.series.ConsumerConcurrency.slice(0, seconds),
        },
      };
    },
  };
}
