/**
 * The sandbox format: `sandboxes/<id>/sandbox.json` plus the handler files it names. The site, the
 * CLI and the tests read it through this schema, which is its documentation (every field says what
 * it is). No Node APIs here: the in-page sandbox imports it too.
 */
import { z } from '../lib/zod.ts';
import { engineVersions, rdsKeepalives } from '../facts/postgres.ts';
import { managedInstances } from '../facts/lambda.ts';

const identifier = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('Lower-case letters, digits and dashes.');

/** What every parameter has, whatever its kind. */
const parameterFields = {
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/).describe('Name used by `connlab simulate --set key=value` and by expectations (`parameters.<key>`).'),
  label: z.string().describe('Short label for the control in the page.'),
  description: z.string().describe('One sentence: what changing it shows.'),
  unit: z.string().describe('Unit of the value as the reader sets it, e.g. `s`, `ms`, `connections`, `callers`, `class`.'),
  binds: z
    .array(z.string())
    .min(1)
    .describe('Where the value goes in the run configuration, as dotted paths: `database.instanceClass`, `lambda.env.POOL_MAX`, `traffic.0.concurrency`, `durationMs`.'),
};

export const numberParameterSchema = z
  .object({
    ...parameterFields,
    kind: z.literal('number').describe('A number the reader sets with an input within min..max.'),
    default: z.number().describe('The value a run uses unless told otherwise.'),
    min: z.number().describe('Smallest allowed value.'),
    max: z.number().describe('Largest allowed value.'),
    step: z.number().positive().optional().describe('Granularity of the control; values must be integers when the step is an integer.'),
    scale: z.number().positive().default(1).describe('Multiplier from the reader\'s unit to the engine\'s (e.g. 1000 for seconds to milliseconds).'),
  })
  .superRefine((p, ctx) => {
    if (p.default < p.min || p.default > p.max) ctx.addIssue({ code: 'custom', message: `parameter ${p.key}: default ${p.default} is outside ${p.min}..${p.max}` });
  });

export const choiceParameterSchema = z
  .object({
    ...parameterFields,
    kind: z.literal('choice').describe('One value the reader picks from `choices`.'),
    default: z.string().describe('The value a run uses unless told otherwise; one of `choices`.'),
    choices: z.array(z.string()).min(1).describe('Allowed values.'),
  })
  .superRefine((p, ctx) => {
    if (!p.choices.includes(p.default)) ctx.addIssue({ code: 'custom', message: `parameter ${p.key}: default ${p.default} is not one of the choices ${p.choices.join(', ')}` });
  });

export const parameterSchema = z.discriminatedUnion('kind', [numberParameterSchema, choiceParameterSchema]).describe('A value the reader may change.');

const duration = z.number().nonnegative();

export const trafficPhaseSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('steady').describe('Open arrivals at a constant mean rate (Poisson).'),
      startMs: duration.describe('When the phase starts, virtual ms.'),
      durationMs: duration.describe('How long it lasts, virtual ms.'),
      ratePerSecond: z.number().positive().describe('Mean arrivals per second.'),
    }),
    z.object({
      kind: z.literal('ramp').describe('Open arrivals whose rate changes linearly.'),
      startMs: duration.describe('When the phase starts, virtual ms.'),
      durationMs: duration.describe('How long it lasts, virtual ms.'),
      fromRatePerSecond: z.number().nonnegative().describe('Rate at the start.'),
      toRatePerSecond: z.number().nonnegative().describe('Rate at the end.'),
    }),
    z.object({
      kind: z.literal('spike').describe('N callers that each wait for their answer before calling again.'),
      startMs: duration.describe('When the first caller joins, virtual ms.'),
      durationMs: duration.describe('How long callers keep calling, virtual ms.'),
      concurrency: z.number().int().positive().describe('Number of callers, the concurrency the spike aims at.'),
      rampMs: duration.describe('Callers join evenly over this time.'),
      thinkMs: duration.describe('Pause after a successful answer before the next call.'),
      retryDelayMs: duration.describe('Pause after a failed or throttled call before trying again.'),
    }),
    z.object({
      kind: z.literal('bursts').describe('Repeated spikes.'),
      startMs: duration.describe('Start of the first burst, virtual ms.'),
      count: z.number().int().positive().describe('Number of bursts.'),
      everyMs: z.number().positive().describe('Time from the start of one burst to the next.'),
      burstMs: z.number().positive().describe('Length of each burst.'),
      concurrency: z.number().int().positive().describe('Callers per burst.'),
      rampMs: duration.describe('Callers join evenly over this time.'),
      thinkMs: duration.describe('Pause after a successful answer.'),
      retryDelayMs: duration.describe('Pause after a failed or throttled call.'),
    }),
  ])
  .describe('One phase of traffic; phases may overlap.');

