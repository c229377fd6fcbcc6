/**
 * The RDS Data API's limits and the emulator's cost model (fact sheet, section E).
 */
import type { Fact } from './fact.ts';

const LIMITS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.limitations.html';
const TIMEOUTS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api-timeouts.html';
const API = 'https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_BeginTransaction.html';

export const dataApi = {
  maxResponseBytes: {
    value: 1024 * 1024,
    unit: 'bytes per response',
    source: LIMITS,
    factSheet: 'E',
    note: 'The emulator measures the JSON it would return (records or formattedRecords).',
  },
  maxRowBytes: {
    value: 64 * 1024,
    unit: 'bytes per row',
    source: LIMITS,
    factSheet: 'E',
  },
  statementTimeout: {
    value: 45_000,
    unit: 'ms per call',
    source: TIMEOUTS,
    factSheet: 'E',
    note: 'By default the service cancels the statement and the caller gets the timeout error; with continueAfterTimeout (ExecuteStatement) the caller still gets the error but the statement runs on.',
  },
  /**
   * How long `connlab serve data-api` lets a statement run on after its call timed out with
   * continueAfterTimeout. AWS documents no limit (the statement runs to its end); the emulator
   * bounds it because its one PGlite session cannot serve anything else meanwhile.
   */
  continuedStatementLimit: {
    value: 10 * 60_000,
    unit: 'ms after the call timeout',
    source: 'assumption',
    calibrate: 'Not an AWS figure: raise it if a reader\'s DDL needs longer on the emulator. On AWS, watch the statement in pg_stat_activity after the timeout error to see it run to its end.',
  },
  transactionIdleTimeout: {
    value: 3 * 60_000,
    unit: 'ms without a call using the transaction ID',
    source: API,
    factSheet: 'E',
    note: 'The transaction is then rolled back automatically.',
  },
  transactionMaxLifetime: {
    value: 24 * 3_600_000,
    unit: 'ms',
    source: API,
    factSheet: 'E',
  },
  /**
   * What one call costs on top of the SQL: the HTTPS request from the function, authentication, the
   * secret, and the service's hop to the writer. AWS publishes no latency figure (section E).
   */
  requestOverhead: {
    value: 25,
    unit: 'ms per call (mean; drawn uniformly within ±30 %)',
    source: 'assumption',
    calibrate:
      'The fact sheet marks typical latency UNVERIFIED. Time `SELECT 1` through ExecuteStatement from a function in the same Region and subtract the same query over a warm pg connection (pg_stat_statements gives the server side).',
  },
  /**
   * The service keeps its own connections to the writer and queues calls for them; how many is not
   * published. The database still counts them against max_connections.
   */
  poolConnections: {
    value: 40,
    unit: 'connections per cluster',
    source: 'assumption',
    calibrate:
      'AWS does not publish the Data API\'s pool size. Run a spike of ExecuteStatement calls against a test cluster and watch DatabaseConnections (or count rows of pg_stat_activity whose application_name is the Data API\'s).',
  },
} as const satisfies Record<string, Fact>;
