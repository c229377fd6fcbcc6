/**
 * The decision model: answers in, a recommendation out. Pure and deterministic, so the page can
 * run it on every keystroke and the tests can sweep the whole answer space.
 *
 * "What would change this answer" is not hand-written: each alternative answer is fed back through
 * the same rules, so the advice can never disagree with the rules.
 */
import { defaultInstanceClassFor, runtimeAndLanguage, type Answers } from './answers.ts';
import { engineOffer, isNodeRuntime, type Database, type GenerateOptions, type InstanceClass, type Pattern } from '../vocabulary/choices.ts';
import {
  connectionBudget,
  directConcurrencyLimit,
  iamRateLimit,
  newConnectionsPerSecond,
  proxyMinimumMonthlyUsd,
  usd,
  type ConnectionBudget,
  type ManagedInstancesSizing,
} from './budget.ts';
import { clientSettings, serverIdleSessionTimeout, sizing, sqsEventSource } from '../facts/starter-code.ts';
import { lambda } from '../facts/lambda.ts';
import { pricing } from '../facts/pricing.ts';
import { capacityRange, lowMinimumCap, serverlessV2MaxConnections } from '../facts/aurora-serverless-v2.ts';
import { dsqlConnections, dsqlErrors, dsqlUnsupported } from '../facts/aurora-dsql.ts';
import { formatNumber as count } from '../lib/format-number.ts';

export { connectionBudget, proxyMinimumMonthlyUsd, type ConnectionBudget } from './budget.ts';

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

/** When writes go to a queue and callers also read: what serves the reads, and its project. */
export interface ReadsPart {
  pattern: Pattern;
  reasons: Reason[];
  generate: GenerateOptions;
}

export interface Recommendation {
  pattern: Pattern;
  reasons: Reason[];
  /** What to watch that does not change the pattern (the IAM connection rate). */
  cautions: Reason[];
  /** Set when the writes go to a queue and the reads need their own way to the database. */
  reads?: ReadsPart;
  runnerUp: { pattern: Pattern; why: string };
  whatWouldChange: string[];
  contradictions: Contradiction[];
  budget: ConnectionBudget;
  /** The reserved concurrency that keeps a directly connecting function inside the budget. */
  reservedConcurrency?: number;
  /** RDS Proxy's least monthly charge in front of this database, and what the reader can spend. */
  proxyMinimumMonthlyUsd: number;
  /** New connections per second when a burst or a deploy starts the function's environments at once. */
  newConnectionsPerSecond: number;
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
  'aurora-dsql': 'Aurora DSQL',
};

const isAurora = (database: Database) => database !== 'rds-postgresql';
const isBurstable = (instanceClass: InstanceClass) => instanceClass.startsWith('db.t');

/** Resolves answers that cannot all be true, saying what was assumed (the schema refuses them at the edges). */
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
  } else if (!engineOffer(resolved.database).classes.includes(resolved.instanceClass)) {
    const instead = defaultInstanceClassFor(resolved.database);
    contradictions.push({
      answers: ['database', 'instanceClass'],
      message: `${engineOffer(resolved.database).whyNot}; ${resolved.instanceClass} is not one of its classes.`,
      resolution: `Assumed ${instead}.`,
    });
    resolved = { ...resolved, instanceClass: instead };
  }
  if (resolved.minAcu > resolved.maxAcu) {
    contradictions.push({
      answers: ['minAcu', 'maxAcu'],
      message: `The minimum capacity (${resolved.minAcu} ACUs) is above the maximum (${resolved.maxAcu}).`,
      resolution: `Assumed ${resolved.maxAcu}–${resolved.maxAcu} ACUs.`,
    });
    resolved = { ...resolved, minAcu: resolved.maxAcu };
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
  reservedConcurrency?: number;
  reads?: Omit<Choice, 'reads'>;
}

