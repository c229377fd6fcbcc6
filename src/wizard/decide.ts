/**
 * The decision model: answers in, a recommendation out. Pure and deterministic, so the page can
 * run it on every keystroke and the tests can sweep the whole answer space.
 *
 * "What would change this answer" is not hand-written: each alternative answer is fed back through
 * the same rules, so the advice can never disagree with the rules.
 */
import type { Answers, Database, InstanceClass } from './answers.ts';
import type { GenerateOptions, Pattern } from '../templates/options.ts';
import {
  dataApiAddedLatencyMs,
  directConnectionsShare,
  iamNewConnectionsPerSecond,
  instanceClassMemoryGiB,
  lambdaAccountConcurrency,
  maxConnectionsCap,
  maxConnectionsDivisor,
  poolMaxPerEnvironment,
  proxyAddedLatencyMs,
  serverlessV2MaxConnections,
} from '../facts/starter-code.ts';

export interface Reason {
  /** The answers this reason rests on, so the page can highlight them. */
  answers: (keyof Answers)[];
  text: string;
}

export interface Contradiction {
  answers: (keyof Answers)[];
  message: string;
  /** What the decision assumed instead. */
  resolution: string;
}

export interface ConnectionBudget {
  maxConnections: number;
  /** True when max_connections is an assumption (Serverless v2), not the instance-class formula. */
  maxConnectionsAssumed: boolean;
  directBudget: number;
  connectionsAtPeak: number;
}

export interface Recommendation {
  pattern: Pattern;
  reasons: Reason[];
  runnerUp: { pattern: Pattern; why: string };
  whatWouldChange: string[];
  contradictions: Contradiction[];
  budget: ConnectionBudget;
  /** The generator's options for the recommended pattern. */
  generate: GenerateOptions;
  /** Preset for the sandbox link. */
  sandbox: { concurrency: number; instanceClass: InstanceClass };
}

export const patternNames: Record<Pattern, string> = {
  'module-pool': 'a module-level pool connecting directly',
  'rds-proxy': 'RDS Proxy',
  'data-api': 'the RDS Data API',
  dynamodb: 'DynamoDB',
  'sqs-batching': 'an SQS queue with a capped batch consumer',
};

const isAurora = (database: Database) => database !== 'rds-postgresql';
const isBurstable = (instanceClass: InstanceClass) => instanceClass.startsWith('db.t');

export function connectionBudget(instanceClass: InstanceClass, peakConcurrency: number): ConnectionBudget {
  const gib = instanceClassMemoryGiB.value[instanceClass];
  const maxConnections =
    gib === undefined
      ? serverlessV2MaxConnections.value
      : Math.min(Math.floor((gib * 1024 ** 3) / maxConnectionsDivisor.value), maxConnectionsCap.value);
  return {
    maxConnections,
    maxConnectionsAssumed: gib === undefined,
    directBudget: Math.floor(maxConnections * directConnectionsShare.value),
    connectionsAtPeak: peakConcurrency * poolMaxPerEnvironment.value,
  };
}

/** Resolves answers that cannot all be true, saying what was assumed. */
function reconcile(answers: Answers): { answers: Answers; contradictions: Contradiction[] } {
  const contradictions: Contradiction[] = [];
  let resolved = { ...answers };
  if (resolved.instanceClass === 'db.serverless' && resolved.database !== 'aurora-serverless-v2') {
    contradictions.push({
      answers: ['database', 'instanceClass'],
      message: `db.serverless is the instance class of Aurora Serverless v2, but the database is ${resolved.database}.`,
      resolution: 'Assumed Aurora PostgreSQL Serverless v2.',
    });
    resolved = { ...resolved, database: 'aurora-serverless-v2' };
  } else if (resolved.database === 'aurora-serverless-v2' && resolved.instanceClass !== 'db.serverless') {
    contradictions.push({
      answers: ['database', 'instanceClass'],
      message: `Aurora Serverless v2 writers use the db.serverless class, not ${resolved.instanceClass}.`,
      resolution: 'Assumed db.serverless.',
    });
    resolved = { ...resolved, instanceClass: 'db.serverless' };
  }
  if (resolved.needsRelational === 'yes' && resolved.dataModelCanChange === 'yes') {
    contradictions.push({
      answers: ['needsRelational', 'dataModelCanChange'],
      message: 'The work needs joins or multi-statement transactions, yet the model could move to key-value access; DynamoDB offers neither joins nor SQL transactions across arbitrary rows.',
      resolution: 'Kept the relational requirement; DynamoDB is not recommended.',
    });
  }
  return { answers: resolved, contradictions };
}

interface Choice {
  pattern: Pattern;
  reasons: Reason[];
  runnerUp: { pattern: Pattern; why: string };
}

