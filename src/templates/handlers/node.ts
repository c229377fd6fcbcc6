/**
 * Node.js handlers (TypeScript or JavaScript) for every pattern. One source per pattern; the
 * JavaScript variant is the same text without the type annotations, so both teach the same lines.
 */
import type { GenerateOptions } from '../../vocabulary/choices.ts';
import { blocks, code, header } from '../project.ts';
import { clientSettings } from '../../facts/starter-code.ts';
import { iamToken } from '../../facts/rds-proxy.ts';
import { managedInstances, shutdown } from '../../facts/lambda.ts';
import { dsqlConnections, dsqlErrors, dsqlRetry } from '../../facts/aurora-dsql.ts';

const HANDLER_KEYS = ['pattern', 'language', 'auth'] as const;
const MANAGED_INSTANCES_HANDLER_KEYS = [...HANDLER_KEYS, 'compute'] as const;

export function nodeHandler(options: GenerateOptions): string {
  const ts = options.language === 'typescript';
  const t = (annotation: string) => (ts ? annotation : '');
  const head = header('slash', options, options.compute === 'managed-instances' ? MANAGED_INSTANCES_HANDLER_KEYS : HANDLER_KEYS, 'the Lambda handler.');
  switch (options.pattern) {
    case 'module-pool':
    case 'rds-proxy':
    case 'aurora-dsql':
      return head + blocks(imports(options, ts, "import type { Context } from 'aws-lambda';"), envHelper(t), pool(options, t), orderHandler(t));
    case 'sqs-batching':
      return head + blocks(imports(options, ts, "import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';"), envHelper(t), pool(options, t), sqsHandler(t));
    case 'data-api':
      return head + blocks(dataApi(t, ts));
    case 'dynamodb':
      return head + blocks(dynamo(t, ts));
  }
}

/**
 * On Managed Instances the invocations of an environment share its pool: one connection per invocation it
 * runs at once, up to its share of the connection budget. On the default compute the variable is unset and
 * the pool keeps one connection.
 */
const managedInstancesPoolSize = code`
  // Lambda Managed Instances: one execution environment runs up to AWS_LAMBDA_MAX_CONCURRENCY
  // invocations at once (PerExecutionEnvironmentMaxConcurrency; unset on the default compute, which
  // runs one), all sharing this pool. It gets a connection for each, up to DB_POOL_SHARE: this
  // environment's share of the function's connection budget (the budget over the most environments
  // the capacity provider runs), so the database sees at most environments × pool size.
  const concurrentInvocations = Number(process.env.${managedInstances.maxConcurrencyVariable.value} ?? '1');
  const poolMax = Math.max(1, Math.min(concurrentInvocations, Number(env('DB_POOL_SHARE'))));
`;

/** Aurora DSQL ends a session after an hour: the pool retires a connection first, leaving room for a transaction to finish. */
const sessionLifetime = [
  `// Aurora DSQL closes a session after ${dsqlConnections.maxSessionDuration.value / 60_000} minutes. Retire a connection when it is returned`,
  `// after ${(dsqlConnections.maxSessionDuration.value - dsqlConnections.maxTransactionDuration.value) / 60_000}, so a transaction (at most ${dsqlConnections.maxTransactionDuration.value / 60_000} minutes) never meets the end of its session.`,
  `maxLifetimeSeconds: ${(dsqlConnections.maxSessionDuration.value - dsqlConnections.maxTransactionDuration.value) / 1000},`,
].join('\n');

const serverBounds = [
  '// Bounds on the client side: opening a connection (TCP, TLS, authentication) and waiting for any',
  "// answer. The server's own statement_timeout (schema.sql) is shorter and cancels a slow query",
  '// first; query_timeout fires only when the server or the network is gone.',
].join('\n');

const dsqlBounds = [
  '// Bounds on the client side: opening a connection (TCP, TLS, authentication) and waiting for any',
  '// answer, so a statement never waits for the function timeout.',
].join('\n');