export const expressionSchema: z.ZodType<Expression> = z
  .lazy(() =>
    z.union([
      z.number(),
      z.string().describe('A dotted path into the run report, e.g. `database.peakConnections`, `errorsByCode.53300`, `parameters.poolMax`, `series.DatabaseConnections.45`.'),
      z.object({ product: z.array(expressionSchema) }),
      z.object({ min: z.array(expressionSchema) }),
      z.object({ max: z.array(expressionSchema) }),
      z.object({ sum: z.array(expressionSchema) }),
      z.object({ difference: z.tuple([expressionSchema, expressionSchema]) }),
      z.object({ ratio: z.tuple([expressionSchema, expressionSchema]) }),
    ]),
  )
  .describe('A number, a path into the report, or an arithmetic combination.');

export type Expression = number | string | { product: Expression[] } | { min: Expression[] } | { max: Expression[] } | { sum: Expression[] } | { difference: [Expression, Expression] } | { ratio: [Expression, Expression] };

export const checkSchema = z
  .object({
    left: expressionSchema,
    op: z.enum(['<', '<=', '==', '>=', '>']).describe('Comparison.'),
    right: expressionSchema,
  })
  .describe('left op right, evaluated on the run report.');

export const expectationSchema = z
  .object({
    id: identifier.describe('Stable name, used in test output.'),
    text: z.string().describe('The claim in words, as the chapter states it.'),
    plain: z.string().optional().describe('The claim in plain words for the page\'s "what to look for" checklist, when `text` uses metric names or jargon; `text` is shown otherwise.'),
    variant: z.string().describe('The variant whose run it is about.'),
    parameters: z.record(z.string(), z.union([z.number(), z.string()])).default({}).describe('Parameter values for this run (others keep their defaults).'),
    checks: z.array(checkSchema).min(1).describe('All must hold.'),
  })
  .describe('A behaviour the sandbox promises, asserted by its tests.');

/** What the live chart can draw (src/engine/metrics/sampler.ts names them as the run records them). */
export const CHART_SERIES = [
  'ConcurrentExecutions',
  'DatabaseConnections',
  'EnvironmentsAlive',
  'ZombieConnections',
  'proxy.ClientConnections',
  'proxy.DatabaseConnections',
  'proxy.DatabaseConnectionsCurrentlySessionPinned',
  'proxy.BorrowQueueLength',
  'sqs.MessagesInQueue',
  'dynamodb.ConsumedWriteUnits',
  'dynamodb.ThrottledRequests',
] as const;
/** Limit lines the run reports: the instance's max_connections, or the proxy's cap on database connections. */
export const CHART_LIMITS = ['max_connections', 'proxy.MaxDatabaseConnectionsAllowed'] as const;

export const chartSchema = z
  .object({
    series: z
      .array(z.object({ name: z.enum(CHART_SERIES).describe('The series.'), label: z.string().max(24).describe('Short legend label (the legend fits two rows on a phone).') }))
      .min(1)
      .max(4)
      .describe('The lines of the main plot, first drawn on top.'),
    limit: z
      .object({
        name: z.enum(CHART_LIMITS).describe('Which limit.'),
        label: z.string().describe('Its label; the value follows ("max_connections 112").'),
        reachedBy: z.enum(CHART_SERIES).describe('The series whose reaching the limit is marked "limit reached".'),
      })
      .nullable()
      .describe('A labelled line with the area above it shaded, or null where no connection limit applies (DynamoDB).'),
    marks: z.enum(['iam-token-expiry']).optional().describe('Vertical marks at a recurring moment: each IAM token lifetime (15 minutes) from the start.'),
  })
  .describe('What the live chart draws; errors always get their own strip below it.');

