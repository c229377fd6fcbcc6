/**
 * The wizard's questions as data, so the page, `connlab generate --interactive` and the tests
 * read one list. Each question says why it matters and which chapter shows it happening.
 */
import type { Answers } from './answers.ts';
import {
  ACU_MAX,
  ACU_MIN,
  ACU_SMALLEST_MAXIMUM,
  LATENCY_BUDGET_MAX_MS,
  MONTHLY_SPEND_MAX_USD,
  OTHER_CONNECTIONS_MAX,
  PEAK_CONCURRENCY_MAX,
  defaultInstanceClassFor,
  runtimeLanguageOptions,
} from './answers.ts';
import {
  authOptions,
  databaseOptions,
  databases,
  engineOffer,
  iacOptions,
  instanceClassOptions,
  type Database,
  type Option,
} from '../vocabulary/choices.ts';
import { capacityRange, lowMinimumCap, maxConnectionsByMaxAcu } from '../facts/aurora-serverless-v2.ts';
import { maxConnectionsFormula } from '../facts/postgres.ts';
import { pricing } from '../facts/pricing.ts';
import { sizing } from '../facts/starter-code.ts';
import { iamToken } from '../facts/rds-proxy.ts';
import { managedInstances } from '../facts/lambda.ts';
import { dsqlUnsupported } from '../facts/aurora-dsql.ts';
import { formatNumber as count } from '../lib/format-number.ts';

const acuTable = maxConnectionsByMaxAcu.value;
const mibPerConnection = (maxConnectionsFormula.divisor.value / 2 ** 20).toFixed(1);

export const chapters = {
  theProblem: '/guide/the-problem',
  poolsPerEnvironment: '/guide/pools-per-environment',
  rdsProxy: '/guide/rds-proxy',
  pinning: '/guide/pinning',
  iamAuthentication: '/guide/iam-authentication',
  configurationAndCost: '/guide/configuration-and-cost',
  dataApi: '/guide/data-api',
  dynamodb: '/guide/dynamodb',
  queuesAndBatching: '/guide/queues-and-batching',
  compare: '/guide/compare',
  choosingAPattern: '/guide/choosing-a-pattern',
  beyondDefaultCompute: '/guide/beyond-default-compute',
} as const;

interface QuestionBase<K extends keyof Answers> {
  id: K;
  label: string;
  whyThisMatters: string;
  /** The chapter that shows the effect, as a site path. */
  chapter: string;
  /** Asked only when an earlier answer takes one of these values; otherwise its default stands. */
  askedWhen?: { answer: keyof Answers; is: readonly string[] };
}

export interface ChoiceQuestion<K extends keyof Answers = keyof Answers> extends QuestionBase<K> {
  kind: 'choice';
  options: readonly Option[];
}

export interface NumberQuestion<K extends keyof Answers = keyof Answers> extends QuestionBase<K> {
  kind: 'number';
  min: number;
  max: number;
  /** 1 unless said: ACUs move in half steps. */
  step?: number;
  unit: string;
}

export type Question = ChoiceQuestion | NumberQuestion;