/** The pool's size and idle timeout comment, by compute. */
const poolMax = (options: GenerateOptions): string => {
  const closer = options.pattern === 'rds-proxy' ? 'proxy (IdleClientTimeout)' : options.pattern === 'aurora-dsql' ? 'cluster' : 'server (idle_session_timeout)';
  return options.compute === 'managed-instances'
    ? [
        '// The invocations running at once in this environment, up to its share of the budget (above).',
        'max: poolMax,',
        `// Close idle connections before the ${closer} does. Managed Instances do not`,
        '// freeze the environment, so this timer fires on time between invocations.',
      ].join('\n')
    : [
        '// One environment serves one invocation at a time: one connection is enough, and the database',
        '// sees at most one connection per concurrent execution environment.',
        `max: ${clientSettings.poolMaxPerEnvironment.value},`,
        `// Close idle connections before the ${closer} does. A frozen environment runs no`,
        '// timers, so after a long pause the timer fires on thaw and the pool reconnects.',
      ].join('\n');
};

function imports(options: GenerateOptions, ts: boolean, typeImport: string): string {
  const lines = ["import { readFileSync } from 'node:fs';", "import pg from 'pg';"];
  if (options.pattern === 'aurora-dsql') lines.push("import { DsqlSigner } from '@aws-sdk/dsql-signer';");
  else if (options.auth === 'iam') lines.push("import { Signer } from '@aws-sdk/rds-signer';");
  else lines.push("import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';");
  if (ts) lines.push(typeImport);
  return lines.join('\n');
}

const envHelper = (t: (s: string) => string) =>
  code`
    function env(name${t(': string')})${t(': string')} {
      const value = process.env[name];
      if (!value) throw new Error('Missing environment variable ' + name);
      return value;
    }
  `;

