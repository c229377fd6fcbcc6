/**
 * Aurora DSQL, the PostgreSQL-compatible distributed database, as far as the guide's prose needs it: how a client
 * authenticates, the limits on connections a fleet of functions meets first, and what a PostgreSQL habit may not
 * find there. The aurora-dsql sandbox's endpoint (src/engine/dsql) takes its model from here; the chapter
 * "Beyond the default compute" cites these, and the wizard and the generated aurora-dsql projects use them.
 */
import type { Fact } from './fact.ts';

const QUOTAS = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html';
const CONNECTIONS = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-connections.html';
const TOKEN = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/SECTION_authentication-token.html';
const SIGNER = 'https://www.npmjs.com/package/@aws-sdk/dsql-signer';
const UNSUPPORTED = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-postgresql-compatibility-unsupported-features.html';
const COMPUTE = 'https://brooker.co.za/blog/2024/12/04/inside-dsql.html';

export const dsqlConnections = {
  maxPerCluster: { value: 10_000, unit: 'connections per cluster (a quota you can raise)', source: QUOTAS },
  /** Not configurable; past it a new connection is refused with SQLSTATE 53400. */
  ratePerCluster: { value: 100, unit: 'new connections per second per cluster', source: QUOTAS },
  burstCapacity: { value: 1_000, unit: 'connections a cluster accepts in a burst above the rate', source: QUOTAS },
  burstRefill: { value: 100, unit: 'connections per second the burst capacity refills', source: QUOTAS },
  /** A session lasts at most this long; a transaction started late may run to its own limit before the session closes. */
  maxSessionDuration: { value: 3_600_000, unit: 'ms', source: CONNECTIONS },
  maxTransactionDuration: { value: 300_000, unit: 'ms', source: CONNECTIONS },
  /** Checked only when a connection opens, as with RDS IAM tokens. */
  tokenDefaultLifetime: { value: 900, unit: 's (SDK and CLI default; the console makes one-hour tokens)', source: TOKEN },
  tokenMaxLifetime: { value: 604_800, unit: 's (one week)', source: TOKEN },
} satisfies Record<string, Fact>;

/**
 * No instance and no vCPUs to queue on: each transaction runs in a query processor (a PostgreSQL engine in
 * a Firecracker microVM) of its own, and the service adds them as connections arrive. So a burst of new
 * connections or statements does not wait for a fixed number of cores, as it does on an RDS instance.
 */
export const dsqlCompute = {
  queryProcessorPerTransaction: {
    value: true,
    unit: 'whether each transaction has a query processor of its own, added as load arrives',
    source: COMPUTE,
    note: 'Marc Brooker (Aurora DSQL engineer), "DSQL Vignette: Reads and Compute", 2024-12-04: "When you connect to DSQL, we make sure there are enough of these MicroVMs to serve your load, and scale up dynamically if needed."',
  },
} satisfies Record<string, Fact<boolean>>;

export const dsqlErrors = {
  tooManyConnections: { value: { code: '53300', message: 'Unable to accept connection, too many open connections.' }, unit: 'error', source: QUOTAS },
  rateExceeded: { value: { code: '53400', message: 'Unable to accept connection, rate exceeded.' }, unit: 'error', source: QUOTAS },
} satisfies Record<string, Fact<{ code: string; message: string }>>;

/** The SigV4 presigned URL `@aws-sdk/dsql-signer` makes: signing name and the Action per role. */
export const dsqlToken = {
  service: { value: 'dsql', unit: 'SigV4 signing name', source: SIGNER },
  adminRole: { value: 'admin', unit: 'the role getDbConnectAdminAuthToken() signs for', source: TOKEN },
  adminAction: { value: 'DbConnectAdmin', unit: 'Action of an admin token', source: SIGNER },
  roleAction: { value: 'DbConnect', unit: 'Action of a token for a custom database role', source: SIGNER },
} satisfies Record<string, Fact<string>>;

/**
 * What a client sees when DSQL refuses a token or ends a session at its lifetime. AWS documents neither
 * text nor code: both are assumptions, worded like PostgreSQL's own (28000, 57P01).
 */
export const dsqlAssumedErrors = {
  authenticationFailed: { value: { code: '28000', message: 'unable to accept connection, access denied' }, unit: 'error', source: 'assumption', calibrate: 'Connect with an expired token and read the ErrorResponse.' },
  sessionExpired: { value: { code: '57P01', message: 'terminating connection: session exceeded its maximum duration' }, unit: 'error', source: 'assumption', calibrate: 'Hold a session open for an hour and read what the server sends before it closes.' },
} satisfies Record<string, Fact<{ code: string; message: string }>>;

/** What AWS lists as unsupported, in the groups the chapter names. */
export const dsqlUnsupported: Fact<readonly string[]> = {
  value: ['foreign keys', 'sequences', 'triggers', 'temporary tables', 'extensions (PL/pgSQL, PostGIS, pgvector and others)', 'SAVEPOINT', 'TRUNCATE', 'more than one database per cluster'],
  unit: 'PostgreSQL features',
  source: UNSUPPORTED,
};

