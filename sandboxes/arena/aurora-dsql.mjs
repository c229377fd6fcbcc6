// Pattern 6: Aurora DSQL. One connection per execution environment, opened at INIT with an IAM token
// from @aws-sdk/dsql-signer (DSQL takes no password), reused by every invocation, and a jittered
// exponential retry when the cluster's connection rate is spent (53400).
import pg from 'pg';
import { DsqlSigner } from '@aws-sdk/dsql-signer';

// The cluster's endpoint: PGHOST is the instance the other patterns use.
const hostname = process.env.DSQL_ENDPOINT;
const signer = new DsqlSigner({ hostname });

const RATE_EXCEEDED = '53400';
const ATTEMPTS = 8;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

async function connect() {
  for (let attempt = 1; ; attempt++) {
    // A client that failed to connect cannot connect again: each attempt gets its own.
    const client = new pg.Client({
      host: hostname,
      user: 'admin',
      password: () => signer.getDbConnectAdminAuthToken(),
      ssl: { rejectUnauthorized: true },
      // Nothing waits without a bound: 5 s to open the connection (TCP, TLS, authentication), 8 s for any
      // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
      // system's: 2 hours on Linux).
      connectionTimeoutMillis: 5_000,
      query_timeout: 8_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('error', () => {
      connection = null;
    });
    client.on('end', () => {
      connection = null;
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      if (error.code !== RATE_EXCEEDED || attempt === ATTEMPTS) throw error;
      // Full jitter: a random wait up to a cap that doubles each attempt, so environments refused in the
      // same instant come back at different ones.
      const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
}

function open() {
  const opening = connect().catch((error) => {
    connection = null;
    throw error;
  });
  // The invocation that awaits it gets the error; until one does, the rejection is not unhandled.
  opening.catch(() => {});
  return opening;
}

// Opened at INIT: the connection is on its way while the first request does its other work. Opened
// again by the next invocation after DSQL closes it (a session lasts at most an hour) or after an error.
let connection = open();

export const handler = async (event) => {
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  connection ??= open();
  const client = await connection;
  await client.query('INSERT INTO order_events (order_id) VALUES ($1)', [event.orderId]);
  return { statusCode: 201 };
};