function pool(options: GenerateOptions, t: (s: string) => string): string {
  const dsql = options.pattern === 'aurora-dsql';
  const target = options.pattern === 'rds-proxy' ? 'the RDS Proxy endpoint' : dsql ? 'the Aurora DSQL cluster endpoint' : 'the database endpoint';
  const credentials = dsql
    ? code`
        // Aurora DSQL takes only IAM tokens: a fresh one for every new connection. A token lives ${dsqlConnections.tokenDefaultLifetime.value / 60} minutes
        // and is checked only when a connection opens. This custom database role signs with DbConnect
        // (IAM action dsql:DbConnect); only the admin role needs DbConnectAdmin.
        const signer = new DsqlSigner({ hostname: host, region: env('AWS_REGION') });
        export const password = ()${t(': Promise<string>')} => signer.getDbConnectAuthToken();
      `
    : options.auth === 'iam'
      ? code`
          // IAM authentication: a fresh token for every new connection. A token lives ${iamToken.lifetime.value / 60_000} minutes
          // and is checked only when a connection opens, so it is never cached beyond that.
          const signer = new Signer({ hostname: host, port, username: user, region: env('AWS_REGION') });
          export const password = ()${t(': Promise<string>')} => signer.getAuthToken();
        `
      : code`
          // The password is read from Secrets Manager once, at INIT, and kept: no API call per connection,
          // and never a plain-text copy in the function's environment variables.
          const secrets = new SecretsManagerClient({});
          async function readPassword()${t(': Promise<string>')} {
            const result = await secrets.send(new GetSecretValueCommand({ SecretId: env('DB_SECRET_ARN') }));
            const secret = JSON.parse(result.SecretString ?? '{}')${t(' as { password?: unknown }')};
            if (typeof secret.password !== 'string') throw new Error('The secret has no password field');
            return secret.password;
          }
          let cachedPassword = await readPassword();
          export const password = ()${t(': string')} => cachedPassword;
        `;
  const connect = dsql
    ? code`
        /**
         * A connection from the pool. A cluster accepts ${dsqlConnections.ratePerCluster.value} new connections a second (a burst of up to
         * ${dsqlConnections.burstCapacity.value}); past that it refuses with ${dsqlErrors.rateExceeded.value.code}. When a deploy or a burst starts many environments at
         * once, each waits a random time (full jitter, growing per attempt) and tries again, so the retries
         * spread out instead of arriving together.
         */
        export async function connect()${t(': Promise<pg.PoolClient>')} {
          for (let attempt = 1; ; attempt++) {
            try {
              return await pool.connect();
            } catch (error) {
              if ((error${t(' as { code?: string }')}).code !== '${dsqlErrors.rateExceeded.value.code}' || attempt === ${dsqlRetry.attempts.value}) throw error;
              const ceiling = Math.min(${dsqlRetry.maxDelay.value}, ${dsqlRetry.baseDelay.value} * 2 ** attempt);
              await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
            }
          }
        }
      `
    : options.auth === 'iam'
      ? code`
          const connect = ()${t(': Promise<pg.PoolClient>')} => pool.connect();
        `
      : code`
          /**
           * A connection from the pool. After the secret is rotated, the cached password fails with 28P01
           * (invalid_password) on the next new connection: read the secret again and retry once.
           */
          export async function connect()${t(': Promise<pg.PoolClient>')} {
            try {
              return await pool.connect();
            } catch (error) {
              if ((error${t(' as { code?: string }')}).code !== '28P01') throw error;
              cachedPassword = await readPassword();
              return pool.connect();
            }
          }
        `;
  return blocks(
    code`
      // Everything here runs once per execution environment (INIT) and is reused by every invocation.
      const host = env('DB_HOST'); // ${target}
      const port = Number(process.env.DB_PORT ?? '5432');
      const user = env('DB_USER');
      const database = env('DB_NAME');
    `,
    options.compute === 'managed-instances' ? managedInstancesPoolSize : '',
    credentials,
    dsql
      ? code`
          // Aurora DSQL refuses connections without TLS. Full verification: its certificate must chain to a
          // certificate authority Node trusts by default and match the host name. DB_CA_BUNDLE is set only
          // for local tests.
          const ca = process.env.DB_CA_BUNDLE ? readFileSync(process.env.DB_CA_BUNDLE, 'utf8') : undefined;
        `
      : code`
          // TLS with full verification (the sslmode=verify-full of libpq): the server certificate must chain
          // to the RDS CA bundle and match the host name. DB_CA_BUNDLE points elsewhere only for local tests.
          const ca = readFileSync(process.env.DB_CA_BUNDLE ?? new URL('../global-bundle.pem', import.meta.url), 'utf8');
        `,
    code`

      export const pool = new pg.Pool({
        host,
        port,
        user,
        database,
        password,
        ssl: { ca, rejectUnauthorized: true },
        ${poolMax(options)}
        idleTimeoutMillis: ${clientSettings.poolIdleTimeout.value * 1000},
        ${dsql ? sessionLifetime : ''}
        ${dsql ? dsqlBounds : serverBounds}
        connectionTimeoutMillis: ${clientSettings.connectTimeout.value * 1000},
        query_timeout: ${clientSettings.queryTimeout.value * 1000},
        // TCP keepalive notices a peer that vanished mid-query. Without a delay Node leaves the
        // operating system's (2 hours on Linux); Node then probes 10 times, 1 s apart.
        keepAlive: true,
        keepAliveInitialDelayMillis: ${clientSettings.tcpKeepalives.value.idle * 1000},
      });

      // Without this listener, a connection closed by the server while idle would crash the runtime.
      pool.on('error', (error) => {
        console.error('Idle database connection failed; the pool will open a new one:', error.message);
      });

      // Before it retires an environment, Lambda sends SIGTERM, but only to a function with an extension
      // registered (an internal one, or a layer such as Lambda Insights), and SIGKILL follows ${shutdown.runtimeGraceInternalExtension.value} ms later
      // (${shutdown.runtimeGraceExternalExtension.value} ms with external extensions only). pool.end() sends PostgreSQL's Terminate: the server frees
      // the connection at once instead of keeping it until a timeout notices. Never on a crash or a timeout.
      process.on('SIGTERM', () => {
        pool.end().catch(() => {});
      });
    `,
    connect,
    code`
      /**
       * The socket died under the driver: a connection the server or the network closed while the
       * environment was frozen, or a connection attempt that never got an answer. Not an SQL error.
       */
      export function isDeadConnection(error${t(': unknown')})${t(': boolean')} {
        const { code, message } = (error ?? {})${t(' as { code?: unknown; message?: unknown }')};
        return (
          code === 'ECONNRESET' ||
          /Connection terminated unexpectedly|Connection terminated due to connection timeout/.test(String(message))
        );
      }

      /**
       * Runs work in one transaction on a pooled connection. A connection that failed under it goes
       * back with release(error), so the pool destroys it instead of lending it again. If the socket was
       * dead before COMMIT was sent, nothing was written: the work runs once more on a new connection.
       */
      export async function inTransaction${t('<T>')}(work${t(': (client: pg.PoolClient) => Promise<T>')})${t(': Promise<T>')} {
        for (let attempt = 1; ; attempt++) {
          let client${t(': pg.PoolClient')};
          try {
            client = await connect();
          } catch (error) {
            if (attempt === 1 && isDeadConnection(error)) continue;
            throw error;
          }
          let committing = false;
          let broken${t(': Error | undefined')};
          try {
            await client.query('BEGIN');
            const result = await work(client);
            committing = true;
            await client.query('COMMIT');
            return result;
          } catch (error) {
            if (isDeadConnection(error) || /Query read timeout/.test(String((error${t(' as Error')})?.message))) {
              broken = error${t(' as Error')};
            } else {
              await client.query('ROLLBACK').catch((rollbackError${t(': Error')}) => {
                broken = rollbackError;
              });
            }
            if (attempt === 1 && !committing && isDeadConnection(error)) continue;
            throw error;
          } finally {
            client.release(broken);
          }
        }
      }
    `,
  );
}