const ACCESSING = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/accessing.html';
const AUTHORIZATION = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/authentication-authorization.html';
const CLUSTER_SUMMARY = 'https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/API_ClusterSummary.html';

/** How a client reaches a cluster: what the generated projects connect with and grant. */
export const dsqlAccess = {
  port: { value: 5432, unit: 'TCP port (the PostgreSQL default; not configurable)', source: ACCESSING },
  database: { value: 'postgres', unit: 'the one database a cluster has, created with it', source: ACCESSING },
  /** The role DSQL creates; only it can link a custom role to an IAM identity (AWS IAM GRANT). */
  adminRole: { value: 'admin', unit: 'database role', source: ACCESSING },
  /** dsql:DbConnectAdmin is the admin role's; a custom database role needs only this one. */
  customRoleAction: { value: 'dsql:DbConnect', unit: 'IAM action', source: AUTHORIZATION },
  adminRoleAction: { value: 'dsql:DbConnectAdmin', unit: 'IAM action', source: AUTHORIZATION },
  clusterArn: { value: 'arn:{partition}:dsql:{region}:{account}:cluster/{dsqlClusterId}', unit: 'ARN format (the id is 26 lower-case letters and digits)', source: CLUSTER_SUMMARY },
} satisfies Record<string, Fact<unknown>>;

/**
 * How the generated handlers retry a connection refused with 53400: exponential backoff with full jitter
 * (a random wait up to the ceiling). The values are the authors' choice, not AWS's.
 */
export const dsqlRetry = {
  attempts: { value: 5, unit: 'connection attempts before the error reaches the caller', source: 'assumption', calibrate: 'Five attempts with the ceilings below wait up to about 3 s in all, inside a typical API timeout; raise it for asynchronous invocations.' },
  baseDelay: { value: 100, unit: 'ms (the ceiling doubles from twice this)', source: 'assumption', calibrate: 'About the time the cluster refills its burst by ten connections at 100 per second.' },
  maxDelay: { value: 2_000, unit: 'ms (the largest ceiling)', source: 'assumption', calibrate: 'Two seconds of refill give 200 new connections; longer waits mostly add latency.' },
} satisfies Record<string, Fact>;

const PRICING = 'https://aws.amazon.com/rds/aurora/dsql/pricing/';
const BILLING = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/billing-metering.html';

/**
 * What a cluster costs, us-east-1, single-Region, without the free tier: its activity in DPUs and its
 * storage. No instance, no hourly charge, nothing while idle.
 */
export const dsqlPricing = {
  perMillionDpus: {
    value: 8,
    unit: 'USD per million DPUs (Distributed Processing Units: compute, reads and writes)',
    source: PRICING,
    note: 'us-east-1. The pricing page names DPUs and GB-months as the only two charges; the figures were read in quotes of it (sst.dev\'s Dsql component, usage.ai, a 2025 benchmark post), the page\'s own table was not in the search corpus (MED).',
  },
  perGbMonth: {
    value: 0.33,
    unit: 'USD per GB-month of storage (one logical copy per Region)',
    source: PRICING,
    note: 'us-east-1, read in the same quotes as the DPU price (MED). The billing guide meters storage in GiB-months; the cost treats a GB as 2^30 bytes accordingly.',
  },
  /** A single-row INSERT's total DPUs (compute + write + the little it reads). */
  dpusPerSingleRowWrite: {
    value: 0.05,
    unit: 'DPUs per single-row INSERT of a small row',
    source: 'assumption',
    calibrate: `AWS documents the metering (${BILLING}), not a per-statement figure for writes; its EXPLAIN ANALYZE VERBOSE example reads 120 rows for about 0.06 DPU. Run EXPLAIN ANALYZE VERBOSE on the INSERT and read its "Statement DPU Estimate".`,
  },
} satisfies Record<string, Fact>;

/**
 * What one request writes, when the reader of the cost comparison gives no workload of their own: the
 * figures the DSQL line of the comparison starts from, not AWS's.
 */
export const dsqlAssumedWorkload = {
  writesPerRequest: {
    value: 1,
    unit: 'single-row writes per request',
    source: 'assumption',
    calibrate: 'One INSERT per request, as the DynamoDB line counts one write per request, so the two price the same work. Count the statements your handler runs per request.',
  },
  rowBytes: {
    value: 100,
    unit: 'bytes of storage each written row adds',
    source: 'assumption',
    calibrate: "A small row: the sandboxes' order (an integer key, a status, a total) is a few dozen bytes of data, rounded up for the row's overhead. The billing guide meters storage in GiB-months without a per-row figure; read the cluster's ClusterStorageSize metric before and after writing a known number of your rows.",
  },
} satisfies Record<string, Fact>;
