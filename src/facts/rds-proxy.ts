/**
 * RDS Proxy as the proxy model (src/engine/proxy) runs it: the connection-pool settings and their
 * defaults (fact sheet A1), the pinning rules (A4), the errors clients see (A6, B), and the latency
 * the proxy adds, which AWS does not publish (assumptions, each with how to measure it).
 */
import type { Fact } from './fact.ts';

const API_POOL_CONFIG = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html';
const API_DB_PROXY = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBProxy.html';
const MANAGING = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-managing.html';
const PINNING = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-pinning.html';
const LIMITATIONS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html';
const TROUBLESHOOTING = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.troubleshooting.html';
const IAM_AUTH = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html';
const SIGNER = 'https://github.com/aws/aws-sdk-js-v3/blob/main/packages/rds-signer/src/Signer.ts';

/** The target group's ConnectionPoolConfiguration and the proxy's own settings, with AWS's defaults. */
export const proxySettings = {
  maxConnectionsPercent: { value: 100, unit: '% of max_connections', source: API_POOL_CONFIG, factSheet: 'A1', note: '1 to 100; 10 for RDS for SQL Server.' },
  maxIdleConnectionsPercentOfMax: {
    value: 50,
    unit: '% of MaxConnectionsPercent',
    source: API_POOL_CONFIG,
    factSheet: 'A1',
    note: 'The default MaxIdleConnectionsPercent is half of MaxConnectionsPercent (50 when that is 100).',
  },
  connectionBorrowTimeout: { value: 120_000, unit: 'ms', source: API_POOL_CONFIG, factSheet: 'A1', note: 'ConnectionBorrowTimeout: 0 to 300 s, default 120 s.' },
  connectionBorrowTimeoutMax: { value: 300_000, unit: 'ms', source: API_POOL_CONFIG, factSheet: 'A1' },
  idleClientTimeout: { value: 1_800_000, unit: 'ms', source: API_DB_PROXY, factSheet: 'A1', note: 'IdleClientTimeout: 1 to 28,800 s, default 1,800 s. Closes client connections; the database connection goes back to the pool.' },
  idleClientTimeoutMax: { value: 28_800_000, unit: 'ms', source: API_DB_PROXY, factSheet: 'A1' },
  /** A pooled database connection counts as idle after this long without activity. */
  databaseConnectionIdleAfter: { value: 300_000, unit: 'ms', source: MANAGING, factSheet: 'A1', note: '2023 user guide text (MED).' },
  /** Connections the proxy keeps for its own monitoring, taken from the MaxConnectionsPercent share. */
  reservedForProxy: {
    value: 1,
    unit: 'connections',
    source: 'assumption',
    calibrate:
      'AWS says only that MaxDatabaseConnectionsAllowed "can be lower" than the percentage implies because the proxy keeps connections for monitoring. Compare MaxDatabaseConnectionsAllowed with MaxConnectionsPercent × max_connections on a real proxy.',
  },
  /**
   * How eagerly the pool grows: one new database connection for each waiting client that no
   * connection already being opened will serve, up to the cap. In a cold-start burst this fills the
   * pool to MaxDatabaseConnectionsAllowed within a second.
   */
  connectionsOpenedPerWaitingClient: {
    value: 1,
    unit: 'connections',
    source: 'assumption',
    calibrate:
      'AWS does not document how fast the proxy opens database connections. Send a burst of N new clients to a cold proxy and read DatabaseConnections and DatabaseConnectionRequests per minute in CloudWatch (or pg_stat_activity.backend_start on the instance).',
  },
  /**
   * What one client connection may have buffered in the proxy: the message being received plus the
   * rounds waiting for a database connection. A longer message is refused at its length word.
   */
  clientBufferCap: {
    value: 64 * 1024 * 1024,
    unit: 'bytes per client connection',
    source: 'assumption',
    calibrate:
      'AWS publishes no message size limit for RDS Proxy (PostgreSQL itself takes messages up to 1 GB). Send one Query of growing size through a real proxy (SELECT length($1) with a large parameter) and note where it fails and with which error.',
  },
  /** A client that has not logged in this long after connecting is disconnected. */
  clientStartupTimeout: {
    value: 60_000,
    unit: 'ms',
    source: 'assumption',
    calibrate:
      "PostgreSQL's authentication_timeout default (https://www.postgresql.org/docs/15/runtime-config-connection.html); AWS does not say what RDS Proxy does. Open a TCP connection to a real proxy, send nothing, and time when it closes.",
  },
} satisfies Record<string, Fact>;