/** What the rules know about the database before choosing, shared by the whole path and the reads. */
interface Setting {
  proxyCost: number;
  proxyAffordable: boolean;
  dataApiFits: boolean;
  dataApiNote: string;
  dynamodbFits: boolean;
  /** A new database that needs none of what Aurora DSQL does not support. */
  dsqlFits: boolean;
}

function settingFor(answers: Answers): Setting {
  const proxyCost = proxyMinimumMonthlyUsd(answers);
  const dataApiOffered = isAurora(answers.database) && !isBurstable(answers.instanceClass);
  const dataApiLatencyOk = answers.latencyBudgetMs >= 3 * sizing.dataApiAddedLatencyMs.value;
  return {
    proxyCost,
    proxyAffordable: proxyCost <= answers.monthlySpendUsd,
    dataApiFits: dataApiOffered && dataApiLatencyOk,
    dataApiNote: !isAurora(answers.database)
      ? 'the Data API needs Aurora'
      : isBurstable(answers.instanceClass)
        ? 'the Data API is not supported on T instance classes'
        : `the Data API adds about ${sizing.dataApiAddedLatencyMs.value} ms per statement (assumed)`,
    dynamodbFits: answers.needsRelational === 'no' && answers.dataModelCanChange === 'yes',
    dsqlFits: answers.existingDatabase === 'no' && answers.postgresOnlyFeatures === 'no',
  };
}

const maxConnectionsText = (answers: Answers, budget: ConnectionBudget): string =>
  budget.maxConnectionsBasis === 'acu-range'
    ? `a ${answers.minAcu}–${answers.maxAcu} ACU range allows ${count(budget.maxConnections)} (Aurora's table)`
    : `${answers.instanceClass} allows at most ${count(budget.maxConnections)} (nominal; SHOW max_connections on yours is lower)`;

function budgetText(answers: Answers, budget: ConnectionBudget, who: string): string {
  const holders = who === 'readers' ? 'the queue consumer and other clients' : 'other clients';
  const others = budget.otherConnections > 0 ? `; ${holders} hold ${count(budget.otherConnections)} of them` : '';
  const managed = budget.managedInstances;
  const perEnvironment = managed
    ? `${count(managed.environments)} Managed Instances environments × a pool of ${count(managed.poolSize)}`
    : 'one per execution environment';
  return `${count(answers.peakConcurrency)} concurrent ${who} open ${count(budget.connectionsAtPeak)} connections (${perEnvironment}); ${maxConnectionsText(answers, budget)}, ${count(budget.reservedConnections)} of them reserved for administrators${others}, and a direct design should use at most ${count(budget.directBudget)}, half of what is left, because during a deploy old and new execution environments hold connections side by side and frozen environments keep theirs`;
}

/** Why the pool is not max: 1 on Managed Instances, and what to set DB_POOL_SHARE to. */
function managedInstancesReason(managed: ManagedInstancesSizing, budget: ConnectionBudget): Reason {
  const share = managed.poolSize < managed.invocationsPerEnvironment ? `, its share of the ${count(budget.directBudget)} connections over ${count(managed.environments)} environments` : '';
  return {
    answers: ['managedInstances', 'runtimeLanguage', 'peakConcurrency'],
    text: `On Managed Instances one environment runs up to ${count(managed.invocationsPerEnvironment)} invocations at once, all sharing its pool: the default compute's max: 1 would make them queue for one connection (the managed-instances sandbox shows the latency climb). The generated handler sizes the pool from AWS_LAMBDA_MAX_CONCURRENCY and DB_POOL_SHARE: set DB_POOL_SHARE to ${count(managed.poolSize)}${share}, and the generated infrastructure's MaxExecutionEnvironments to ${count(managed.environments)}, so the database sees at most ${count(managed.environments)} × ${count(managed.poolSize)} = ${count(budget.connectionsAtPeak)} connections.`,
  };
}

const proxyCostText = (answers: Answers, setting: Setting): string =>
  `RDS Proxy's minimum charge in front of this database is about ${usd(setting.proxyCost)} a month (${
    answers.database === 'aurora-serverless-v2'
      ? `at least ${pricing.rdsProxyMinimumAcus.value} ACUs, at an assumed per-ACU rate`
      : `at least ${pricing.rdsProxyMinimumVcpus.value} vCPUs of the instance`
  })`;

