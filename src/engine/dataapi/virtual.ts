/**
 * The Data API as a process on the virtual network: its pools use the `pg` of a process spawned in
 * the world (engine/world), so its sockets and timers run on the virtual clock, and connect to the
 * virtual PostgreSQL like any client.
 */
import type { DataApiCluster, PgPoolLike } from './emulator.ts';

export interface VirtualClusterOptions {
  /** The `pg` module instantiated for the Data API's process. */
  pg: Record<string, unknown>;
  host: string;
  port: number;
  resourceArn: string;
  secrets: DataApiCluster['secrets'];
  endpointUnavailable: string | null;
  /**
   * The databases the cluster has; by default PGlite's one, `postgres`. The virtual server ignores
   * the name a client asks for, so the cluster answers any other name as PostgreSQL would (3D000).
   * `null` for a real PostgreSQL, which checks the name itself.
   */
  databases?: readonly string[] | null;
}

type PoolConstructor = new (config: Record<string, unknown>) => PgPoolLike;

export function virtualCluster(options: VirtualClusterOptions): DataApiCluster {
  const Pool = options.pg.Pool as PoolConstructor;
  return {
    resourceArn: options.resourceArn,
    secrets: options.secrets,
    endpointUnavailable: options.endpointUnavailable,
    openPool: ({ user, password, database, max, statementTimeoutMs }) => {
      const databases = options.databases === undefined ? ['postgres'] : options.databases;
      if (databases && !databases.includes(database)) return missingDatabase(database);
      // The service keeps its connections (no idle timeout within a run); the pool queues callers.
      return new Pool({ host: options.host, port: options.port, user, password, database, max, idleTimeoutMillis: 0, application_name: 'rds-data-api', statement_timeout: statementTimeoutMs });
    },
  };
}

/** What PostgreSQL answers a connection to a database it does not have (FATAL 3D000). */
function missingDatabase(database: string): PgPoolLike {
  const error = Object.assign(new Error(`database "${database}" does not exist`), { code: '3D000', severity: 'FATAL' });
  return { connect: () => Promise.reject(error), end: () => Promise.resolve(), totalCount: 0, idleCount: 0 };
}