export const DEFAULT_CHART: z.infer<typeof chartSchema> = {
  series: [
    { name: 'DatabaseConnections', label: 'DB connections' },
    { name: 'ConcurrentExecutions', label: 'Executions' },
  ],
  limit: { name: 'max_connections', label: 'max_connections', reachedBy: 'DatabaseConnections' },
};

export const variantSchema = z
  .object({
    id: identifier.describe('e.g. `before`, `after`.'),
    label: z.string().describe('Tab label in the page.'),
    handler: z.string().regex(/^[\w.-]+\.(m?js|ts)$/).describe('Handler file in the sandbox folder (JavaScript or TypeScript).'),
    description: z.string().describe('What this version of the code does differently.'),
    extension: z
      .enum(['none', 'internal', 'external'])
      .optional()
      .describe('The extension this version of the function registers, in place of `lambda.extension`: registering one is part of the deployment (a layer, or code the runtime starts), not of the handler.'),
    parameters: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .default({})
      .describe('Defaults of this version where they differ from the parameters\' own: an export whose lesson needs three callers, not the thousand the sandbox\'s spike brings. A reader\'s value still wins.'),
    timeoutIsTheLesson: z
      .string()
      .optional()
      .describe('Why this version is meant to end in Lambda\'s "Task timed out": its handler\'s connect and query bounds need not end before the function timeout, as every other handler\'s must.'),
  })
  .describe('One version of the handler code.');