/** The way a caller that waits reaches the database: directly, through the proxy or the Data API. */
function chooseConnected(answers: Answers, budget: ConnectionBudget, setting: Setting, who: string): Choice {
  const fitsDirect = budget.connectionsAtPeak <= budget.directBudget;
  const limit = directConcurrencyLimit(budget);
  const reasons: Reason[] = [];
  const proxyRunnerUp = { pattern: 'rds-proxy' as const, why: `RDS Proxy would absorb growth beyond ${count(limit)} concurrent invocations, for about ${sizing.proxyAddedLatencyMs.value} ms (assumed) and at least ${usd(setting.proxyCost)} a month.` };
  const dynamoRunnerUp = setting.dynamodbFits
    ? { pattern: 'dynamodb' as const, why: 'The model could move to DynamoDB and avoid connections altogether, at the cost of migrating the existing database.' }
    : undefined;

  if (fitsDirect) {
    const reserved = answers.peakConcurrency;
    reasons.push({ answers: ['peakConcurrency', 'otherConnections', 'instanceClass'], text: `${budgetText(answers, budget, who)}: the direct design fits.` });
    if (budget.managedInstances) reasons.push(managedInstancesReason(budget.managedInstances, budget));
    if (answers.traffic === 'spiky') {
      reasons.push({
        answers: ['traffic'],
        text: `Traffic is spiky, but the budget above already keeps ${Math.round((1 - sizing.directConnectionsShare.value) * 100)}% of the connections free, so the spike is not counted twice. Reserved concurrency of ${count(reserved)} caps the environments, and so the connections, at the peak; server-side timeouts (idle_session_timeout of ${serverIdleSessionTimeout.value} s, RDS's TCP keepalives) close what frozen environments leave. That costs nothing, where RDS Proxy would cost at least ${usd(setting.proxyCost)} a month.`,
      });
    } else {
      reasons.push({ answers: ['traffic'], text: `Traffic is steady, so environments are reused and few connections linger after a burst; reserved concurrency of ${count(reserved)} keeps an unexpected burst inside the budget.` });
    }
    return { pattern: 'module-pool', reasons, runnerUp: dynamoRunnerUp ?? proxyRunnerUp, reservedConcurrency: reserved };
  }

  reasons.push({ answers: ['peakConcurrency', 'otherConnections', 'instanceClass'], text: `${budgetText(answers, budget, who)}: a direct design would run out of connections.` });
  if (answers.traffic === 'spiky') {
    reasons.push({ answers: ['traffic'], text: 'Traffic is spiky: after a burst, frozen environments keep their connections open until a server-side timeout closes them, and the next burst opens more.' });
  }
  const dataApiReason = { answers: ['latencyBudgetMs'] as (keyof Answers)[], text: `A budget of ${answers.latencyBudgetMs} ms leaves room for the Data API's HTTPS request per statement (about ${sizing.dataApiAddedLatencyMs.value} ms, assumed).` };

  if (setting.dataApiFits && answers.database === 'aurora-serverless-v2') {
    reasons.push({ answers: ['database'], text: `On Aurora Serverless v2 the Data API needs no VPC networking or connection management, and bills per request; ${proxyCostText(answers, setting)}.` });
    reasons.push(dataApiReason);
    return { pattern: 'data-api', reasons, runnerUp: { pattern: 'rds-proxy', why: `RDS Proxy keeps the pg/psycopg driver and a lower latency (about ${sizing.proxyAddedLatencyMs.value} ms per hop, assumed), for at least ${usd(setting.proxyCost)} a month.` } };
  }

  if (setting.proxyAffordable || limit < 1) {
    reasons.push({ answers: ['needsRelational'], text: 'RDS Proxy borrows a database connection per transaction, so many functions share a few connections while keeping SQL transactions.' });
    reasons.push({
      answers: ['monthlySpendUsd', 'instanceClass'],
      text: setting.proxyAffordable
        ? `${proxyCostText(answers, setting)}, within the ${usd(answers.monthlySpendUsd)} you can spend.`
        : `${proxyCostText(answers, setting)}, above the ${usd(answers.monthlySpendUsd)} you can spend, but other clients leave no connections for a direct design: without a proxy, only a larger instance or fewer other connections would do.`,
    });
    const runnerUp = setting.dataApiFits
      ? { pattern: 'data-api' as const, why: `The Data API avoids connections entirely and has no minimum charge; ${setting.dataApiNote}.` }
      : dynamoRunnerUp ?? (answers.asyncWritesOk === 'no'
        ? { pattern: 'sqs-batching' as const, why: 'If writes could be asynchronous, a queue with a capped consumer would need no proxy for them.' }
        : { pattern: 'module-pool' as const, why: `Without a proxy, cap the function's reserved concurrency at ${count(Math.max(limit, 0))}: invocations beyond it are throttled instead of failing at the database.` });
    return { pattern: 'rds-proxy', reasons, runnerUp };
  }

  const overSpend = { answers: ['monthlySpendUsd', 'instanceClass'] as (keyof Answers)[], text: `${proxyCostText(answers, setting)}, above the ${usd(answers.monthlySpendUsd)} you can spend.` };
  const proxyIfAffordable = { pattern: 'rds-proxy' as const, why: `If you can spend ${usd(setting.proxyCost)} a month, RDS Proxy keeps the driver and serves the whole peak.` };
  if (setting.dataApiFits) {
    reasons.push(overSpend, { answers: ['database'], text: 'The Data API serves Aurora PostgreSQL, provisioned as well as Serverless v2, and bills per request, with no minimum charge.' }, dataApiReason);
    return { pattern: 'data-api', reasons, runnerUp: proxyIfAffordable };
  }
  reasons.push(overSpend, {
    answers: ['peakConcurrency'],
    text: `Cap the function's reserved concurrency at ${count(limit)}: invocations beyond it are throttled (429, TooManyRequestsException) and can be retried, instead of failing at the database with "too many clients".`,
  });
  return { pattern: 'module-pool', reasons, runnerUp: proxyIfAffordable, reservedConcurrency: limit };
}

