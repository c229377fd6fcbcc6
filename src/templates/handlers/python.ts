/**
 * Python handlers (psycopg 3, boto3) for every pattern. A Python execution environment serves one
 * invocation at a time, so the "pool" is one module-level connection, checked and reopened.
 */
import type { GenerateOptions } from '../../vocabulary/choices.ts';
import { code, header } from '../project.ts';
import { clientSettings } from '../../facts/starter-code.ts';
import { iamToken } from '../../facts/rds-proxy.ts';
import { shutdown } from '../../facts/lambda.ts';
import { dsqlConnections, dsqlErrors, dsqlRetry } from '../../facts/aurora-dsql.ts';

/** PEP 8: two blank lines between top-level blocks. */
const blocks = (...parts: string[]): string => parts.map((part) => part.replace(/\n+$/, '')).join('\n\n\n') + '\n';

const HANDLER_KEYS = ['pattern', 'language', 'auth'] as const;

export function pythonHandler(options: GenerateOptions): string {
  const head = header('hash', options, HANDLER_KEYS, 'the Lambda handler.');
  switch (options.pattern) {
    case 'module-pool':
    case 'rds-proxy':
    case 'aurora-dsql':
      return head + blocks(connection(options), orderHandler);
    case 'sqs-batching':
      return head + blocks(connection(options), sqsHandler);
    case 'data-api':
      return head + dataApi;
    case 'dynamodb':
      return head + dynamo;
  }
}