const orderHandler = (t: (s: string) => string) =>
  code`
    ${t("export interface OrderEvent {\n  customerId: string;\n  amountCents: number;\n}\n\nexport interface OrderResult {\n  orderId: string;\n  orders: number;\n  totalCents: number;\n}\n")}
    export const handler = async (event${t(': OrderEvent')}, _context${t('?: Context')})${t(': Promise<OrderResult>')} => {
      if (typeof event.customerId !== 'string' || !Number.isInteger(event.amountCents)) {
        throw new Error('Expected { customerId: string, amountCents: integer }');
      }
      // One transaction: with RDS Proxy the database connection is borrowed only for its duration.
      return inTransaction(async (client) => {
        const inserted = await client.query${t('<{ id: string }>')}(
          'INSERT INTO orders (customer_id, amount_cents) VALUES ($1, $2) RETURNING id',
          [event.customerId, event.amountCents],
        );
        const total = await client.query${t('<{ orders: string; total_cents: string }>')}(
          'SELECT count(*) AS orders, coalesce(sum(amount_cents), 0) AS total_cents FROM orders WHERE customer_id = $1',
          [event.customerId],
        );
        const row = total.rows[0]${t('!')};
        return { orderId: String(inserted.rows[0]${t('!')}.id), orders: Number(row.orders), totalCents: Number(row.total_cents) };
      });
    };
  `;

const sqsHandler = (t: (s: string) => string) =>
  code`
    ${t('interface OrderMessage {\n  messageId: string;\n  customerId: string;\n  amountCents: number;\n}\n')}
    /**
     * Writes a whole batch in one statement and one transaction. The event source mapping's
     * MaximumConcurrency caps how many batches (and so connections) run at once.
     */
    export const handler = async (event${t(': SQSEvent')})${t(': Promise<SQSBatchResponse>')} => {
      const failures${t(": SQSBatchResponse['batchItemFailures']")} = [];
      const orders${t(': OrderMessage[]')} = [];
      for (const record of event.Records) {
        try {
          const body = JSON.parse(record.body);
          if (typeof body.customerId !== 'string' || !Number.isInteger(body.amountCents)) throw new Error('bad message');
          orders.push({ messageId: record.messageId, customerId: body.customerId, amountCents: body.amountCents });
        } catch {
          console.error('Malformed message ' + record.messageId + '; it goes back to the queue and then to the dead-letter queue');
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      if (orders.length === 0) return { batchItemFailures: failures };
      try {
        await inTransaction(async (client) => {
          // SQS delivers at least once: message_id is unique, so a redelivered message inserts nothing.
          await client.query(
            'INSERT INTO orders (message_id, customer_id, amount_cents) ' +
              'SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT (message_id) DO NOTHING',
            [orders.map((o) => o.messageId), orders.map((o) => o.customerId), orders.map((o) => o.amountCents)],
          );
        });
      } catch (error) {
        console.error('Batch insert failed; its messages will be retried:', (error${t(' as Error')}).message);
        for (const order of orders) failures.push({ itemIdentifier: order.messageId });
      }
      return { batchItemFailures: failures };
    };
  `;