function choose(answers: Answers, budget: ConnectionBudget): Choice {
  const setting = settingFor(answers);
  if (setting.dynamodbFits && answers.existingDatabase === 'no') {
    return {
      pattern: 'dynamodb',
      reasons: [
        { answers: ['needsRelational', 'dataModelCanChange'], text: 'The work needs no joins or multi-statement transactions and the model can be key-value, so DynamoDB fits.' },
        { answers: ['existingDatabase'], text: 'No relational database exists yet, so nothing has to be migrated.' },
        { answers: ['peakConcurrency'], text: 'DynamoDB is called over HTTPS: there is no max_connections to exhaust, only throughput limits per partition and per table.' },
      ],
      runnerUp: setting.dsqlFits
        ? { pattern: 'aurora-dsql', why: `If you prefer SQL: ${dsqlWhy}` }
        : connectedRunnerUp('If you prefer PostgreSQL', answers, budget, setting),
    };
  }
  if (setting.dsqlFits) return chooseDsql(answers, budget, setting);

  const fitsDirect = budget.connectionsAtPeak <= budget.directBudget;
  if (fitsDirect || answers.asyncWritesOk === 'no') return withDsqlRefused(answers, chooseConnected(answers, budget, setting, 'invocations'));

  const reasons: Reason[] = [
    { answers: ['peakConcurrency', 'otherConnections', 'instanceClass'], text: `${budgetText(answers, budget, 'invocations')}: a direct design would run out of connections.` },
    { answers: ['asyncWritesOk'], text: `Writes may be asynchronous: a queue absorbs the spike and MaximumConcurrency caps the consumer at ${sqsEventSource.maximumConcurrency.value} batches, so the writes hold a fixed ${sqsEventSource.maximumConcurrency.value * clientSettings.poolMaxPerEnvironment.value} connections.` },
  ];
  const runnerUp = { pattern: 'rds-proxy' as const, why: `If callers must see the write committed, RDS Proxy multiplexes many client connections onto a few database connections, for at least ${usd(setting.proxyCost)} a month.` };
  if (answers.synchronousReads === 'no') return withDsqlRefused(answers, { pattern: 'sqs-batching', reasons, runnerUp });

  // The consumer's connections come out of the same database budget the reads draw on.
  const consumer = sqsEventSource.maximumConcurrency.value * clientSettings.poolMaxPerEnvironment.value;
  const readsBudget = { ...budget, otherConnections: budget.otherConnections + consumer, directBudget: Math.max(0, budget.directBudget - consumer) };
  const reads = chooseConnected(answers, readsBudget, setting, 'readers');
  reasons.push({
    answers: ['asyncWritesOk', 'synchronousReads'],
    text: `Callers also read and wait for the answer, and a queue cannot serve a read: use the queue for the writes and ${patternNames[reads.pattern]} for the reads.`,
  });
  return withDsqlRefused(answers, { pattern: 'sqs-batching', reasons, runnerUp, reads });
}

