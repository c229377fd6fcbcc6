/**
 * Queue-based batching: an SQS emulator (standard queues, the calls producers and the mapping use)
 * and the Lambda event source mapping that drains it with BatchSize, MaximumBatchingWindowInSeconds,
 * ScalingConfig.MaximumConcurrency and ReportBatchItemFailures, and the consumer function it feeds.
 */
export { SqsEmulator, SqsError, type QueueStats, type SqsMessage } from './emulator.ts';
export { EventSourceMapping, validateMapping, type BatchOutcome, type EventSourceMappingConfig, type EventSourceMappingStats } from './event-source-mapping.ts';
export { sqsRequestHandler } from './request-handler.ts';
export { startConsumer, type ConsumerReport, type QueueConsumer, type QueueConsumerOptions } from './consumer.ts';
