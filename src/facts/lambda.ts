/**
 * AWS Lambda's concurrency, scaling and lifecycle as the virtual Lambda models them (fact sheet, section D).
 */
import type { Fact } from './fact.ts';

const SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html';
const LIMITS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LIFECYCLE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html';
const RESERVED = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html';
const CONFIGURATION = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html';
const BILLING = 'https://aws.amazon.com/lambda/pricing/';
const THROTTLE = 'https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html';

export const lambda = {
  accountConcurrency: { value: 1000, unit: 'concurrent executions per Region', source: LIMITS, factSheet: 'D' },
  unreservedMinimum: { value: 100, unit: 'concurrent executions', source: RESERVED, factSheet: 'D' },
  scalingEnvironments: { value: 1000, unit: 'new execution environments per function', source: SCALING, factSheet: 'D' },
  scalingWindow: { value: 10_000, unit: 'ms', source: SCALING, factSheet: 'D' },
  initLimit: { value: 10_000, unit: 'ms', source: LIFECYCLE, factSheet: 'D', note: 'Without provisioned concurrency or SnapStart.' },
  defaultTimeout: { value: 3_000, unit: 'ms', source: CONFIGURATION },
  maxTimeout: { value: 900_000, unit: 'ms', source: LIMITS, factSheet: 'D' },
  billingGranularity: { value: 1, unit: 'ms', source: BILLING },
  /** What the Invoke API answers when concurrency is exhausted: HTTP 429. */
  throttle: {
    value: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
    unit: 'error',
    source: THROTTLE,
  },
  /** The platform's part of a cold start (microVM, runtime start), before the module's own top-level code. */
  coldStartPlatform: {
    value: 150,
    unit: 'ms (mean; drawn uniformly within ±30 %)',
    source: 'assumption',
    calibrate: 'Init Duration in the REPORT line of a function whose module does nothing, minus nothing: it is the platform part alone. Node.js functions commonly show 100 to 250 ms.',
  },
  /** The path between a caller and the function (front end, routing), each way. Callers wait it before and after an invocation. */
  invokeOverhead: {
    value: 5,
    unit: 'ms each way',
    source: 'assumption',
    calibrate: 'Client-measured Invoke latency minus the Duration in the REPORT line, halved.',
  },
  /** AWS publishes no idle lifetime ("for some time"); the sandboxes expose it as a parameter. */
  idleLifetime: {
    value: 300_000,
    unit: 'ms (each environment draws uniformly within ±20 %)',
    source: 'assumption',
    calibrate: 'Invoke once, wait N minutes, invoke again and look for an Init Duration in the REPORT line; bisect on N. AWS says only that idle environments are kept "for some time".',
  },
} satisfies Record<string, Fact<unknown>>;