const dsqlWhy = `Aurora DSQL speaks PostgreSQL over a connection with no max_connections to size for: ${count(dsqlConnections.maxPerCluster.value)} connections per cluster (a quota you can raise), IAM tokens only, and no VPC.`;

/**
 * A new database whose work needs nothing Aurora DSQL lacks: its limits are a rate of new connections,
 * not a number of open ones, so the functions keep a pool of one each and no proxy or queue is needed.
 */
function chooseDsql(answers: Answers, budget: ConnectionBudget, setting: Setting): Choice {
  const reasons: Reason[] = [
    { answers: ['existingDatabase'], text: 'No database exists yet, so nothing has to be migrated to Aurora DSQL.' },
    { answers: ['postgresOnlyFeatures'], text: `The work needs none of what Aurora DSQL does not support (${dsqlUnsupported.value.join(', ')}); it runs joins and multi-statement transactions.` },
    {
      answers: ['peakConcurrency'],
      text: `${count(answers.peakConcurrency)} concurrent invocations keep one connection each, against a quota of ${count(dsqlConnections.maxPerCluster.value)} connections per cluster: no instance class, proxy or queue to size, and the function needs no VPC.`,
    },
  ];
  if (answers.auth === 'iam') reasons.push({ answers: ['auth'], text: 'Every connection logs in with an IAM token, which is what you chose: no password to store or rotate.' });
  return {
    pattern: 'aurora-dsql',
    reasons,
    runnerUp: connectedRunnerUp('If you need a PostgreSQL feature DSQL lacks later', answers, budget, setting),
  };
}

/**
 * What the wizard would pick for a connected PostgreSQL database, as the runner-up to a pattern that has
 * none. A module-level pool only "fits" when it serves the whole peak; capped, the reader must know the cap.
 */
function connectedRunnerUp(lead: string, answers: Answers, budget: ConnectionBudget, setting: Setting): Choice['runnerUp'] {
  const connected = chooseConnected(answers, budget, setting, 'invocations');
  const how =
    connected.pattern !== 'module-pool'
      ? `functions need ${patternNames[connected.pattern]}`
      : connected.reservedConcurrency === answers.peakConcurrency
        ? 'a module-level pool fits'
        : `a module-level pool fits only with the function's reserved concurrency capped at ${count(connected.reservedConcurrency ?? 0)}`;
  return { pattern: connected.pattern, why: `${lead}: ${budgetText(answers, budget, 'invocations')}, so ${how}.` };
}

