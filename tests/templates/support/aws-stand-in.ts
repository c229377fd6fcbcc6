/**
 * Local HTTP stand-ins for the AWS APIs the generated handlers call besides PostgreSQL and
 * DynamoDB (DynamoDB runs on dynalite): Secrets Manager GetSecretValue (and PutSecretValue, which
 * the tests' rotation uses) and the RDS Data API, which logs in with the secret it is given.
 *
 * Each request's shape is checked against what the real API requires (protocol, target, field
 * names and types, known ARNs, named parameters that match the SQL) and a shape error is returned
 * the way the SDKs parse AWS errors. Data API statements then run on the real PostgreSQL, so the
 * handler's SQL is exercised too. The project's emulators (issue 6) can replace this module: the
 * handlers only see `AWS_ENDPOINT_URL_SECRETS_MANAGER` and `AWS_ENDPOINT_URL_RDS_DATA`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { closeServer, listenOnLoopback } from '../../support/loopback-http.ts';

export interface StandInOptions {
  secrets: Record<string, SecretValue>;
  /** Where the Data API's database is; it logs in with the user and password of the request's secret. */
  dataApi?: { clusterArn: string; connection: pg.ClientConfig };
}

export interface SecretValue {
  username: string;
  password: string;
}

export interface AwsStandIn {
  url: string;
  /** Every call, in order, as `Service.Operation`. */
  calls: string[];
  /** Requests refused for their shape, with the reason. */
  shapeErrors: string[];
  /** GetSecretValue calls per secret ARN. */
  secretReads: Record<string, number>;
  putSecret(arn: string, value: SecretValue): void;
  close(): Promise<void>;
}

class ShapeError extends Error {}

const fail = (message: string): never => {
  throw new ShapeError(message);
};

