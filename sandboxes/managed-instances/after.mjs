// The same handler with the pool sized for Managed Instances: up to AWS_LAMBDA_MAX_CONCURRENCY
// invocations share this module's pool at once, and the database sees environments × pool size
// connections. So the pool gets as many connections as one environment can use, but no more than
// its share of the function's connection budget at the most environments the capacity provider runs.
import { Pool } from 'pg';

// Lambda sets AWS_LAMBDA_MAX_CONCURRENCY (PerExecutionEnvironmentMaxConcurrency) on Managed Instances.
const perEnvironment = Number(process.env.AWS_LAMBDA_MAX_CONCURRENCY);
// The deployment's: connections this function may hold on the instance, all environments together
// (under max_connections, less what other clients need), and the most environments it may run.
const budget = Number(process.env.CONNECTION_BUDGET);
const maxEnvironments = Number(process.env.MAX_ENVIRONMENTS);

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: Math.max(1, Math.min(perEnvironment, Math.floor(budget / maxEnvironments))),
  // Managed Instances do not freeze the environment, so this timer does fire: idle connections close.
  idleTimeoutMillis: 10_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});
pool.on('error', (err) => console.warn('idle connection closed:', err.message));

// Each invocation checks out a connection for the whole request, as code that takes a client per
// request does: it reads the order, waits for the payment provider, records the payment.
export const handler = async (event) => {
  const client = await pool.connect();
  let failure;
  try {
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
    await authorisePayment(rows[0]);
    await client.query("UPDATE orders SET status = 'paid' WHERE id = $1", [event.orderId]);
    return { statusCode: 200, body: JSON.stringify({ id: event.orderId, status: 'paid' }) };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A client that failed (a timeout, a dead socket) goes back with its error, so the pool destroys it.
    client.release(failure);
  }
};

// The payment provider's answer; the connection stays checked out meanwhile.
function authorisePayment() {
  return new Promise((resolve) => setTimeout(resolve, Number(process.env.PAYMENT_MS)));
}