function choose(answers: Answers, budget: ConnectionBudget): Choice {
  const fitsDirect = budget.connectionsAtPeak <= budget.directBudget;
  const budgetText = `${answers.peakConcurrency} concurrent invocations open ${budget.connectionsAtPeak} connections (one per execution environment); ${answers.instanceClass} allows about ${budget.maxConnections}${budget.maxConnectionsAssumed ? ' (assumed)' : ''}, and a direct design should use at most ${budget.directBudget}`;
  const dynamodbFits = answers.needsRelational === 'no' && answers.dataModelCanChange === 'yes';
  const dataApiFits = isAurora(answers.database) && !isBurstable(answers.instanceClass);
  const dataApiLatencyOk = answers.latencyBudgetMs >= 3 * dataApiAddedLatencyMs.value;
  const dataApiNote = !isAurora(answers.database)
    ? 'the Data API needs Aurora'
    : isBurstable(answers.instanceClass)
      ? 'the Data API is not supported on T instance classes'
      : `the Data API adds about ${dataApiAddedLatencyMs.value} ms per statement (assumed)`;

  if (dynamodbFits && answers.existingDatabase === 'no') {
    return {
      pattern: 'dynamodb',
      reasons: [
        { answers: ['needsRelational', 'dataModelCanChange'], text: 'The work needs no joins or multi-statement transactions and the model can be key-value, so DynamoDB fits.' },
        { answers: ['existingDatabase'], text: 'No relational database exists yet, so nothing has to be migrated.' },
        { answers: ['peakConcurrency'], text: 'DynamoDB is called over HTTPS: there is no max_connections to exhaust, only throughput limits per partition and per table.' },
      ],
      runnerUp: fitsDirect
        ? { pattern: 'module-pool', why: `If you prefer PostgreSQL: ${budgetText}, so a module-level pool fits.` }
        : { pattern: 'rds-proxy', why: `If you prefer PostgreSQL: ${budgetText}, so functions need RDS Proxy in front of it.` },
    };
  }

  const reasons: Reason[] = [];
  const runnerUpDynamo = dynamodbFits
    ? { pattern: 'dynamodb' as const, why: 'The model could move to DynamoDB and avoid connections altogether, at the cost of migrating the existing database.' }
    : undefined;

  if (fitsDirect && answers.traffic === 'steady') {
    reasons.push({ answers: ['peakConcurrency', 'instanceClass'], text: `${budgetText}: the direct design fits.` });
    reasons.push({ answers: ['traffic'], text: 'Traffic is steady, so environments are reused and few connections linger after a burst.' });
    return {
      pattern: 'module-pool',
      reasons,
      runnerUp: runnerUpDynamo ?? { pattern: 'rds-proxy', why: `RDS Proxy would absorb growth beyond ${budget.directBudget} concurrent invocations, for about ${proxyAddedLatencyMs.value} ms (assumed) and a charge on the database's vCPUs.` },
    };
  }

  if (fitsDirect) reasons.push({ answers: ['peakConcurrency', 'instanceClass'], text: `${budgetText}: it fits at the peak.` });
  else reasons.push({ answers: ['peakConcurrency', 'instanceClass'], text: `${budgetText}: a direct design would run out of connections.` });
  if (answers.traffic === 'spiky') {
    reasons.push({ answers: ['traffic'], text: 'Traffic is spiky: after a burst, frozen environments keep their connections open until a server-side timeout closes them, and the next burst opens more.' });
  }

  if (answers.asyncWritesOk === 'yes') {
    reasons.push({ answers: ['asyncWritesOk'], text: 'Writes may be asynchronous: a queue absorbs the spike and MaximumConcurrency caps the consumer, so the database sees a fixed number of connections.' });
    return {
      pattern: 'sqs-batching',
      reasons,
      runnerUp: { pattern: 'rds-proxy', why: 'If callers must see the write committed, RDS Proxy multiplexes many client connections onto a few database connections.' },
    };
  }

  if (dataApiFits && answers.database === 'aurora-serverless-v2' && dataApiLatencyOk) {
    reasons.push({ answers: ['database'], text: 'On Aurora Serverless v2 the Data API needs no VPC networking or connection management, and RDS Proxy bills a minimum of 8 ACUs.' });
    reasons.push({ answers: ['latencyBudgetMs'], text: `A budget of ${answers.latencyBudgetMs} ms leaves room for ${dataApiNote}.` });
    return {
      pattern: 'data-api',
      reasons,
      runnerUp: { pattern: 'rds-proxy', why: `RDS Proxy keeps the pg/psycopg driver and a lower latency (about ${proxyAddedLatencyMs.value} ms per hop, assumed).` },
    };
  }

  reasons.push({ answers: ['needsRelational'], text: 'RDS Proxy borrows a database connection per transaction, so many functions share a few connections while keeping SQL transactions.' });
  if (answers.auth === 'iam' && answers.peakConcurrency > iamNewConnectionsPerSecond.value) {
    reasons.push({ answers: ['auth', 'peakConcurrency'], text: `AWS advises fewer than ${iamNewConnectionsPerSecond.value} new IAM-authenticated connections per second; the proxy checks the tokens and keeps its own database connections open.` });
  }
  const runnerUp = dataApiFits && dataApiLatencyOk
    ? { pattern: 'data-api' as const, why: `The Data API avoids connections entirely; ${dataApiNote}.` }
    : runnerUpDynamo ?? (fitsDirect
      ? { pattern: 'module-pool' as const, why: 'Concurrency fits a direct design; with steady traffic a module-level pool would do without a proxy.' }
      : { pattern: 'sqs-batching' as const, why: 'If writes could be asynchronous, a queue with a capped consumer would need no proxy.' });
  return { pattern: 'rds-proxy', reasons, runnerUp };
}