const dataApi = (t: (s: string) => string, ts: boolean) =>
  code`
    import {
      BeginTransactionCommand,
      CommitTransactionCommand,
      ExecuteStatementCommand,
      RDSDataClient,
      RollbackTransactionCommand,
    } from '@aws-sdk/client-rds-data';
    ${ts ? "import type { Context } from 'aws-lambda';\n" : ''}
    function env(name${t(': string')})${t(': string')} {
      const value = process.env[name];
      if (!value) throw new Error('Missing environment variable ' + name);
      return value;
    }

    // The Data API is HTTPS: no VPC, no connection, no pool. The client is created once per environment
    // and keeps its HTTP connections alive between invocations.
    const client = new RDSDataClient({});
    const target = { resourceArn: env('DB_CLUSTER_ARN'), secretArn: env('DB_SECRET_ARN'), database: env('DB_NAME') };

    ${t('export interface OrderEvent {\n  customerId: string;\n  amountCents: number;\n}\n\nexport interface OrderResult {\n  orderId: string;\n  orders: number;\n  totalCents: number;\n}\n')}
    export const handler = async (event${t(': OrderEvent')}, _context${t('?: Context')})${t(': Promise<OrderResult>')} => {
      if (typeof event.customerId !== 'string' || !Number.isInteger(event.amountCents)) {
        throw new Error('Expected { customerId: string, amountCents: integer }');
      }
      // A transaction idle for 3 minutes is rolled back by the service; this one lasts milliseconds.
      const { transactionId } = await client.send(new BeginTransactionCommand(target));
      try {
        const inserted = await client.send(
          new ExecuteStatementCommand({
            ...target,
            transactionId,
            sql: 'INSERT INTO orders (customer_id, amount_cents) VALUES (:customerId, :amountCents) RETURNING id',
            parameters: [
              { name: 'customerId', value: { stringValue: event.customerId } },
              { name: 'amountCents', value: { longValue: event.amountCents } },
            ],
          }),
        );
        const total = await client.send(
          new ExecuteStatementCommand({
            ...target,
            transactionId,
            sql: 'SELECT count(*) AS orders, coalesce(sum(amount_cents), 0)::bigint AS total_cents FROM orders WHERE customer_id = :customerId',
            parameters: [{ name: 'customerId', value: { stringValue: event.customerId } }],
          }),
        );
        await client.send(new CommitTransactionCommand({ resourceArn: target.resourceArn, secretArn: target.secretArn, transactionId }));
        const row = total.records?.[0] ?? [];
        return {
          orderId: String(inserted.records?.[0]?.[0]?.longValue),
          orders: Number(row[0]?.longValue ?? 0),
          totalCents: Number(row[1]?.longValue ?? 0),
        };
      } catch (error) {
        await client.send(new RollbackTransactionCommand({ resourceArn: target.resourceArn, secretArn: target.secretArn, transactionId }));
        throw error;
      }
    };
  `;

const dynamo = (t: (s: string) => string, ts: boolean) =>
  code`
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
    ${ts ? "import type { Context } from 'aws-lambda';\n" : ''}
    function env(name${t(': string')})${t(': string')} {
      const value = process.env[name];
      if (!value) throw new Error('Missing environment variable ' + name);
      return value;
    }

    // DynamoDB is HTTPS: no connection limit to exhaust. Created once per environment, the client
    // keeps its TCP connections alive between invocations (the SDK v3 default).
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const tableName = env('TABLE_NAME');

    ${t('export interface OrderEvent {\n  customerId: string;\n  amountCents: number;\n}\n\nexport interface OrderResult {\n  orderId: string;\n  orders: number;\n  totalCents: number;\n}\n')}
    export const handler = async (event${t(': OrderEvent')}, context${t('?: Context')})${t(': Promise<OrderResult>')} => {
      if (typeof event.customerId !== 'string' || !Number.isInteger(event.amountCents)) {
        throw new Error('Expected { customerId: string, amountCents: integer }');
      }
      // The request id makes a retried invocation write the same item, not a second one.
      const orderId = context?.awsRequestId ?? crypto.randomUUID();
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { customerId: event.customerId, orderId, amountCents: event.amountCents },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        );
      } catch (error) {
        if ((error${t(' as Error')}).name !== 'ConditionalCheckFailedException') throw error;
      }
      let orders = 0;
      let totalCents = 0;
      let startKey${t(': Record<string, unknown> | undefined')};
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'customerId = :customerId',
            ExpressionAttributeValues: { ':customerId': event.customerId },
            ProjectionExpression: 'amountCents',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          orders += 1;
          totalCents += Number(item.amountCents);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { orderId, orders, totalCents };
    };
  `;