/** Statements longer than this pin the session (all engines). */
export const pinningLimits = {
  statementBytes: { value: 16 * 1024, unit: 'bytes', source: LIMITATIONS, factSheet: 'A2', note: '"Any statement with a text size greater than 16 KB" pins the session.' },
} satisfies Record<string, Fact>;

/** Why a session gets pinned (PostgreSQL), in the words the pin log uses. Source: fact sheet A4. */
export const pinReasons = {
  value: {
    set: 'SET (session parameter)',
    reset: 'RESET (session parameter)',
    setConfig: 'set_config(…, false) (session parameter)',
    prepare: 'PREPARE (SQL-level prepared statement)',
    execute: 'EXECUTE (SQL-level prepared statement)',
    deallocate: 'DEALLOCATE (SQL-level prepared statement)',
    temporary: 'temporary table, view or sequence',
    cursor: 'DECLARE (cursor)',
    discard: 'DISCARD',
    listen: 'LISTEN',
    load: 'LOAD (library)',
    sequence: 'nextval/setval (sequence state)',
    advisoryLock: 'advisory-lock function',
    longStatement: 'statement text over 16 KB',
    namedStatement: 'named protocol-level prepared statement (connlab: re-preparing it on another connection is not modelled)',
  },
  unit: 'pin reason',
  source: PINNING,
  factSheet: 'A4',
} as const satisfies Fact<Record<string, string>>;

export interface ProxyErrorFields {
  readonly S: string;
  readonly V: string;
  readonly C: string;
  readonly M: string;
}

/**
 * The errors the proxy sends. The message texts are AWS's; the SQLSTATE codes and severities are not
 * documented anywhere public, so they are assumptions (the `calibrate` note of `proxyErrorCodes`).
 */
export const proxyErrors = {
  borrowTimeout: {
    value: { S: 'ERROR', V: 'ERROR', C: '08000', M: 'Timed-out waiting to acquire database connection.' },
    unit: 'ErrorResponse',
    source: TROUBLESHOOTING,
    factSheet: 'A6',
    note: 'Message text documented for PostgreSQL; SQLSTATE 08000 and severity ERROR (the client connection stays open) are assumptions.',
  },
  iamRequiresTls: {
    value: { S: 'FATAL', V: 'FATAL', C: '28000', M: 'IAM authentication is allowed only with SSL connections.' },
    unit: 'ErrorResponse',
    source: TROUBLESHOOTING,
    factSheet: 'A6',
    note: 'Fixed with sslmode=require or stronger (fact sheet B). SQLSTATE 28000 is an assumption.',
  },
  iamFailed: {
    value: { S: 'FATAL', V: 'FATAL', C: '28000', M: 'The IAM authentication failed for the role %s. Check the IAM token for this role and try again.' },
    unit: 'ErrorResponse',
    source: 'https://github.com/duckdb/duckdb-postgres/issues/576',
    note: 'As a client quoted it from a real RDS Proxy (2026); not in the AWS guide. Expired, mis-signed and wrong-user tokens all get it. SQLSTATE 28000 is an assumption.',
  },
  /** Not an AWS error: connlab proxy's own buffer cap (proxySettings.clientBufferCap), worded so nobody mistakes it for one. */
  clientBufferCap: {
    value: { S: 'FATAL', V: 'FATAL', C: '54000', M: 'connlab proxy: a message of %d bytes would take this client connection past the %d bytes the proxy buffers for one client' },
    unit: 'ErrorResponse',
    source: 'https://www.postgresql.org/docs/15/errcodes-appendix.html',
    note: 'SQLSTATE 54000 is program_limit_exceeded; the limit itself is an assumption (proxySettings.clientBufferCap).',
  },
  passwordFailed: {
    value: { S: 'FATAL', V: 'FATAL', C: '28P01', M: 'password authentication failed for user "%s"' },
    unit: 'ErrorResponse',
    source: 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/libpq/auth.c',
    note: 'PostgreSQL\'s own wording; what RDS Proxy sends for a wrong password is not documented (assumption).',
  },
} satisfies Record<string, { value: ProxyErrorFields; unit: string; source: string; factSheet?: string; note?: string }>;

export const proxyErrorCodes: Fact<string> = {
  value: 'SQLSTATE and severity of the proxy\'s own errors',
  unit: 'note',
  source: 'assumption',
  calibrate: 'Trigger each error against a real proxy with `psql -v VERBOSITY=verbose` and read the SQLSTATE it prints.',
};