function connection(options: GenerateOptions): string {
  const iam = options.auth === 'iam';
  const dsql = options.pattern === 'aurora-dsql';
  const credentials = dsql
    ? code`
        # Aurora DSQL takes only IAM tokens. Signing is local (no network call); a token lives ${dsqlConnections.tokenDefaultLifetime.value / 60} minutes and is
        # checked only when a connection opens, so a new one is made for every new connection. This custom
        # database role signs for DbConnect (IAM action dsql:DbConnect); only the admin role needs DbConnectAdmin.
        _dsql = boto3.client("dsql", region_name=os.environ["AWS_REGION"])


        def _password() -> str:
            return _dsql.generate_db_connect_auth_token(Hostname=HOST, Region=os.environ["AWS_REGION"])
      `
    : iam
    ? code`
        # Token signing is local (no network call). A token lives ${iamToken.lifetime.value / 60_000} minutes and is checked only
        # when a connection opens, so a new one is made for every new connection.
        _rds = boto3.client("rds", region_name=os.environ["AWS_REGION"])


        def _password() -> str:
            return _rds.generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER, Region=os.environ["AWS_REGION"])
      `
    : code`
        # AWS_ENDPOINT_URL_SECRETS_MANAGER is unset in Lambda (boto3 then uses the Region's endpoint);
        # local tests point it at a stand-in service.
        _secrets = boto3.client("secretsmanager", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"))


        def _read_password() -> str:
            secret = json.loads(_secrets.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
            return secret["password"]


        # Read once, at INIT, and kept: no API call per connection, and never a plain-text copy in the
        # function's environment variables.
        _cached_password = _read_password()


        def _password() -> str:
            return _cached_password
      `;
  const connect = dsql
    ? code`
        def _connect() -> "psycopg.Connection":
            """A cluster accepts ${dsqlConnections.ratePerCluster.value} new connections a second (a burst of up to ${dsqlConnections.burstCapacity.value}); past that it refuses
            with ${dsqlErrors.rateExceeded.value.code}. When a deploy or a burst starts many environments at once, each waits a random time
            (full jitter, growing per attempt) and tries again, so the retries spread out instead of arriving together."""
            for attempt in range(1, ${dsqlRetry.attempts.value + 1}):
                try:
                    return _open(_password())
                except psycopg.OperationalError as error:
                    if attempt == ${dsqlRetry.attempts.value} or not _is_rate_exceeded(error):
                        raise
                    time.sleep(random.uniform(0, min(${dsqlRetry.maxDelay.value / 1000}, ${dsqlRetry.baseDelay.value / 1000} * 2**attempt)))
            raise AssertionError("unreachable")


        def _is_rate_exceeded(error: psycopg.OperationalError) -> bool:
            # libpq gives a failed connection no SQLSTATE in older psycopg versions, so the message is matched too.
            return error.sqlstate == "${dsqlErrors.rateExceeded.value.code}" or "${dsqlErrors.rateExceeded.value.message.replace(/\.$/, '')}" in str(error)
      `
    : iam
    ? code`
        def _connect() -> "psycopg.Connection":
            return _open(_password())
      `
    : code`
        def _is_invalid_password(error: psycopg.OperationalError) -> bool:
            # libpq gives a failed connection no SQLSTATE in older psycopg versions, so the message of
            # 28P01 (invalid_password) is matched too.
            return error.sqlstate == "28P01" or "password authentication failed" in str(error)


        def _connect() -> "psycopg.Connection":
            """After the secret is rotated, the cached password fails with 28P01 on the next new connection:
            read the secret again and retry once."""
            global _cached_password
            try:
                return _open(_password())
            except psycopg.OperationalError as error:
                if not _is_invalid_password(error):
                    raise
                _cached_password = _read_password()
                return _open(_cached_password)
      `;
  const target = options.pattern === 'rds-proxy' ? 'the RDS Proxy endpoint' : dsql ? 'the Aurora DSQL cluster endpoint' : 'the database endpoint';
  const caBundle = dsql
    ? code`
        # Aurora DSQL refuses connections without TLS. Full verification against Amazon Root CA 1, the authority
        # its certificates chain to; DB_CA_BUNDLE points elsewhere only for local tests.
        CA_BUNDLE = os.environ.get("DB_CA_BUNDLE", str(Path(__file__).with_name("AmazonRootCA1.pem")))
      `
    : code`
        # TLS with full verification against the RDS CA bundle; DB_CA_BUNDLE points elsewhere only for local tests.
        CA_BUNDLE = os.environ.get("DB_CA_BUNDLE", str(Path(__file__).with_name("global-bundle.pem")))
      `;
  const closer = options.pattern === 'rds-proxy' ? "proxy's IdleClientTimeout" : dsql ? 'cluster' : "server's idle_session_timeout";
  return blocks(
    code`
      import json
      import os
      ${dsql ? 'import random' : ''}
      import signal
      import sys
      import time
      from pathlib import Path

      import boto3
      import psycopg

      # Everything at module level runs once per execution environment (INIT).
      HOST = os.environ["DB_HOST"]  # ${target}
      PORT = int(os.environ.get("DB_PORT", "5432"))
      USER = os.environ["DB_USER"]
      DBNAME = os.environ["DB_NAME"]
      ${caBundle}
      # Close a connection idle this long before the ${closer} can: a frozen
      # environment runs no timers, so the age is checked when the next invocation starts.
      IDLE_SECONDS = ${clientSettings.poolIdleTimeout.value}
      ${dsql ? sessionLifetime : ''}
    `,
    credentials,
    code`
      _connection = None
      _last_used = 0.0
      ${dsql ? '_opened = 0.0' : ''}


      def _open(password: str) -> "psycopg.Connection":
          return psycopg.connect(
              host=HOST,
              port=PORT,
              user=USER,
              dbname=DBNAME,
              password=password,
              sslmode="verify-full",
              sslrootcert=CA_BUNDLE,
              # Bounds on the client side: opening a connection, and noticing a server that vanished
              # while a query was in flight. ${dsql ? `Aurora DSQL ends a transaction after ${dsqlConnections.maxTransactionDuration.value / 60_000} minutes.` : "The server's statement_timeout (schema.sql) bounds the query."}
              connect_timeout=${clientSettings.connectTimeout.value},
              keepalives=1,
              keepalives_idle=${clientSettings.tcpKeepalives.value.idle},
              keepalives_interval=${clientSettings.tcpKeepalives.value.interval},
              keepalives_count=${clientSettings.tcpKeepalives.value.count},
              application_name="lambda",
              # Statements commit on their own unless wrapped in conn.transaction(): no session is left
              # idle in a transaction, which would hold a proxy's or PgBouncer's server connection.
              autocommit=True,
          )
    `,
    connect,
    code`
      def connection() -> "psycopg.Connection":
          """The environment's one connection: reused while healthy, reopened when closed, broken or idle too long."""
          global _connection, _last_used${dsql ? ', _opened' : ''}
          if _connection is not None and (_connection.closed or _connection.broken or time.monotonic() - _last_used > IDLE_SECONDS${dsql ? ' or time.monotonic() - _opened > MAX_LIFETIME_SECONDS' : ''}):
              _connection.close()
              _connection = None
          if _connection is None:
              _connection = _connect()
              ${dsql ? '_opened = time.monotonic()' : ''}
          _last_used = time.monotonic()
          return _connection


      def with_connection(work):
          """Runs work(conn). If a reused connection turns out to have been closed by the server (a restart,
          a failover, a timeout while the environment was frozen), it is replaced and the work runs once more:
          the failed transaction was rolled back with the connection."""
          reused = _connection is not None and not _connection.closed
          conn = connection()
          try:
              return work(conn)
          except psycopg.OperationalError:
              if not (reused and conn.broken):
                  raise
              close()
              return work(connection())


      def close() -> None:
          global _connection
          if _connection is not None:
              _connection.close()
              _connection = None


      def _on_sigterm(signum, frame) -> None:
          """Before it retires an environment, Lambda sends SIGTERM, but only to a function with an extension
          registered (an internal one, or a layer such as Lambda Insights), and SIGKILL follows ${shutdown.runtimeGraceInternalExtension.value} ms later
          (${shutdown.runtimeGraceExternalExtension.value} ms with external extensions only). Closing the connection sends PostgreSQL's Terminate: the
          server frees it at once instead of keeping it until a timeout notices. Never on a crash or a timeout."""
          close()
          sys.exit(0)


      signal.signal(signal.SIGTERM, _on_sigterm)
    `,
  );
}

