/**
 * The numbers the decision wizard reasons with and the starter code bakes in.
 *
 * The generated projects carry these values as literals (a reader deploys them without this repo),
 * so each literal in a template is read from here and the header of the file names its source.
 */
import type { Fact } from './fact.ts';

const RDS_UG = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide';
const PROXY_MANAGING = `${RDS_UG}/rds-proxy-managing.html`;
const SQS_TRIGGER = 'https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html';

/** What the wizard's rules size a design with. */
export const sizing = {
  /** IAM authentication: AWS advises fewer than 200 new IAM-authenticated connections per second. */
  iamNewConnectionsPerSecond: { value: 200, unit: 'new connections/s', source: `${RDS_UG}/UsingWithRDS.IAMDBAuth.html`, factSheet: 'B' },
  /**
   * The share of the connections other clients leave that a direct design may plan for: the rest covers
   * superuser slots, migrations, consoles, and the old and new environments of a deploy side by side.
   */
  directConnectionsShare: {
    value: 0.5,
    unit: 'fraction of max_connections',
    source: 'assumption',
    calibrate:
      'A deploy briefly runs old and new execution environments side by side and frozen environments keep their connections, so plan for about twice the peak; compare DatabaseConnections with max_connections during a deploy.',
  },
  /**
   * How fast the connections of a burst arrive: the environments Lambda starts for a burst or a deploy
   * (up to 1,000 per function at once) each open theirs during INIT, so the new connections of N
   * environments land within about this long. Compared with the IAM guidance per second.
   */
  burstRiseSeconds: {
    value: 1,
    unit: 's',
    source: 'assumption',
    calibrate:
      'During a deploy or a burst, read pg_stat_activity.backend_start (or DatabaseConnections per second in Enhanced Monitoring) and divide the rise in connections by the time it took.',
  },
  /** Extra latency a proxy hop adds; AWS publishes none. */
  proxyAddedLatencyMs: {
    value: 2,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Compare QueryResponseLatency with QueryDatabaseResponseLatency on the proxy (both in microseconds).',
  },
  /** Per-request overhead of the Data API over a pooled connection; AWS publishes no figure (fact sheet E: UNVERIFIED). */
  dataApiAddedLatencyMs: {
    value: 30,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Time ExecuteStatement against the same query over a direct connection from the same VPC.',
  },
} satisfies Record<string, Fact>;

/** The generated handler's database client: its pool, its timeouts and (Python) its keepalives. */
export const clientSettings = {
  /** A Lambda execution environment serves one invocation at a time, so one connection per environment suffices. */
  poolMaxPerEnvironment: {
    value: 1,
    unit: 'connections per execution environment',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html',
    note: 'Raise to 2 only if one invocation runs queries in parallel.',
  },
  /** The client pool closes an idle connection before the proxy or the server does, so no query meets a dead socket. */
  poolIdleTimeout: {
    value: 60,
    unit: 's',
    source: 'assumption',
    calibrate: 'Must stay below the proxy IdleClientTimeout and the database idle_session_timeout set by the same project; lower it if the server closes sooner.',
  },
  connectTimeout: {
    value: 5,
    unit: 's',
    source: 'assumption',
    calibrate: 'Time to open TCP + TLS + authentication inside one VPC is tens of milliseconds; 5 s fails fast well before a typical 30 s function timeout.',
  },
  /**
   * pg's query_timeout: how long the client waits for a query's answer before it gives up and the
   * handler destroys the connection. Above the server's statement_timeout, so a live server cancels
   * first and this bound only fires on a dead socket or an unreachable server.
   */
  queryTimeout: {
    value: 8,
    unit: 's',
    source: 'assumption',
    calibrate:
      "statement_timeout plus a few seconds of network margin, and behind RDS Proxy above ConnectionBorrowTimeout + statement_timeout; keep connect + query bounds under the function timeout (the generated projects' test checks this order).",
  },
  /**
   * TCP keepalives: a peer that vanished while a query was in flight is noticed after idle + interval x
   * count seconds. Python sets all three (libpq keepalives_idle / _interval / _count); Node's pg sets
   * only the idle delay (keepAliveInitialDelayMillis), because Node fixes the rest at 10 probes 1 s apart
   * (https://nodejs.org/api/net.html#socketsetkeepaliveenable-initialdelay).
   */
  tcpKeepalives: {
    value: { idle: 10, interval: 5, count: 2 },
    unit: 's, s, probes',
    source: 'assumption',
    calibrate:
      "connect_timeout + idle + interval x count (5 + 20 s) must stay under the function timeout, since for psycopg this is the only client-side bound on a query whose server vanished; 2 probes, as RDS's own tcp_keepalives_count. libpq otherwise uses the operating system defaults (2 hours idle on Linux): https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-KEEPALIVES",
  },
} satisfies Record<string, Fact<unknown>>;