/** IAM tokens (fact sheet B). */
export const iamToken = {
  lifetime: { value: 900_000, unit: 'ms', source: IAM_AUTH, factSheet: 'B', note: 'Each token has a lifetime of 15 minutes; only checked when a connection is opened.' },
  signerExpiresIn: { value: 900, unit: 's (X-Amz-Expires)', source: SIGNER, factSheet: 'B' },
  service: { value: 'rds-db', unit: 'SigV4 signing name', source: SIGNER, factSheet: 'B' },
} as const satisfies Record<string, Fact<number | string>>;

/** Time the proxy adds. AWS publishes none of these. */
export const proxyCosts = {
  clientSetup: {
    value: 2,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Time to AuthenticationOk for a password client through the proxy, minus the same for a client connecting straight to the instance with a warm pool (client-side timing in the function).',
  },
  iamVerification: {
    value: 5,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Connection time with an IAM token minus with a password, through the same proxy.',
  },
  addedLatency: {
    value: 0.5,
    unit: 'ms per round trip',
    source: 'assumption',
    calibrate: 'QueryResponseLatency minus QueryDatabaseResponseLatency (both in CloudWatch, microseconds) on a real proxy, or SELECT 1 round trips through the proxy minus direct.',
  },
} satisfies Record<string, Fact>;

const CONFIGURATION_GUIDELINES = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-best-practices.configuration.html';
const CREATING = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-creating.html';
const ENDPOINTS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-endpoints.html';

/** Client-side limits of the proxy that AWS documents by their error text only; the numbers are not published. */
export const proxyClientLimits = {
  iamCompetingRequests: {
    value: 'The IAM authentication failed because of too many competing requests.',
    unit: 'error message (PostgreSQL proxy)',
    source: TROUBLESHOOTING,
    factSheet: 'A6',
    note: 'Too many simultaneous IAM authentications from clients; AWS publishes no rate, only "reduce the rate".',
  },
  startupOptionRejected: {
    value: "Feature not supported: RDS Proxy currently doesn't support the option %s.",
    unit: 'error message (PostgreSQL proxy)',
    source: TROUBLESHOOTING,
    factSheet: 'I',
    note: 'A startup-message option the proxy does not support, such as libpq options=-c statement_timeout=…',
  },
} satisfies Record<string, Fact<string>>;

/** Where the proxy may sit, and what its target must keep. */
export const proxyPlacement = {
  sameVpcAsDatabase: { value: 'required', unit: 'placement of the proxy relative to the database', source: LIMITATIONS },
  clientsInOtherVpcs: { value: 'through an additional proxy endpoint in the client VPC', unit: 'placement of clients', source: ENDPOINTS },
  retainPostgresDatabase: { value: 'postgres', unit: 'database an RDS for PostgreSQL target must keep', source: CREATING },
  /** The pool is a ceiling, not an allocation: connections are opened as clients need them. */
  poolOpensOnDemand: { value: 'as needed, up to MaxConnectionsPercent', unit: 'database connections', source: CONFIGURATION_GUIDELINES },
} satisfies Record<string, Fact<string>>;

/** The proxy's floor set against the price of the smallest instance it can front (chapter 6). */
export const proxyFloorComparison = {
  smallInstanceHourly: {
    value: 0.016,
    unit: 'USD per hour, db.t4g.micro RDS for PostgreSQL, single-AZ on demand, us-east-1',
    source: 'https://infratally.com/articles/aws-rds-pricing-explained-2026.html',
    note: 'A secondary quote of https://aws.amazon.com/rds/postgresql/pricing/ (2026), which could not be read here.',
  },
} satisfies Record<string, Fact>;

const PROXY_QUOTAS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html';
const PROXY_ENDPOINTS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html';

/** Endpoints besides the default one, e.g. a read-only endpoint that sends connections to an Aurora cluster's readers. */
export const proxyEndpoints = {
  additionalPerProxy: { value: 20, unit: 'endpoints per proxy besides the default one', source: PROXY_QUOTAS },
  /** With no reader available, a read-only endpoint's request waits up to ConnectionBorrowTimeout, then fails. */
  readOnlyTargetsReaders: { value: 'READ_ONLY', unit: 'TargetRole of an endpoint that reaches only the cluster\'s readers', source: PROXY_ENDPOINTS },
} satisfies Record<string, Fact<number | string>>;