const yesNo: readonly Option[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

export const questions: readonly Question[] = [
  {
    kind: 'choice',
    id: 'database',
    label: 'Which database engine?',
    options: databaseOptions,
    whyThisMatters: 'The RDS Data API serves Aurora PostgreSQL, provisioned and Serverless v2, not RDS for PostgreSQL; each engine offers its own instance classes; the IAM policy names an instance (db-…) or a cluster (cluster-…) resource id.',
    chapter: chapters.dataApi,
  },
  {
    kind: 'choice',
    id: 'instanceClass',
    label: 'Which instance class (the writer)?',
    options: instanceClassOptions,
    whyThisMatters:
      `max_connections follows the instance memory (about 1 connection per ${mibPerConnection} MiB of it; the figure on the nominal memory is an upper bound, since RDS keeps some memory for itself), and that budget decides whether functions may connect directly.`,
    chapter: chapters.theProblem,
  },
  {
    kind: 'number',
    id: 'minAcu',
    label: 'Minimum capacity (ACUs)',
    min: ACU_MIN,
    max: ACU_MAX,
    step: capacityRange.step.value,
    unit: 'ACUs',
    askedWhen: { answer: 'database', is: ['aurora-serverless-v2'] },
    whyThisMatters: `With a minimum of ${lowMinimumCap.minimumAtOrBelow.value} ACU or less, Aurora PostgreSQL caps max_connections at ${count(lowMinimumCap.maxConnections.value)} whatever the maximum.`,
    chapter: chapters.theProblem,
  },
  {
    kind: 'number',
    id: 'maxAcu',
    label: 'Maximum capacity (ACUs)',
    min: ACU_SMALLEST_MAXIMUM,
    max: ACU_MAX,
    step: capacityRange.step.value,
    unit: 'ACUs',
    askedWhen: { answer: 'database', is: ['aurora-serverless-v2'] },
    whyThisMatters: `Serverless v2 sets max_connections from the maximum of the range (${acuTable.map((row) => `${count(row.maxConnections)} at ${row.maxAcu}`).join(', ')} ACUs and up), not from the capacity it runs at.`,
    chapter: chapters.theProblem,
  },
  {
    kind: 'choice',
    id: 'existingDatabase',
    label: 'Does the relational database already exist?',
    options: yesNo,
    whyThisMatters: 'Moving existing data to DynamoDB is a migration, not a configuration change.',
    chapter: chapters.dynamodb,
  },
  {
    kind: 'choice',
    id: 'needsRelational',
    label: 'Does the work need joins or multi-statement transactions?',
    options: yesNo,
    whyThisMatters: 'DynamoDB has no joins; a relational design behind a proxy keeps them.',
    chapter: chapters.compare,
  },
  {
    kind: 'choice',
    id: 'postgresOnlyFeatures',
    label: 'Will the new database rely on foreign keys, sequences (serial columns), triggers, extensions or temporary tables?',
    options: yesNo,
    askedWhen: { answer: 'existingDatabase', is: ['no'] },
    whyThisMatters: `Aurora DSQL speaks PostgreSQL without a connection limit a fleet of functions meets first, but does not support ${dsqlUnsupported.value.join(', ')}.`,
    chapter: chapters.beyondDefaultCompute,
  },
  {
    kind: 'number',
    id: 'peakConcurrency',
    label: 'Peak concurrent invocations',
    min: 1,
    max: PEAK_CONCURRENCY_MAX,
    unit: 'invocations',
    whyThisMatters: 'Each execution environment holds its own connection, so peak concurrency is the number of connections a direct design opens.',
    chapter: chapters.poolsPerEnvironment,
  },
  {
    kind: 'number',
    id: 'otherConnections',
    label: 'Connections other clients hold on this database at their peak',
    min: 0,
    max: OTHER_CONNECTIONS_MAX,
    unit: 'connections',
    whyThisMatters: 'max_connections is per database, not per function: other functions, services and admin tools share it, so the budget is what they leave.',
    chapter: chapters.theProblem,
  },
  {
    kind: 'choice',
    id: 'traffic',
    label: 'Traffic shape',
    options: [
      { value: 'steady', label: 'Steady' },
      { value: 'spiky', label: 'Spiky (bursts far above the average)' },
    ],
    whyThisMatters: 'After a burst, frozen environments keep their connections open until a server-side timeout closes them; reserved concurrency caps how many there can be.',
    chapter: chapters.poolsPerEnvironment,
  },
  {
    kind: 'number',
    id: 'latencyBudgetMs',
    label: 'Latency budget for one database call (p99)',
    min: 1,
    max: LATENCY_BUDGET_MAX_MS,
    unit: 'ms',
    whyThisMatters: 'The Data API adds an HTTPS request per statement; a proxy adds a hop; a queue makes writes asynchronous.',
    chapter: chapters.compare,
  },
  {
    kind: 'number',
    id: 'monthlySpendUsd',
    label: 'What can you spend per month on connection management (a proxy)?',
    min: 0,
    max: MONTHLY_SPEND_MAX_USD,
    unit: 'USD a month',
    whyThisMatters: `RDS Proxy bills for the database behind it, at least ${pricing.rdsProxyMinimumVcpus.value} vCPUs of a provisioned instance or ${pricing.rdsProxyMinimumAcus.value} ACUs of Serverless v2, whether or not it is busy.`,
    chapter: chapters.configurationAndCost,
  },
  {
    kind: 'choice',
    id: 'dataModelCanChange',
    label: 'Could the data model move to key-value access (DynamoDB)?',
    options: yesNo,
    whyThisMatters: 'DynamoDB has no connections to exhaust; its limits are throughput per partition and per table.',
    chapter: chapters.dynamodb,
  },
  {
    kind: 'choice',
    id: 'asyncWritesOk',
    label: 'May writes happen a few seconds later (through a queue)?',
    options: yesNo,
    whyThisMatters: 'A queue consumer capped by MaximumConcurrency turns any spike into a fixed number of connections.',
    chapter: chapters.queuesAndBatching,
  },
  {
    kind: 'choice',
    id: 'synchronousReads',
    label: 'Do callers also read from the database and wait for the answer?',
    options: yesNo,
    askedWhen: { answer: 'asyncWritesOk', is: ['yes'] },
    whyThisMatters: 'A queue can take the writes, but a read must reach the database while the caller waits: reads still need a pool, a proxy or the Data API.',
    chapter: chapters.queuesAndBatching,
  },
  {
    kind: 'choice',
    id: 'runtimeLanguage',
    label: 'Lambda runtime and language',
    options: runtimeLanguageOptions,
    whyThisMatters: 'The driver (pg or psycopg) and how its pool is kept between invocations differ; Node.js runtimes take TypeScript or JavaScript, Python runtimes take Python.',
    chapter: chapters.poolsPerEnvironment,
  },
  {
    kind: 'choice',
    id: 'managedInstances',
    label: 'Does the function run on Lambda Managed Instances?',
    options: yesNo,
    whyThisMatters: `On Managed Instances one execution environment runs up to ${managedInstances.nodejsDefaultConcurrencyPerVcpu.value} invocations per vCPU at once (Node.js's default), all sharing its pool: a pool of one makes them queue for one connection, and the database sees environments × pool size. Python runs each in its own process, with its own pool of one.`,
    chapter: chapters.poolsPerEnvironment,
  },
  {
    kind: 'choice',
    id: 'auth',
    label: 'Database authentication',
    options: authOptions,
    whyThisMatters: `An IAM token lives ${iamToken.lifetime.value / 60_000} minutes and is only checked when a connection opens; AWS advises fewer than ${sizing.iamNewConnectionsPerSecond.value} new IAM connections per second.`,
    chapter: chapters.iamAuthentication,
  },
  {
    kind: 'choice',
    id: 'iac',
    label: 'Infrastructure as code',
    options: iacOptions,
    whyThisMatters: 'RDS Proxy pool settings live on the target group, which each tool sets in its own place.',
    chapter: chapters.configurationAndCost,
  },
];

/** Whether a question applies to these answers (the page hides it, the CLI skips it). */
export function isAsked(question: Question, answers: Answers): boolean {
  return !question.askedWhen || question.askedWhen.is.includes(String(answers[question.askedWhen.answer]));
}

export interface ChoiceConstraint {
  /** The values this question may take given the other answers. */
  allowed: readonly string[];
  /** Shown next to the disabled choices. */
  reason: string;
}

/** Choices an earlier answer rules out, with the reason, so the page can disable them and the CLI move on. */
export function choiceConstraints(answers: Answers): Partial<Record<keyof Answers, ChoiceConstraint>> {
  const offer = engineOffer(answers.database);
  return {
    instanceClass: { allowed: offer.classes, reason: `${offer.whyNot}; the other choices are disabled.` },
  };
}

/**
 * Moves a choice an earlier answer rules out to one it allows (the engine's default class), so a
 * reader who changes the engine is not left with an answer the schema refuses. Values that are
 * themselves invalid are left for the schema to report.
 */
export function fitToConstraints(record: Record<string, unknown>): Record<string, unknown> {
  const fitted = { ...record };
  if ((databases as readonly unknown[]).includes(fitted.database)) {
    const database = fitted.database as Database;
    const offered: readonly string[] = engineOffer(database).classes;
    if (!offered.includes(String(fitted.instanceClass))) fitted.instanceClass = defaultInstanceClassFor(database);
  }
  return fitted;
}

/** How the page groups the questions: the database, the workload, the project to generate. Every question is in one group. */
export const questionGroups: ReadonlyArray<{ readonly id: string; readonly title: string; readonly questions: ReadonlyArray<keyof Answers> }> = [
  { id: 'database', title: 'Your database', questions: ['database', 'instanceClass', 'minAcu', 'maxAcu', 'existingDatabase', 'otherConnections'] },
  {
    id: 'workload',
    title: 'Your workload',
    questions: ['needsRelational', 'postgresOnlyFeatures', 'peakConcurrency', 'traffic', 'latencyBudgetMs', 'dataModelCanChange', 'asyncWritesOk', 'synchronousReads'],
  },
  { id: 'project', title: 'Your project', questions: ['monthlySpendUsd', 'runtimeLanguage', 'managedInstances', 'auth', 'iac'] },
];