/** A new database that relies on what Aurora DSQL does not support says so, so the reader sees why DSQL was not chosen. */
function withDsqlRefused(answers: Answers, choice: Choice): Choice {
  if (answers.existingDatabase !== 'no' || answers.postgresOnlyFeatures !== 'yes') return choice;
  return {
    ...choice,
    reasons: [
      ...choice.reasons,
      { answers: ['existingDatabase', 'postgresOnlyFeatures'], text: `Not Aurora DSQL, though the database is new: it does not support ${dsqlUnsupported.value.join(', ')}, and the work relies on some of them.` },
    ],
  };
}

/**
 * What to watch on Aurora DSQL: its connection rate when a burst or a deploy starts many environments at
 * once, the connection quota, and the authentication it allows.
 */
function dsqlCautions(answers: Answers): Reason[] {
  const cautions: Reason[] = [];
  const { burstCapacity, ratePerCluster, maxPerCluster } = dsqlConnections;
  const rate = dsqlErrors.rateExceeded.value;
  if (answers.peakConcurrency > burstCapacity.value) {
    cautions.push({
      answers: ['peakConcurrency'],
      text: `A burst that starts ${count(answers.peakConcurrency)} environments at once opens more connections than the cluster's burst capacity of ${count(burstCapacity.value)} above its ${ratePerCluster.value} per second: the rest are refused with ${rate.code} ("${rate.message}"). The generated handler retries those with jittered backoff; a steadier start (provisioned concurrency) avoids them.`,
    });
  }
  if (answers.peakConcurrency > maxPerCluster.value) {
    cautions.push({ answers: ['peakConcurrency'], text: `${count(answers.peakConcurrency)} connections at the peak are above the default quota of ${count(maxPerCluster.value)} per cluster: ask for a higher quota first.` });
  }
  return cautions;
}

/** The generator's options for a pattern, and the contradiction when the chosen auth cannot apply. */
function generateFor(pattern: Pattern, answers: Answers): { options: GenerateOptions; contradiction?: Contradiction } {
  const options: GenerateOptions = {
    pattern,
    ...runtimeAndLanguage(answers),
    auth: answers.auth,
    iac: answers.iac,
    database: pattern === 'dynamodb' || pattern === 'aurora-dsql' ? 'rds-postgresql' : answers.database,
    // Only the Node.js pools change on Managed Instances (options.ts says why the others do not).
    ...(answers.managedInstances === 'yes' && isNodeRuntime(runtimeAndLanguage(answers).runtime) && (pattern === 'module-pool' || pattern === 'rds-proxy') ? { compute: 'managed-instances' as const } : {}),
  };
  if (pattern === 'data-api' && answers.auth === 'iam') {
    return {
      options: { ...options, auth: 'secrets-manager' },
      contradiction: { answers: ['auth'], message: 'IAM database authentication does not apply to the Data API: it logs in with a Secrets Manager secret, and IAM authorises each API call.', resolution: 'The generated project uses a Secrets Manager secret.' },
    };
  }
  if (pattern === 'dynamodb' && answers.auth === 'secrets-manager') {
    return {
      options: { ...options, auth: 'iam' },
      contradiction: { answers: ['auth'], message: 'DynamoDB has no database password to keep in Secrets Manager.', resolution: 'The generated project authorises with the function role only.' },
    };
  }
  if (pattern === 'aurora-dsql' && answers.auth === 'secrets-manager') {
    return {
      options: { ...options, auth: 'iam' },
      contradiction: { answers: ['auth'], message: 'Aurora DSQL has no database passwords: every connection logs in with an IAM token.', resolution: 'The generated project signs an IAM token for each new connection.' },
    };
  }
  return { options };
}

/** Environments that open IAM-authenticated connections at once under this choice. */
function environmentsConnecting(choice: Omit<Choice, 'reads'>, answers: Answers): number {
  if (choice.pattern === 'module-pool') return Math.min(answers.peakConcurrency, choice.reservedConcurrency ?? answers.peakConcurrency);
  if (choice.pattern === 'rds-proxy') return answers.peakConcurrency;
  if (choice.pattern === 'sqs-batching') return sqsEventSource.maximumConcurrency.value;
  return 0;
}