function counterfactuals(answers: Answers, chosen: Pattern): string[] {
  const changes: string[] = [];
  const tryChange = (patch: Partial<Answers>, description: string) => {
    const next = reconcile({ ...answers, ...patch }).answers;
    const pattern = choose(next, connectionBudget(next.instanceClass, next.peakConcurrency)).pattern;
    if (pattern !== chosen) changes.push(`${description}: ${patternNames[pattern]}.`);
  };
  const flip = (value: 'yes' | 'no') => (value === 'yes' ? 'no' : 'yes');
  tryChange({ traffic: answers.traffic === 'steady' ? 'spiky' : 'steady' }, `If traffic were ${answers.traffic === 'steady' ? 'spiky' : 'steady'}`);
  tryChange({ asyncWritesOk: flip(answers.asyncWritesOk) }, answers.asyncWritesOk === 'yes' ? 'If writes had to be synchronous' : 'If writes could go through a queue');
  tryChange({ existingDatabase: flip(answers.existingDatabase) }, answers.existingDatabase === 'yes' ? 'If there were no database yet' : 'If a relational database already existed');
  tryChange({ needsRelational: flip(answers.needsRelational) }, answers.needsRelational === 'yes' ? 'If the work needed no joins or multi-statement transactions' : 'If the work needed joins or multi-statement transactions');
  tryChange({ dataModelCanChange: flip(answers.dataModelCanChange) }, answers.dataModelCanChange === 'yes' ? 'If the data model had to stay relational' : 'If the data model could move to key-value access');
  if (answers.database !== 'aurora-serverless-v2') tryChange({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless' }, 'On Aurora Serverless v2');
  if (answers.latencyBudgetMs < 3 * dataApiAddedLatencyMs.value) tryChange({ latencyBudgetMs: 3 * dataApiAddedLatencyMs.value }, `With a latency budget of ${3 * dataApiAddedLatencyMs.value} ms or more`);
  else tryChange({ latencyBudgetMs: 3 * dataApiAddedLatencyMs.value - 1 }, `With a latency budget under ${3 * dataApiAddedLatencyMs.value} ms`);
  const budget = connectionBudget(answers.instanceClass, answers.peakConcurrency);
  const directPeak = Math.floor(budget.directBudget / poolMaxPerEnvironment.value);
  if (answers.peakConcurrency > directPeak && directPeak >= 1) tryChange({ peakConcurrency: directPeak }, `At ${directPeak} concurrent invocations or fewer`);
  else if (answers.peakConcurrency <= directPeak) tryChange({ peakConcurrency: directPeak + 1 }, `Above ${directPeak} concurrent invocations`);
  if (answers.peakConcurrency > lambdaAccountConcurrency.value) {
    changes.push(`A peak of ${answers.peakConcurrency} needs a raised account concurrency quota: the default is ${lambdaAccountConcurrency.value} per Region.`);
  }
  return changes;
}

export function decide(input: Answers): Recommendation {
  const { answers, contradictions } = reconcile(input);
  const budget = connectionBudget(answers.instanceClass, answers.peakConcurrency);
  const choice = choose(answers, budget);
  let auth = answers.auth;
  if (choice.pattern === 'data-api' && auth === 'iam') {
    contradictions.push({ answers: ['auth'], message: 'IAM database authentication does not apply to the Data API: it logs in with a Secrets Manager secret, and IAM authorises each API call.', resolution: 'The generated project uses a Secrets Manager secret.' });
    auth = 'secrets-manager';
  }
  if (choice.pattern === 'dynamodb' && auth === 'secrets-manager') {
    contradictions.push({ answers: ['auth'], message: 'DynamoDB has no database password to keep in Secrets Manager.', resolution: 'The generated project authorises with the function role only.' });
    auth = 'iam';
  }
  return {
    pattern: choice.pattern,
    reasons: choice.reasons,
    runnerUp: choice.runnerUp,
    whatWouldChange: counterfactuals(answers, choice.pattern),
    contradictions,
    budget,
    generate: {
      pattern: choice.pattern,
      runtime: answers.runtime,
      language: answers.language,
      auth,
      iac: answers.iac,
      database: choice.pattern === 'dynamodb' ? 'rds-postgresql' : answers.database,
    },
    sandbox: { concurrency: answers.peakConcurrency, instanceClass: answers.instanceClass },
  };
}