export const sandboxSchema = z
  .object({
    $schema: z.string().optional().describe('Editor hint only.'),
    id: identifier.describe('Folder name under `sandboxes/`, used by `<Sandbox id="…"/>` and `connlab simulate <id>`.'),
    title: z.string().describe('Heading shown above the sandbox.'),
    summary: z.string().describe('What to look for when it runs, in one or two sentences.'),
    pattern: z.string().describe('The connection pattern the code shows, e.g. `client-per-invocation`, `module-pool`.'),
    seed: z.number().int().nonnegative().describe('Seed of the run\'s random draws; a run is a function of (sandbox, code, parameters, seed).'),
    durationMs: z.number().positive().max(3_600_000).describe('Virtual time the run covers.'),
    parameters: z.array(parameterSchema).describe('What the reader may change.'),
    database: z
      .object({
        host: z.string().describe('Host name the handler connects to (its PGHOST).'),
        port: z.number().int().describe('Port, normally 5432.'),
        instanceClass: z.string().describe('RDS instance class: sets nominal memory (hence the nominal max_connections) and vCPUs.'),
        engineVersion: z.enum(engineVersions.choices.value).default(engineVersions.default.value).describe('RDS for PostgreSQL major version: sets the wording of the reserved-slot error (RDS patches it on 15 and older).'),
        maxConnections: z
          .number()
          .int()
          .nonnegative()
          .nullable()
          .default(null)
          .describe('max_connections as `SHOW max_connections` reports it on your instance; null or 0 uses the formula on the class\'s nominal memory, which overstates it.'),
        idleSessionTimeoutMs: z.number().nonnegative().default(0).describe('idle_session_timeout; 0 is off, the PostgreSQL and RDS default.'),
        tcpKeepalives: z
          .object({
            idleMs: z.number().positive().describe('tcp_keepalives_idle, in ms.'),
            intervalMs: z.number().positive().describe('tcp_keepalives_interval, in ms.'),
            count: z.number().int().positive().describe('tcp_keepalives_count.'),
          })
          .default(rdsKeepalives)
          .describe('The server\'s TCP keepalives (RDS defaults 300 s, 30 s, 2): a vanished client\'s connection is dropped idle + interval × count after its last traffic.'),
        unavailable: z
          .object({
            startMs: duration.describe('When the instance stops answering, virtual ms: its open connections are reset.'),
            endMs: duration.describe('When it answers new connections again, virtual ms.'),
          })
          .refine((w) => w.endMs > w.startMs, { message: 'unavailable.endMs must come after startMs' })
          .nullable()
          .default(null)
          .describe('A failover (or an instance too saturated to start a backend): from startMs to endMs, new connections complete TCP but their start-up packet is never answered. null: always available.'),
        sessionWaitLimitMs: z.number().positive().default(5_000).describe('Simulator limit: how long a connection waits for another connection\'s open transaction.'),
        users: z.record(z.string(), z.string()).describe('Login roles and their passwords (`postgres` is the superuser).'),
        setupSql: z.string().describe('SQL run before the traffic starts (tables, rows).'),
      })
      .describe('The RDS for PostgreSQL instance.'),
    proxy: z
      .object({
        name: z.string().default('proxy').describe('DBProxyName, as in the event log.'),
        host: z.string().describe('The proxy endpoint host name the handler connects to (its PGHOST).'),
        port: z.number().int().default(5432).describe('Proxy port; 5432 for the POSTGRESQL engine family.'),
        maxConnectionsPercent: z.number().int().min(1).max(100).default(100).describe('MaxConnectionsPercent of the target group: the pool cap as a % of max_connections.'),
        maxIdleConnectionsPercent: z.number().int().min(0).max(100).nullable().default(null).describe('MaxIdleConnectionsPercent; null is AWS\'s default, half of MaxConnectionsPercent.'),
        connectionBorrowTimeoutMs: z.number().min(0).max(300_000).default(120_000).describe('ConnectionBorrowTimeout (0 to 300 s, default 120 s), in ms.'),
        idleClientTimeoutMs: z.number().min(1_000).max(28_800_000).default(1_800_000).describe('IdleClientTimeout (1 s to 8 h, default 30 min), in ms.'),
        iamAuth: z.enum(['DISABLED', 'REQUIRED']).default('DISABLED').describe('IAMAuth of the proxy\'s auth: REQUIRED makes clients present an IAM token (over TLS) instead of the password. The proxy logs in to the database with the secrets in `database.users` either way.'),
        region: z.string().default('us-east-1').describe('Region IAM tokens must be signed for.'),
        iamCredentials: z.record(z.string(), z.string()).default({}).describe('What IAM knows: access key id -> secret access key of the (fake) credentials the function signs tokens with.'),
      })
      .optional()
      .describe('An RDS Proxy in front of the instance (src/engine/proxy). Absent: the function reaches the instance directly.'),
    dsql: z
      .object({
        region: z.string().default('us-east-1').describe('Region of the cluster: tokens must be signed for it.'),
        iamCredentials: z.record(z.string(), z.string()).describe('What IAM knows: access key id -> secret access key of the (fake) credentials the function signs tokens with.'),
        roles: z.array(z.string()).default(['admin']).describe('Database roles that may log in; `admin` signs in with getDbConnectAdminAuthToken(), the others with getDbConnectAuthToken().'),
        host: z.string().nullable().default(null).describe('The cluster endpoint, when it is not `database.host` (the arena, whose other variants use the instance). null: `database.host`.'),
        variants: z.array(z.string()).nullable().default(null).describe('The variants that run against the cluster; the others run against the instance. null: every variant.'),
        setupSql: z.string().nullable().default(null).describe('The cluster\'s tables, when they differ from the instance\'s (DSQL has no sequences, so no serial keys). null: `database.setupSql`.'),
      })
      .optional()
      .describe('The database is an Aurora DSQL cluster (src/engine/dsql) at `database.host` (or `dsql.host`), for every variant or those `dsql.variants` names: IAM tokens only, the cluster\'s connection rate and burst, 60-minute sessions, max_connections the cluster quota; `database.instanceClass` only sets the vCPUs that serve it, and `database.setupSql` its tables.'),
    dataApi: z
      .object({
        resourceArn: z.string().describe('The cluster ARN handlers pass as `resourceArn`.'),
        secrets: z.record(z.string(), z.string()).describe('Secrets Manager ARN -> login role in `database.users` (the secret holds that role\'s password).'),
        poolConnections: z.number().int().positive().optional().describe('Connections the Data API keeps to the writer; defaults to facts.dataApi.poolConnections (an assumption).'),
      })
      .optional()
      .describe('The RDS Data API in front of the instance (src/engine/dataapi), reached with @aws-sdk/client-rds-data. Refused with HttpEndpointNotEnabledException on T instance classes, as on AWS.'),
    dynamodb: z
      .object({
        tables: z.array(z.record(z.string(), z.unknown())).min(1).describe('CreateTable inputs (TableName, KeySchema, AttributeDefinitions, BillingMode…), created before the traffic starts.'),
      })
      .optional()
      .describe('DynamoDB tables (src/engine/dynamodb), reached with @aws-sdk/client-dynamodb or @aws-sdk/lib-dynamodb.'),
    sqs: z
      .object({
        queueName: z.string().describe('Queue name; its URL is https://sqs.us-east-1.amazonaws.com/123456789012/<name>.'),
        visibilityTimeoutMs: z.number().positive().default(30_000).describe('The queue\'s VisibilityTimeout, in ms.'),
        consumer: z
          .object({
            name: z.string().describe('Function name of the consumer, as in the logs.'),
            handler: z.string().regex(/^[\w.-]+\.(m?js|ts)$/).describe('Consumer handler file in the sandbox folder.'),
            memoryMb: z.number().int().min(128).max(10240).default(512).describe('Memory size of the consumer (shown in REPORT lines).'),
            timeoutMs: z.number().positive().max(900_000).default(30_000).describe('Consumer function timeout.'),
            reservedConcurrency: z.number().int().nonnegative().nullable().default(null).describe('Reserved concurrency of the consumer, or null for the account pool.'),
            env: z.record(z.string(), z.string()).default({}).describe('Its environment variables.'),
          })
          .describe('The function the event source mapping invokes with batches.'),
        eventSourceMapping: z
          .object({
            batchSize: z.number().int().min(1).max(10_000).default(10).describe('BatchSize.'),
            maximumBatchingWindowMs: z.number().min(0).max(300_000).default(0).describe('MaximumBatchingWindowInSeconds, in ms.'),
            maximumConcurrency: z.number().int().min(2).max(1000).nullable().default(null).describe('ScalingConfig.MaximumConcurrency, or null for none.'),
            reportBatchItemFailures: z.boolean().default(false).describe('FunctionResponseTypes: ["ReportBatchItemFailures"].'),
          })
          .describe('The event source mapping from the queue to the consumer.'),
      })
      .optional()
      .describe('An SQS queue drained by a consumer function (src/engine/sqs); producers send with @aws-sdk/client-sqs.'),
    secretsManager: z
      .object({
        secrets: z
          .record(z.string(), z.string())
          .describe('Secret name -> login role in `database.users`: the secret holds that role\'s credentials as RDS stores them (engine, host, port, username, password, dbname).'),
        rotation: z
          .object({
            secret: z.string().describe('The secret to rotate (a name in `secrets`).'),
            strategy: z.literal('single-user').describe('The rotation strategy: single user changes the one user\'s password, with no overlap between the old and the new one.'),
            atMs: z.number().nonnegative().describe('Virtual time at which Secrets Manager starts the rotation.'),
          })
          .optional()
          .describe('One rotation during the run, by the rotation function AWS\'s template for PostgreSQL describes (src/engine/secretsmanager/rotation.ts).'),
      })
      .optional()
      .describe('Secrets in AWS Secrets Manager (src/engine/secretsmanager), read with @aws-sdk/client-secrets-manager.'),
    lambda: z
      .object({
        name: z.string().describe('Function name, as in the logs.'),
        memoryMb: z.number().int().min(128).max(10240).describe('Memory size (shown in REPORT lines).'),
        timeoutMs: z.number().positive().max(900_000).describe('Function timeout.'),
        reservedConcurrency: z.number().int().nonnegative().nullable().default(null).describe('Reserved concurrency, or null for the account pool.'),
        accountConcurrency: z.number().int().positive().default(1000).describe('Account concurrency quota in the Region.'),
        idleLifetimeMs: z.number().positive().describe('How long an idle environment lives before Lambda reclaims it (AWS publishes no value).'),
        extension: z
          .enum(['none', 'internal', 'external'])
          .default('none')
          .describe('The extension the function registers. With one, a reclaimed environment\'s runtime gets SIGTERM and 500 ms (internal) or 300 ms (external) before SIGKILL; with none, no shutdown code runs.'),
        env: z.record(z.string(), z.string()).describe('Environment variables (`process.env`).'),
        compute: z
          .object({
            kind: z.literal('managed-instances').describe('Lambda Managed Instances (src/engine/lambda/managed.ts): several invocations at once per environment, no freeze, capacity scaled on CPU utilisation.'),
            perExecutionEnvironmentMaxConcurrency: z
              .number()
              .int()
              .min(1)
              .max(managedInstances.maxConcurrencyPerEnvironment.value)
              .nullable()
              .default(null)
              .describe('PerExecutionEnvironmentMaxConcurrency; null is the Node.js default, 64 per vCPU. Lambda tells the code in AWS_LAMBDA_MAX_CONCURRENCY.'),
            vcpus: z.number().int().min(managedInstances.minimumVcpus.value).max(16).default(1).describe('vCPUs per execution environment (the smallest function: 1 vCPU, 2 GB).'),
            cpuMsPerInvocation: z.number().positive().default(managedInstances.cpuPerInvocation.value).describe('CPU time each invocation uses, which the scaler\'s utilisation counts (an assumption; src/facts).'),
          })
          .optional()
          .describe('The compute the function runs on; absent: the default compute (one invocation per environment, frozen between invocations).'),
        event: z.record(z.string(), z.unknown()).default({}).describe('The event each invocation receives; `{"randomInt": [lo, hi]}` values are drawn per invocation.'),
      })
      .describe('The function.'),
    traffic: z.array(trafficPhaseSchema).min(1).describe('Who calls the function, and when.'),
    detailedReport: z
      .boolean()
      .default(false)
      .describe('Adds the function\'s timeouts, SIGTERMs and billed duration (`lambda.timeouts`, `lambda.sigterms`, `lambda.billedDurationMs`) and the database\'s closed connections by reason (`database.closesByReason`) to the report and the summary. Off in the sandboxes recorded before these fields existed, so their recordings stand.'),
    variants: z.array(variantSchema).min(1).describe('Versions of the handler; the first is the default.'),
    expectations: z.array(expectationSchema).describe('What the tests assert.'),
    notModelled: z.array(z.string()).describe('What this sandbox does not model, so nobody over-reads it.'),
    chart: chartSchema.default(DEFAULT_CHART).describe('The live chart\'s series and limit; database connections and concurrent executions against max_connections unless told otherwise.'),
  })
  .superRefine((s, ctx) => {
    const variants = new Set(s.variants.map((v) => v.id));
    const keys = new Set(s.parameters.map((p) => p.key));
    for (const e of s.expectations) {
      if (!variants.has(e.variant)) ctx.addIssue({ code: 'custom', message: `expectation ${e.id}: unknown variant ${e.variant}` });
      for (const key of Object.keys(e.parameters)) if (!keys.has(key)) ctx.addIssue({ code: 'custom', message: `expectation ${e.id}: unknown parameter ${key}` });
    }
    for (const v of s.variants) for (const key of Object.keys(v.parameters)) if (!keys.has(key)) ctx.addIssue({ code: 'custom', message: `variant ${v.id}: unknown parameter ${key}` });
    for (const v of s.dsql?.variants ?? []) if (!variants.has(v)) ctx.addIssue({ code: 'custom', message: `dsql.variants: unknown variant ${v}` });
  })
  .describe('A sandbox: a scenario, the handler code it runs, and what it shows.');

export type Sandbox = z.infer<typeof sandboxSchema>;
export type SandboxParameter = z.infer<typeof parameterSchema>;
export type NumberParameter = z.infer<typeof numberParameterSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type TrafficPhaseDefinition = z.infer<typeof trafficPhaseSchema>;

/** A definition with the text of its files, as the engine receives it (from disk in Node, from the bundle in the page). */
export interface SandboxSource {
  definition: Sandbox;
  /** File name -> source text. */
  files: Readonly<Record<string, string>>;
}