/** Compares new connections per second, not concurrency, with the IAM guidance per second. */
function iamCautions(choice: Choice, answers: Answers): { reasons: Reason[]; cautions: Reason[]; rate: number } {
  const environments = Math.max(environmentsConnecting(choice, answers), choice.reads ? environmentsConnecting(choice.reads, answers) : 0);
  const rate = newConnectionsPerSecond(environments);
  if (answers.auth !== 'iam' || environments === 0) return { reasons: [], cautions: [], rate };
  const viaProxy = choice.pattern === 'rds-proxy' || choice.reads?.pattern === 'rds-proxy';
  const what = `When a burst or a deploy starts ${count(environments)} environments at once, they open about ${count(rate)} new connections per second`;
  if (rate < iamRateLimit) {
    return { reasons: [{ answers: ['auth', 'peakConcurrency'], text: `${what}, under AWS's guidance of fewer than ${iamRateLimit} new IAM-authenticated connections per second.` }], cautions: [], rate };
  }
  const text = viaProxy
    ? `${what}, above AWS's guidance of fewer than ${iamRateLimit} new IAM-authenticated connections per second. The proxy keeps its own database connections, but it checks every client's token too and has its own error for too many competing IAM requests: spread the start (provisioned concurrency) or let functions authenticate to the proxy with the secret.`
    : `${what}, above AWS's guidance of fewer than ${iamRateLimit} new IAM-authenticated connections per second, past which IAM authentication can throttle connections: use Secrets Manager, or spread the start (provisioned concurrency).`;
  return { reasons: [], cautions: [{ answers: ['auth', 'peakConcurrency'], text }], rate };
}