/** Aurora DSQL ends a session after an hour: the connection is replaced first, leaving room for a transaction to finish. */
const sessionLifetime = [
  `# Aurora DSQL closes a session after ${dsqlConnections.maxSessionDuration.value / 60_000} minutes. Replace the connection after`,
  `# ${(dsqlConnections.maxSessionDuration.value - dsqlConnections.maxTransactionDuration.value) / 60_000}, so a transaction (at most ${dsqlConnections.maxTransactionDuration.value / 60_000} minutes) never meets the end of its session.`,
  `MAX_LIFETIME_SECONDS = ${(dsqlConnections.maxSessionDuration.value - dsqlConnections.maxTransactionDuration.value) / 1000}`,
].join('\n');

const orderHandler = code`
  def handler(event, context=None):
      customer_id = event.get("customerId")
      amount_cents = event.get("amountCents")
      if not isinstance(customer_id, str) or not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
          raise ValueError("Expected {customerId: str, amountCents: int}")

      def record(conn):
          # One transaction: with RDS Proxy the database connection is borrowed only for its duration.
          with conn.transaction():
              with conn.cursor() as cur:
                  cur.execute(
                      "INSERT INTO orders (customer_id, amount_cents) VALUES (%s, %s) RETURNING id",
                      (customer_id, amount_cents),
                  )
                  order_id = cur.fetchone()[0]
                  cur.execute(
                      "SELECT count(*), coalesce(sum(amount_cents), 0) FROM orders WHERE customer_id = %s",
                      (customer_id,),
                  )
                  orders, total_cents = cur.fetchone()
          return {"orderId": str(order_id), "orders": int(orders), "totalCents": int(total_cents)}

      return with_connection(record)
`;

const sqsHandler = code`
  def handler(event, context=None):
      """Writes a whole batch in one statement; MaximumConcurrency caps concurrent batches, so connections."""
      failures = []
      orders = []
      for record in event["Records"]:
          try:
              body = json.loads(record["body"])
              if not isinstance(body.get("customerId"), str) or not isinstance(body.get("amountCents"), int):
                  raise ValueError("bad message")
              orders.append((record["messageId"], body["customerId"], body["amountCents"]))
          except ValueError:
              print(f"Malformed message {record['messageId']}; it goes back to the queue and then to the dead-letter queue")
              failures.append({"itemIdentifier": record["messageId"]})
      if not orders:
          return {"batchItemFailures": failures}

      def insert(conn):
          with conn.transaction():
              with conn.cursor() as cur:
                  # SQS delivers at least once: message_id is unique, so a redelivered message inserts nothing.
                  cur.execute(
                      "INSERT INTO orders (message_id, customer_id, amount_cents) "
                      "SELECT * FROM unnest(%s::text[], %s::text[], %s::int[]) ON CONFLICT (message_id) DO NOTHING",
                      ([o[0] for o in orders], [o[1] for o in orders], [o[2] for o in orders]),
                  )

      try:
          with_connection(insert)
      except psycopg.Error as error:
          print(f"Batch insert failed; its messages will be retried: {error}")
          failures.extend({"itemIdentifier": o[0]} for o in orders)
      return {"batchItemFailures": failures}
`;