export async function startAwsStandIn(options: StandInOptions): Promise<AwsStandIn> {
  const calls: string[] = [];
  const shapeErrors: string[] = [];
  const secrets = new Map(Object.entries(options.secrets));
  const secretReads: Record<string, number> = {};
  const transactions = new Map<string, pg.Client>();
  let nextTransaction = 1;

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => route(req, body))
      .then(
        ({ status, json }) => send(res, status, json),
        (error: Error) => {
          if (error instanceof ShapeError) {
            shapeErrors.push(error.message);
            send(res, 400, { __type: 'ValidationException', message: error.message }, 'ValidationException');
          } else send(res, 400, { __type: 'BadRequestException', message: error.message }, 'BadRequestException');
        },
      );
  });

  async function route(req: IncomingMessage, raw: string): Promise<{ status: number; json: unknown }> {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('secretsmanager.')) {
      calls.push(`SecretsManager.${target.slice('secretsmanager.'.length)}`);
      if (target !== 'secretsmanager.GetSecretValue' && target !== 'secretsmanager.PutSecretValue') fail(`unexpected operation ${target}`);
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') fail('Secrets Manager takes application/x-amz-json-1.1');
      const body = json(raw);
      if (typeof body.SecretId !== 'string') fail(`${target} needs SecretId (string)`);
      const secret = secrets.get(body.SecretId as string);
      if (!secret) return { status: 400, json: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." } };
      if (target === 'secretsmanager.PutSecretValue') {
        if (typeof body.SecretString !== 'string') fail('PutSecretValue needs SecretString (string)');
        secrets.set(body.SecretId as string, JSON.parse(body.SecretString as string) as SecretValue);
        return { status: 200, json: { ARN: body.SecretId, Name: 'orders-db', VersionId: 'v2', VersionStages: ['AWSCURRENT'] } };
      }
      secretReads[body.SecretId as string] = (secretReads[body.SecretId as string] ?? 0) + 1;
      return { status: 200, json: { ARN: body.SecretId, Name: 'orders-db', SecretString: JSON.stringify(secret), VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1767225600 } };
    }
    const operation = { '/Execute': 'ExecuteStatement', '/BeginTransaction': 'BeginTransaction', '/CommitTransaction': 'CommitTransaction', '/RollbackTransaction': 'RollbackTransaction' }[req.url ?? ''];
    if (req.method === 'POST' && operation && options.dataApi) {
      calls.push(`RDSData.${operation}`);
      const body = json(raw);
      const api = options.dataApi;
      if (body.resourceArn !== api.clusterArn) fail(`resourceArn must be the cluster ARN ${api.clusterArn}; got ${String(body.resourceArn)}`);
      const secret = secrets.get(body.secretArn as string) ?? fail(`secretArn must name a known secret; got ${String(body.secretArn)}`);
      const login = { ...api.connection, user: secret.username, password: secret.password };
      if (operation === 'BeginTransaction') {
        if (typeof body.database !== 'string') fail('BeginTransaction: database (string) expected');
        const client = new pg.Client({ ...login, database: body.database as string });
        await client.connect();
        await client.query('BEGIN');
        const id = `tx-${nextTransaction++}`;
        transactions.set(id, client);
        return { status: 200, json: { transactionId: id } };
      }
      if (operation === 'CommitTransaction' || operation === 'RollbackTransaction') {
        const client = transactions.get(body.transactionId as string) ?? fail(`unknown transactionId ${String(body.transactionId)}`);
        await client.query(operation === 'CommitTransaction' ? 'COMMIT' : 'ROLLBACK');
        await client.end();
        transactions.delete(body.transactionId as string);
        return { status: 200, json: { transactionStatus: operation === 'CommitTransaction' ? 'Transaction Committed' : 'Rollback Complete' } };
      }
      return { status: 200, json: await execute(body, login) };
    }
    calls.push(`unknown ${req.method} ${req.url}`);
    return fail(`no stand-in for ${req.method} ${req.url} (${String(target)})`);
  }

  async function execute(body: Record<string, unknown>, login: pg.ClientConfig) {
    if (typeof body.sql !== 'string') fail('ExecuteStatement: sql (string) expected');
    const sql = body.sql as string;
    const parameters = (body.parameters ?? []) as Array<{ name?: unknown; value?: Record<string, unknown> }>;
    if (!Array.isArray(parameters)) fail('parameters must be a list');
    const values: unknown[] = [];
    const byName = new Map<string, unknown>();
    for (const parameter of parameters) {
      if (typeof parameter.name !== 'string') fail('each parameter needs a name');
      const field = parameter.value ?? fail(`parameter ${String(parameter.name)} has no value`);
      const kinds = Object.keys(field);
      if (kinds.length !== 1) fail(`parameter ${String(parameter.name)}: exactly one of stringValue, longValue, doubleValue, booleanValue, isNull, blobValue`);
      const kind = kinds[0]!;
      const value = field[kind];
      if (kind === 'stringValue' && typeof value !== 'string') fail('stringValue must be a string');
      if (kind === 'longValue' && !Number.isInteger(value)) fail('longValue must be an integer');
      if (!['stringValue', 'longValue', 'doubleValue', 'booleanValue', 'isNull', 'blobValue'].includes(kind)) fail(`unsupported field type ${kind}`);
      byName.set(parameter.name as string, kind === 'isNull' ? null : value);
    }
    // Named placeholders (:name) become $n; a cast (::type) is left alone.
    const positional = sql.replace(/(?<!:):([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
      if (!byName.has(name)) fail(`the SQL names :${name} but no parameter has that name`);
      values.push(byName.get(name));
      return `$${values.length}`;
    });
    let client: pg.Client;
    let owned = false;
    if (body.transactionId !== undefined) {
      client = transactions.get(body.transactionId as string) ?? fail(`unknown transactionId ${String(body.transactionId)}`);
    } else {
      if (typeof body.database !== 'string') fail('database (string) expected');
      client = new pg.Client({ ...login, database: body.database as string });
      await client.connect();
      owned = true;
    }
    try {
      const result = await client.query({ text: positional, values, rowMode: 'array' });
      const types = result.fields.map((f) => f.dataTypeID);
      const records = (result.rows as unknown[][]).map((row) =>
        row.map((cell, i) => {
          if (cell === null) return { isNull: true };
          const type = types[i];
          if (type === 20 || type === 21 || type === 23) return { longValue: Number(cell) };
          if (type === 16) return { booleanValue: cell };
          if (type === 700 || type === 701) return { doubleValue: Number(cell) };
          return { stringValue: String(cell) };
        }),
      );
      return { numberOfRecordsUpdated: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0), records, generatedFields: [] };
    } finally {
      if (owned) await client.end();
    }
  }

  const url = await listenOnLoopback(server);
  return {
    url,
    calls,
    shapeErrors,
    secretReads,
    putSecret(arn, value) {
      secrets.set(arn, value);
    },
    async close() {
      for (const client of transactions.values()) await client.end().catch(() => undefined);
      await closeServer(server);
    },
  };
}

function json(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('the body must be a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ShapeError) throw error;
    return fail('the body is not JSON');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': 'stand-in',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}