function counterfactuals(answers: Answers, chosen: Pattern): string[] {
  const changes: string[] = [];
  const tryChange = (patch: Partial<Answers>, description: string) => {
    const next = reconcile({ ...answers, ...patch }).answers;
    const pattern = choose(next, connectionBudget(next)).pattern;
    if (pattern !== chosen) changes.push(`${description}: ${patternNames[pattern]}.`);
  };
  const flip = (value: 'yes' | 'no') => (value === 'yes' ? 'no' : 'yes');
  tryChange({ traffic: answers.traffic === 'steady' ? 'spiky' : 'steady' }, `If traffic were ${answers.traffic === 'steady' ? 'spiky' : 'steady'}`);
  tryChange({ asyncWritesOk: flip(answers.asyncWritesOk) }, answers.asyncWritesOk === 'yes' ? 'If writes had to be synchronous' : 'If writes could go through a queue');
  tryChange({ existingDatabase: flip(answers.existingDatabase) }, answers.existingDatabase === 'yes' ? 'If there were no database yet' : 'If a relational database already existed');
  tryChange({ needsRelational: flip(answers.needsRelational) }, answers.needsRelational === 'yes' ? 'If the work needed no joins or multi-statement transactions' : 'If the work needed joins or multi-statement transactions');
  tryChange({ postgresOnlyFeatures: flip(answers.postgresOnlyFeatures) }, answers.postgresOnlyFeatures === 'yes' ? 'If the new database needed no foreign keys, sequences, triggers, extensions or temporary tables' : 'If the new database relied on foreign keys, sequences, triggers, extensions or temporary tables');
  tryChange({ dataModelCanChange: flip(answers.dataModelCanChange) }, answers.dataModelCanChange === 'yes' ? 'If the data model had to stay relational' : 'If the data model could move to key-value access');
  if (answers.database !== 'aurora-serverless-v2') tryChange({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless' }, 'On Aurora Serverless v2');
  else {
    // The lowest minimum that escapes the cap a minimum of 0 or 0.5 ACU puts on max_connections.
    const uncapped = lowMinimumCap.minimumAtOrBelow.value + capacityRange.step.value;
    const now = serverlessV2MaxConnections(answers.minAcu, answers.maxAcu);
    const then = serverlessV2MaxConnections(Math.max(answers.minAcu, uncapped), answers.maxAcu);
    if (then > now) tryChange({ minAcu: uncapped }, `With a minimum of ${uncapped} ACU (max_connections ${count(then)} instead of ${count(now)})`);
  }
  if (answers.latencyBudgetMs < 3 * sizing.dataApiAddedLatencyMs.value) tryChange({ latencyBudgetMs: 3 * sizing.dataApiAddedLatencyMs.value }, `With a latency budget of ${3 * sizing.dataApiAddedLatencyMs.value} ms or more`);
  else tryChange({ latencyBudgetMs: 3 * sizing.dataApiAddedLatencyMs.value - 1 }, `With a latency budget under ${3 * sizing.dataApiAddedLatencyMs.value} ms`);
  const proxyCost = proxyMinimumMonthlyUsd(answers);
  if (answers.monthlySpendUsd < proxyCost) tryChange({ monthlySpendUsd: Math.ceil(proxyCost) }, `If you could spend ${usd(Math.ceil(proxyCost))} a month`);
  else if (proxyCost >= 1) tryChange({ monthlySpendUsd: Math.floor(proxyCost) - 1 }, `If you could spend less than ${usd(proxyCost)} a month`);
  if (answers.otherConnections > 0) tryChange({ otherConnections: 0 }, 'If no other client used the database');
  const directPeak = directConcurrencyLimit(connectionBudget(answers));
  if (answers.peakConcurrency > directPeak && directPeak >= 1) tryChange({ peakConcurrency: directPeak }, `At ${directPeak} concurrent invocations or fewer`);
  else if (answers.peakConcurrency <= directPeak) tryChange({ peakConcurrency: directPeak + 1 }, `Above ${directPeak} concurrent invocations`);
  if (answers.peakConcurrency > lambda.accountConcurrency.value) {
    changes.push(`A peak of ${answers.peakConcurrency} needs a raised account concurrency quota: the default is ${lambda.accountConcurrency.value} per Region.`);
  }
  return changes;
}

export function decide(input: Answers): Recommendation {
  const { answers, contradictions } = reconcile(input);
  const budget = connectionBudget(answers);
  const choice = choose(answers, budget);
  const main = generateFor(choice.pattern, answers);
  if (main.contradiction) contradictions.push(main.contradiction);
  const iam = iamCautions(choice, answers);
  if (choice.pattern === 'aurora-dsql') iam.cautions.push(...dsqlCautions(answers));
  const reservedConcurrency = choice.reservedConcurrency ?? choice.reads?.reservedConcurrency;
  const reservable = lambda.accountConcurrency.value - lambda.unreservedMinimum.value;
  if (reservedConcurrency !== undefined && reservedConcurrency > reservable) {
    iam.cautions.push({
      answers: ['peakConcurrency'],
      text: `Reserving ${count(reservedConcurrency)} would leave fewer than the ${lambda.unreservedMinimum.value} unreserved executions Lambda keeps for other functions under the default quota of ${count(lambda.accountConcurrency.value)}: raise the account's concurrency quota first.`,
    });
  }
  let reads: ReadsPart | undefined;
  if (choice.reads) {
    const generated = generateFor(choice.reads.pattern, answers);
    if (generated.contradiction) contradictions.push({ ...generated.contradiction, message: `Reads: ${generated.contradiction.message}` });
    reads = { pattern: choice.reads.pattern, reasons: choice.reads.reasons, generate: generated.options };
  }
  return {
    pattern: choice.pattern,
    reasons: [...choice.reasons, ...iam.reasons],
    cautions: iam.cautions,
    ...(reads ? { reads } : {}),
    runnerUp: choice.runnerUp,
    whatWouldChange: counterfactuals(answers, choice.pattern),
    contradictions,
    budget,
    ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
    proxyMinimumMonthlyUsd: proxyMinimumMonthlyUsd(answers),
    newConnectionsPerSecond: iam.rate,
    generate: main.options,
    sandbox: { concurrency: answers.peakConcurrency, instanceClass: answers.instanceClass },
  };
}
