/**
 * SQS and the Lambda event source mapping that drains a queue (fact sheet, section D).
 */
import type { Fact } from './fact.ts';

const BOTO = 'https://github.com/boto/botocore/blob/develop/botocore/data/lambda/2015-03-31/service-2.json';
const SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html';
const WITH_SQS = 'https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html';

export const sqs = {
  defaultBatchSize: { value: 10, unit: 'messages', source: BOTO, factSheet: 'D' },
  maxBatchSizeStandard: { value: 10_000, unit: 'messages (standard queue)', source: BOTO, factSheet: 'D', note: 'Above 10 needs MaximumBatchingWindowInSeconds ≥ 1.' },
  maxBatchingWindow: { value: 300, unit: 's', source: BOTO, factSheet: 'D' },
  minMaximumConcurrency: { value: 2, unit: 'concurrent invocations', source: BOTO, factSheet: 'D' },
  maxMaximumConcurrency: { value: 1000, unit: 'concurrent invocations', source: BOTO, factSheet: 'D' },
  maxBatchPayload: { value: 6 * 1024 * 1024, unit: 'bytes per batch', source: BOTO, factSheet: 'D' },
  initialConcurrentBatches: { value: 5, unit: 'concurrent batches when the mapping starts', source: SCALING, factSheet: 'D' },
  scaleUpPerMinute: { value: 300, unit: 'more concurrent invocations per minute', source: SCALING, factSheet: 'D', note: 'The 2023 snapshot of the guide said 60.' },
  maxConcurrentBatches: { value: 1000, unit: 'concurrent batches', source: SCALING, factSheet: 'D' },
  reportBatchItemFailures: { value: 1, unit: 'FunctionResponseTypes: ["ReportBatchItemFailures"] enables partial batch responses', source: WITH_SQS, factSheet: 'D' },
  defaultVisibilityTimeout: {
    value: 30_000,
    unit: 'ms',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html',
    note: 'Not in the fact sheet: the SQS default of 30 s; AWS advises at least six times the function timeout for an event source mapping.',
  },
  /** One SQS API call as the function sees it. */
  requestLatency: {
    value: 8,
    unit: 'ms per call (mean; drawn uniformly within ±30 %)',
    source: 'assumption',
    calibrate: 'AWS publishes no latency for SendMessage; time it from a function in the same Region (the SDK keeps connections alive, so measure warm calls).',
  },
  /** How long after a message becomes visible a poller that is waiting sees it. */
  pollDelay: {
    value: 20,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Lambda long-polls; measure the gap between SentTimestamp and the invocation start for a single message on an idle queue.',
  },
} as const satisfies Record<string, Fact>;
