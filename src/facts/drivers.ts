/**
 * What the PostgreSQL drivers do when a setting is left out: the defaults the connection doctor
 * (src/doctor) counts with when a handler does not say. Each is the driver's own documented value.
 */
import type { Fact } from './fact.ts';

const PG_POOL = 'https://node-postgres.com/apis/pool';
const PSYCOPG_POOL = 'https://www.psycopg.org/psycopg3/docs/api/pool.html';
const SQLALCHEMY_POOL = 'https://docs.sqlalchemy.org/en/20/core/pooling.html';

export const driverDefaults = {
  /** node-postgres: `new Pool()` opens up to this many connections when `max` is not given. */
  pgPoolMax: { value: 10, unit: 'connections', source: PG_POOL },
  /** node-postgres: `connectionTimeoutMillis` 0 waits for a connection without limit. */
  pgConnectionTimeout: { value: 0, unit: 'ms (0 = no limit)', source: PG_POOL },
  /** psycopg_pool.ConnectionPool: `min_size` 4, and `max_size` defaults to `min_size`. */
  psycopgPoolMaxSize: { value: 4, unit: 'connections', source: PSYCOPG_POOL },
  /** SQLAlchemy's QueuePool (create_engine's default): pool_size 5 kept, max_overflow 10 more on demand. */
  sqlalchemyPoolSize: { value: 5, unit: 'connections', source: SQLALCHEMY_POOL },
  sqlalchemyMaxOverflow: { value: 10, unit: 'connections', source: SQLALCHEMY_POOL },
} satisfies Record<string, Fact>;