/**
 * Server-side statement_timeout, set on the function's role in schema.sql (ALTER ROLE … SET), so it
 * needs no startup `options` parameter (RDS Proxy rejects it) and no session SET (which pins).
 */
export const statementTimeout: Fact = {
  value: 5,
  unit: 's',
  source: 'assumption',
  calibrate: "The handler's statements take milliseconds; set to a few times the slowest query's p99 (pg_stat_statements), below the function timeout.",
};

/** What the generated database parameter advice sets: close sessions idle longer than this on the server. */
export const serverIdleSessionTimeout: Fact = {
  value: 900,
  unit: 's',
  source: 'https://www.postgresql.org/docs/15/runtime-config-client.html#GUC-IDLE-SESSION-TIMEOUT',
  note: 'Value chosen by the starter code; PostgreSQL 14+ setting, off by default.',
};

/** What the generated function is given, the same in every infrastructure flavour. */
export const functionSettings = {
  /**
   * Above every bound the client sets (connect + query, or connect + keepalive detection in Python), so an
   * invocation that meets a dead or saturated database reports the database's or the proxy's error, not
   * "Task timed out". Lambda allows 1 to 900 s (default 3 s): https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  timeout: {
    value: 30,
    unit: 's',
    source: 'assumption',
    calibrate:
      'Set to a few times the observed p99 duration, and above connectTimeout + queryTimeout. Behind API Gateway keep it at or below the integration timeout (29 s by default for REST APIs, 30 s at most for HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), or the caller gets a 504 while the function still runs.',
  },
  memory: { value: 512, unit: 'MB', source: 'assumption', calibrate: 'Tune with observed duration and cost (AWS Lambda Power Tuning).' },
} satisfies Record<string, Fact>;

/** What the generated RDS Proxy sets on itself and its default target group (AWS's defaults are rds-proxy.ts's proxySettings). */
export const proxyConfiguration = {
  /** Default 1800 s; 1 to 28,800. */
  idleClientTimeout: {
    value: 900,
    unit: 's',
    source: PROXY_MANAGING,
    factSheet: 'A1',
    note: 'Lowered from the 1800 s default so connections left by frozen environments are released sooner; still far above the pool idle timeout.',
  },
  maxConnectionsPercent: {
    value: 80,
    unit: '% of max_connections',
    source: PROXY_MANAGING,
    factSheet: 'A1',
    note: 'Default 100; leaving 20% for administration and migrations. AWS advises at least 30% above the highest recent usage.',
  },
  maxIdleConnectionsPercent: {
    value: 10,
    unit: '% of max_connections',
    source: PROXY_MANAGING,
    factSheet: 'A1',
    note: 'Default is half of MaxConnectionsPercent; a cap on how many idle connections the pool keeps, not a time.',
  },
  /**
   * A statement that waits in the borrow queue is, for the driver, a query without an answer: the proxy's
   * own error reaches the function only if the borrow wait plus the statement's own bound (the role's
   * statement_timeout) end before pg's query_timeout, and all of them before the function timeout.
   */
  connectionBorrowTimeout: {
    value: 2,
    unit: 's',
    source: PROXY_MANAGING,
    factSheet: 'A1',
    note: "Default 120 s (0 to 300). Lowered so that ConnectionBorrowTimeout + statement_timeout (2 + 5 s) stays below the driver's query_timeout (8 s): a saturated pool ends with the proxy's \"Timed-out waiting to acquire database connection.\", not with pg's \"Query read timeout\", and well inside the function timeout. A borrowed connection is held for one short transaction, so a wait of seconds already means the pool is saturated.",
  },
} satisfies Record<string, Fact>;

/** The generated SQS event source mapping of the queue consumer. */
export const sqsEventSource = {
  /** The share of the direct-connection budget the queue consumer may take. */
  maximumConcurrency: {
    value: 10,
    unit: 'concurrent batches',
    source: 'assumption',
    calibrate: 'Each concurrent batch holds one database connection; raise while DatabaseConnections and queue age stay healthy.',
  },
  batchSize: { value: 100, unit: 'messages', source: SQS_TRIGGER, factSheet: 'D', note: 'Above 10 needs MaximumBatchingWindowInSeconds of at least 1.' },
  batchingWindow: { value: 5, unit: 's', source: SQS_TRIGGER, factSheet: 'D', note: '0 to 300 s; a window of at least 1 s is required for batches above 10.' },
} satisfies Record<string, Fact>;
