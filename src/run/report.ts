/**
 * The RunReport: everything a run produced, as JSON. Versioned; docs/run-report.md describes it.
 * A report is a function of (sandbox, code, parameters, seed) except `wallMs`.
 */
import { z } from '../lib/zod.ts';

export const RUN_REPORT_VERSION = 1;

const count = z.number().int().nonnegative();
const series = z.array(z.number().nonnegative());

export const runReportSchema = z.object({
  version: z.literal(RUN_REPORT_VERSION).describe('Format version; bumped on incompatible changes.'),
  sandbox: z.string().describe('Sandbox id.'),
  variant: z.string().describe('Variant id (which handler ran).'),
  handler: z.string().describe('Handler file name.'),
  edited: z.boolean().describe('True when the handler source was supplied by the caller instead of the sandbox file.'),
  seed: z.number().int().describe('Seed of the random draws.'),
  parameters: z.record(z.string(), z.union([z.number(), z.string()])).describe('Every parameter value used (defaults included).'),
  virtualMs: z.number().describe('Virtual time covered.'),
  invocations: z
    .object({
      total: count.describe('Requests that reached Lambda.'),
      succeeded: count,
      failed: count.describe('The handler threw, timed out or its environment crashed.'),
      throttled: count.describe('Rejected by Lambda before running (TooManyRequestsException).'),
      inFlightAtEnd: count.describe('Still running when the run ended; not in the other counts.'),
    })
    .describe('total = succeeded + failed + throttled.'),
  errors: z
    .array(z.object({ code: z.string().describe('SQLSTATE, errno code, or Lambda error type.'), message: z.string().describe('Exact message.'), count }))
    .describe('Failures and throttles grouped by (code, message), most frequent first.'),
  database: z.object({
    instanceClass: z.string(),
    vcpus: count,
    engineVersion: z.string().describe('RDS for PostgreSQL major version (sets the reserved-slot wording).'),
    maxConnections: count.describe('max_connections.'),
    maxConnectionsNominal: z.boolean().describe('True when max_connections is the formula on the class\'s nominal memory (a real instance reports less); false when the sandbox was given the real figure.'),
    reservedConnections: count.describe('Slots ordinary roles cannot use: superuser_reserved_connections + rds.rds_superuser_reserved_connections.'),
    deadClientAfterMs: z.number().describe('tcp_keepalives_idle + tcp_keepalives_interval × tcp_keepalives_count: when a vanished client\'s connection is dropped, after its last traffic.'),
    peakConnections: count.describe('Most connections open at once (DatabaseConnections maximum).'),
    accepted: count.describe('Connections that completed authentication.'),
    rejectedTooManyClients: count.describe('53300 sorry, too many clients already.'),
    rejectedReservedSlots: count.describe('53300 remaining connection slots are reserved…'),
    authFailures: count.describe('28P01.'),
    idleSessionTimeouts: count.describe('Connections closed with 57P05.'),
    deadClientsReaped: count.describe('Connections of vanished clients closed by keepalive.'),
    sessionWaitFailures: count.describe('Simulator limit hits (55P03 connlab: …).'),
    queries: count.describe('Round trips executed by PGlite.'),
    closesByReason: z
      .record(z.string(), count)
      .optional()
      .describe('Connections that had a backend, by why they closed: terminate (the client said goodbye), client-fin or client-reset (its socket closed without a goodbye, e.g. a killed process), dead-client (keepalive gave up on a vanished client), idle-session-timeout, failover. With the sandbox\'s `detailedReport`.'),
    unavailable: z
      .object({
        startMs: z.number(),
        endMs: z.number(),
        unansweredStartups: count.describe('Connections whose start-up packet came in the window and was never answered.'),
        resetConnections: count.describe('Open connections reset when the window began.'),
      })
      .optional()
      .describe('Present when the sandbox makes the instance unavailable for a window (a failover).'),
  }),
  proxy: z
    .object({
      name: z.string(),
      maxDatabaseConnectionsAllowed: count.describe('MaxDatabaseConnectionsAllowed: MaxConnectionsPercent of max_connections, less what the proxy keeps for itself.'),
      maxIdleConnections: count.describe('Idle database connections kept: MaxIdleConnectionsPercent of max_connections.'),
      connectionBorrowTimeoutMs: z.number(),
      idleClientTimeoutMs: z.number(),
      iamAuth: z.enum(['DISABLED', 'REQUIRED']),
      peakClientConnections: count.describe('ClientConnections maximum.'),
      peakDatabaseConnections: count.describe('DatabaseConnections maximum.'),
      peakBorrowed: count.describe('DatabaseConnectionsCurrentlyBorrowed maximum.'),
      peakPinned: count.describe('DatabaseConnectionsCurrentlySessionPinned maximum.'),
      peakWaiting: count.describe('Most clients waiting in the borrow queue at once.'),
      borrows: count.describe('Database connections lent to clients.'),
      borrowTimeouts: count.describe('Clients that waited ConnectionBorrowTimeout and got "Timed-out waiting to acquire database connection.".'),
      pinnedSessions: count.describe('Client sessions pinned to their database connection.'),
      pinsByReason: z.record(z.string(), count).describe('Statements that matched a pinning rule, by rule.'),
      clientConnectionsSetupFailedAuth: count.describe('ClientConnectionsSetupFailedAuth.'),
      clientConnectionsClosedIdle: count.describe('Client connections closed by IdleClientTimeout.'),
      databaseConnectionsSetupFailed: count.describe('DatabaseConnectionsSetupFailed.'),
      borrowLatencyUs: z.object({ p50: z.number(), p95: z.number(), max: z.number() }).describe('DatabaseConnectionsBorrowLatency over the run, microseconds.'),
      queryDatabaseResponseLatencyUs: z.object({ p50: z.number(), p95: z.number(), max: z.number() }).describe('QueryDatabaseResponseLatency over the run, microseconds.'),
      series: z
        .object({
          ClientConnections: series,
          DatabaseConnections: series,
          DatabaseConnectionsCurrentlyBorrowed: series,
          DatabaseConnectionsCurrentlySessionPinned: series,
          MaxDatabaseConnectionsAllowed: series,
          BorrowQueueLength: series.describe('connlab\'s own: clients waiting to borrow.'),
          DatabaseConnectionsBorrowLatency: series.describe('Mean within the second, microseconds.'),
          QueryDatabaseResponseLatency: series.describe('Mean within the second, microseconds.'),
          BorrowTimeouts: series.describe('connlab\'s own: borrow timeouts within the second.'),
        })
        .describe('One value per virtual second, CloudWatch\'s per-proxy metric names; gauges are the maximum within the second.'),
    })
    .optional()
    .describe('Present when the sandbox has an RDS Proxy.'),
  dsql: z
    .object({
      ratePerSecond: count.describe('New connections per second the cluster accepts.'),
      burst: count.describe('Connections the cluster accepts in a burst above the rate.'),
      rateExceeded: count.describe('Connections refused with 53400 "Unable to accept connection, rate exceeded.".'),
      tokensRefused: count.describe('Connections whose IAM token was refused (expired, wrong host, Region, Action or signature).'),
      sessionsExpired: count.describe('Sessions closed at their 60-minute lifetime.'),
      lowestBucket: count.describe('The fewest connections the burst capacity held after an admission: 0 means the run used all of it.'),
    })
    .optional()
    .describe('Present when the database is an Aurora DSQL cluster.'),
  dataApi: z
    .object({
      requests: count.describe('Data API calls received.'),
      byOperation: z.record(z.string(), count),
      errors: z.record(z.string(), count).describe('Error responses by exception name.'),
      poolConnections: count.describe('Connections the service may keep to the writer (an assumption).'),
      peakConnectionsInUse: count.describe('Most service connections running a call at once.'),
      peakInFlight: count.describe('Most calls inside the service at once (queued for a connection or running).'),
      responsesTooLarge: count.describe('Calls refused with "Database returned more than the allowed response size limit".'),
      statementTimeouts: count.describe('StatementTimeoutException answers (45 s).'),
      transactionsExpired: count.describe('Transactions rolled back after 3 minutes idle or 24 hours.'),
    })
    .optional()
    .describe('Present when the sandbox has a Data API.'),
  dynamodb: z
    .object({
      tables: z.record(
        z.string(),
        z.object({ consumedReadUnits: z.number(), consumedWriteUnits: z.number(), throttledRequests: count, ceilings: z.object({ read: z.number(), write: z.number() }) }),
      ),
      throttledRequests: count.describe('ProvisionedThroughputExceededException and ThrottlingException answers, all tables.'),
    })
    .optional()
    .describe('Present when the sandbox has DynamoDB tables.'),
  sqs: z
    .object({
      sent: count,
      deleted: count,
      redelivered: count.describe('Receives of a message whose visibility timeout had run out.'),
      peakDepth: count.describe('Most messages in the queue at once (visible or in flight).'),
      depthAtEnd: count,
      drainedAtMs: z.number().nullable().describe('When the queue was last found empty after messages arrived; null if messages remain.'),
      batches: count,
      messagesInvoked: count,
      failedBatches: count,
      throttledBatches: count,
      partialFailures: count.describe('Batches whose response listed batchItemFailures.'),
      peakConcurrentBatches: count,
      maximumConcurrency: count.nullable(),
      consumer: z.object({
        invocations: count,
        succeeded: count,
        failed: count,
        throttled: count,
        coldStarts: count,
        peakConcurrency: count,
        errors: z.array(z.object({ code: z.string(), message: z.string(), count })),
      }),
      series: z.object({ ApproximateNumberOfMessagesVisible: series, ConsumerConcurrency: series }).describe('One value per virtual second: the maximum within the second.'),
    })
    .optional()
    .describe('Present when the sandbox has an SQS queue and a consumer.'),
  secretsManager: z
    .object({
      requests: count.describe('Secrets Manager calls received from handlers.'),
      byOperation: z.record(z.string(), count),
      errors: z.record(z.string(), count).describe('Error responses by exception name.'),
      rotation: z
        .object({
          startedAtMs: z.number().describe('When Secrets Manager started the rotation (createSecret).'),
          passwordChangedAtMs: z.number().nullable().describe('When setSecret changed the password in the database; from then on the old password fails new logins.'),
          finishedAtMs: z.number().nullable().describe('When finishSecret moved AWSCURRENT to the new version; null if the rotation did not finish.'),
          failure: z.string().nullable().describe('The error that stopped the rotation, if one did.'),
        })
        .nullable()
        .describe('The rotation of the run, or null when none started.'),
    })
    .optional()
    .describe('Present when the sandbox has secrets in Secrets Manager.'),
  latencyMs: z
    .object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() })
    .describe('Nearest-rank percentiles of succeeded invocations, from the request reaching Lambda to the response (cold starts included).'),
  coldStarts: count,
  environments: z.object({
    peak: count.describe('Most execution environments alive at once.'),
    reclaimed: count.describe('Reclaimed after their idle lifetime.'),
    crashed: count.describe('Ended by an uncaught exception or a timeout.'),
  }),
  lambda: z.object({
    concurrencyLimit: count.describe('Reserved concurrency, or the account quota.'),
    peakConcurrency: count.describe('ConcurrentExecutions maximum.'),
    timeouts: count.optional().describe('Invocations ended by the function timeout ("Task timed out after N.NN seconds"). With the sandbox\'s `detailedReport`.'),
    sigterms: count.optional().describe('Reclaimed environments whose runtime got SIGTERM (an extension was registered). With the sandbox\'s `detailedReport`.'),
    billedDurationMs: count.optional().describe('Billed Duration summed over the invocations that ran (1 ms granularity), as the REPORT lines give it. With the sandbox\'s `detailedReport`.'),
  }),
  series: z
    .object({
      intervalMs: z.literal(1000),
      ConcurrentExecutions: series,
      Invocations: series,
      Errors: series,
      Throttles: series,
      DatabaseConnections: series,
      ZombieConnections: series.describe('Connections whose client vanished and that the server has not noticed yet.'),
      EnvironmentsAlive: series,
      ColdStarts: series,
    })
    .describe('One value per virtual second; gauges are the maximum within the second.'),
  events: z.object({
    entries: z.array(z.object({ t: z.number(), source: z.enum(['lambda', 'database', 'traffic', 'proxy']), kind: z.string(), text: z.string() })),
    dropped: count.describe('Events beyond the cap.'),
  }),
  logs: z.array(z.object({ requestId: z.string(), environment: z.string().describe('The execution environment that ran the invocation, e.g. env-0001.'), lines: z.array(z.string()) })).describe('CloudWatch-style logs of the first invocations and of the first failure of each kind (capped).'),
  wallMs: z.number().describe('Real time the run took, including database start-up. The only field that varies between identical runs.'),
});

export type RunReport = z.infer<typeof runReportSchema>;
