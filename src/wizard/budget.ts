/**
 * The numbers the rules compare, each against its own kind: connections at the peak against what the
 * database allows after other clients, new connections per second against the IAM guidance per
 * second, and the proxy's minimum monthly charge against what the reader can spend.
 */
import { runtimeAndLanguage, type Answers } from './answers.ts';
import { connectionLimits, findInstanceClass, nominalMaxConnections, reservedForOrdinaryRoles } from '../facts/postgres.ts';
import { serverlessV2MaxConnections } from '../facts/aurora-serverless-v2.ts';
import { lambda, managedInstances } from '../facts/lambda.ts';
import { isNodeRuntime } from '../vocabulary/choices.ts';
import { pricing } from '../facts/pricing.ts';
import { clientSettings, sizing } from '../facts/starter-code.ts';

export interface ConnectionBudget {
  maxConnections: number;
  /**
   * Where max_connections comes from: the RDS formula on the class's nominal memory (an upper bound:
   * DBInstanceClassMemory leaves out what the OS and RDS keep), or Aurora's table for the ACU range.
   */
  maxConnectionsBasis: 'nominal-memory' | 'acu-range';
  /** Slots an ordinary role can never use: the superuser reserve, and on RDS for PostgreSQL rds_superuser's too. */
  reservedConnections: number;
  /** What other clients hold at their peak. */
  otherConnections: number;
  /** What they leave, and the share of it a direct design may plan for. */
  directBudget: number;
  /** Connections a direct design opens at the peak: one pool per execution environment, environments × pool size. */
  connectionsAtPeak: number;
  /** On Lambda Managed Instances (Node.js), where one environment runs many invocations at once and they share its pool. */
  managedInstances?: ManagedInstancesSizing;
}

export interface ManagedInstancesSizing {
  /** PerExecutionEnvironmentMaxConcurrency: Node.js's default for an environment of one vCPU. */
  invocationsPerEnvironment: number;
  /** Environments the peak needs: peak concurrency over the invocations each runs. */
  environments: number;
  /** Each environment's pool: a connection per invocation it runs at once, within its share of the budget. */
  poolSize: number;
}

/**
 * On Managed Instances a Node.js environment runs up to 64 invocations per vCPU at once in one module
 * scope; the model sizes for one vCPU (one worker thread, one pool). Python runs each concurrent
 * invocation in its own process with its own pool of one, so its arithmetic is the default compute's.
 */
export function managedInstancesSizing(answers: Answers, directBudget: number): ManagedInstancesSizing | undefined {
  if (answers.managedInstances !== 'yes' || !isNodeRuntime(runtimeAndLanguage(answers).runtime)) return undefined;
  const invocationsPerEnvironment = managedInstances.nodejsDefaultConcurrencyPerVcpu.value * managedInstances.minimumVcpus.value;
  const environments = Math.ceil(answers.peakConcurrency / invocationsPerEnvironment);
  return { invocationsPerEnvironment, environments, poolSize: Math.max(1, Math.min(invocationsPerEnvironment, Math.floor(directBudget / environments))) };
}

export function connectionBudget(answers: Answers): ConnectionBudget {
  const instance = findInstanceClass(answers.instanceClass);
  const maxConnections = instance ? nominalMaxConnections(instance) : serverlessV2MaxConnections(answers.minAcu, answers.maxAcu);
  // RDS documents rds.rds_superuser_reserved_connections for RDS for PostgreSQL; for Aurora only the
  // community superuser reserve is counted.
  const reservedConnections = answers.database === 'rds-postgresql' ? reservedForOrdinaryRoles() : connectionLimits.superuserReservedConnections.value;
  const left = Math.max(0, maxConnections - reservedConnections - answers.otherConnections);
  const directBudget = Math.floor(left * sizing.directConnectionsShare.value);
  const managed = managedInstancesSizing(answers, directBudget);
  return {
    maxConnections,
    maxConnectionsBasis: instance ? 'nominal-memory' : 'acu-range',
    reservedConnections,
    otherConnections: answers.otherConnections,
    directBudget,
    connectionsAtPeak: managed ? managed.environments * managed.poolSize : answers.peakConcurrency * clientSettings.poolMaxPerEnvironment.value,
    ...(managed ? { managedInstances: managed } : {}),
  };
}

/** Concurrent invocations whose connections fit the direct budget: the reserved concurrency to set. */
export const directConcurrencyLimit = (budget: ConnectionBudget): number => Math.floor(budget.directBudget / clientSettings.poolMaxPerEnvironment.value);

/**
 * New connections per second when `environments` start at once (a burst or a deploy): Lambda starts
 * up to 1,000 environments of a function at a time, each opens its connection during INIT.
 */
export function newConnectionsPerSecond(environments: number): number {
  const started = Math.min(environments, lambda.scalingEnvironments.value);
  return Math.ceil((started * clientSettings.poolMaxPerEnvironment.value) / sizing.burstRiseSeconds.value);
}

export const iamRateLimit = sizing.iamNewConnectionsPerSecond.value;

/**
 * The least RDS Proxy costs a month in front of this database: it bills the database's vCPUs (at
 * least 2) or, for Serverless v2, its ACUs (at least 8), whether or not it is busy.
 */
export function proxyMinimumMonthlyUsd(answers: Answers): number {
  const instance = findInstanceClass(answers.instanceClass);
  const hourly = instance
    ? Math.max(instance.vcpus, pricing.rdsProxyMinimumVcpus.value) * pricing.rdsProxyPerVcpuHour.value
    : pricing.rdsProxyMinimumAcus.value * pricing.rdsProxyPerAcuHour.value;
  return Math.round(hourly * pricing.hoursPerMonth.value * 100) / 100;
}

export const usd = (amount: number): string => `$${amount.toFixed(2)}`;