const dataApi = code`
  import os

  import boto3

  # The Data API is HTTPS: no VPC, no connection, no pool. The client is created once per environment.
  # AWS_ENDPOINT_URL_RDS_DATA is unset in Lambda; local tests point it at a stand-in service.
  _client = boto3.client("rds-data", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_RDS_DATA"))
  _TARGET = {"resourceArn": os.environ["DB_CLUSTER_ARN"], "secretArn": os.environ["DB_SECRET_ARN"]}


  def handler(event, context=None):
      customer_id = event.get("customerId")
      amount_cents = event.get("amountCents")
      if not isinstance(customer_id, str) or not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
          raise ValueError("Expected {customerId: str, amountCents: int}")
      database = os.environ["DB_NAME"]
      # A transaction idle for 3 minutes is rolled back by the service; this one lasts milliseconds.
      transaction_id = _client.begin_transaction(database=database, **_TARGET)["transactionId"]
      try:
          inserted = _client.execute_statement(
              database=database,
              transactionId=transaction_id,
              sql="INSERT INTO orders (customer_id, amount_cents) VALUES (:customerId, :amountCents) RETURNING id",
              parameters=[
                  {"name": "customerId", "value": {"stringValue": customer_id}},
                  {"name": "amountCents", "value": {"longValue": amount_cents}},
              ],
              **_TARGET,
          )
          total = _client.execute_statement(
              database=database,
              transactionId=transaction_id,
              sql="SELECT count(*) AS orders, coalesce(sum(amount_cents), 0)::bigint AS total_cents FROM orders WHERE customer_id = :customerId",
              parameters=[{"name": "customerId", "value": {"stringValue": customer_id}}],
              **_TARGET,
          )
          _client.commit_transaction(transactionId=transaction_id, **_TARGET)
      except Exception:
          _client.rollback_transaction(transactionId=transaction_id, **_TARGET)
          raise
      row = total["records"][0]
      return {
          "orderId": str(inserted["records"][0][0]["longValue"]),
          "orders": int(row[0]["longValue"]),
          "totalCents": int(row[1]["longValue"]),
      }
`;

const dynamo = code`
  import os
  import uuid
  from decimal import Decimal

  import boto3
  from boto3.dynamodb.conditions import Key
  from botocore.exceptions import ClientError

  # DynamoDB is HTTPS: no connection limit to exhaust. Created once per environment.
  # AWS_ENDPOINT_URL_DYNAMODB is unset in Lambda; local tests point it at a local DynamoDB.
  _table = boto3.resource("dynamodb", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")).Table(os.environ["TABLE_NAME"])


  def handler(event, context=None):
      customer_id = event.get("customerId")
      amount_cents = event.get("amountCents")
      if not isinstance(customer_id, str) or not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
          raise ValueError("Expected {customerId: str, amountCents: int}")
      # The request id makes a retried invocation write the same item, not a second one.
      order_id = getattr(context, "aws_request_id", None) or str(uuid.uuid4())
      try:
          _table.put_item(
              Item={"customerId": customer_id, "orderId": order_id, "amountCents": Decimal(amount_cents)},
              ConditionExpression="attribute_not_exists(orderId)",
          )
      except ClientError as error:
          if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
              raise
      orders = 0
      total_cents = 0
      query = {"KeyConditionExpression": Key("customerId").eq(customer_id), "ProjectionExpression": "amountCents"}
      while True:
          page = _table.query(**query)
          for item in page.get("Items", []):
              orders += 1
              total_cents += int(item["amountCents"])
          if "LastEvaluatedKey" not in page:
              break
          query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
      return {"orderId": order_id, "orders": orders, "totalCents": total_cents}
`;
