/**
 * A sandbox's Aurora DSQL cluster: the gate (engine/dsql) the virtual server admits and authenticates
 * through when the sandbox has a `dsql` section, with every constant from src/facts/aurora-dsql.ts,
 * and the RunReport's `dsql` field.
 */
import { DsqlEndpoint, type DsqlEndpointOptions } from '../engine/dsql/endpoint.ts';
import { dsqlAssumedErrors, dsqlConnections, dsqlErrors, dsqlToken } from '../facts/aurora-dsql.ts';
import { errorFields } from '../facts/postgres.ts';
import type { Sandbox } from '../sandboxes/schema.ts';
import type { RunReport } from './report.ts';

const fatal = ({ code, message }: { code: string; message: string }) => errorFields('FATAL', code, message);

/**
 * The cluster's connection-rate bucket, in the endpoint and in the report alike. Refilled at the burst
 * refill rate, it admits exactly the documented rate (ratePerCluster, the same 100 a second) once the
 * burst is spent.
 */
const rateBucket = { ratePerSecond: dsqlConnections.burstRefill.value, burst: dsqlConnections.burstCapacity.value };

/** max_connections of a DSQL cluster: its per-cluster quota. */
export const dsqlMaxConnections = dsqlConnections.maxPerCluster.value;

/**
 * The server's vCPUs for a cluster: none to queue on, since DSQL gives each transaction a query processor
 * of its own (dsqlCompute.queryProcessorPerTransaction), where an instance's start-ups and statements
 * queue for its few cores.
 */
export const dsqlVcpus = Infinity;

/** The cluster `variant` runs against, or null when it runs against the instance (or the sandbox has no cluster). */
export function dsqlEndpoint(config: Sandbox, variant: string, epochMs: () => number): DsqlEndpoint | null {
  const settings = config.dsql;
  if (!settings || (settings.variants && !settings.variants.includes(variant))) return null;
  return factDsqlEndpoint({ hostname: dsqlHost(config), region: settings.region, credentials: settings.iamCredentials, roles: settings.roles }, epochMs);
}

/** Where the cluster listens: its own endpoint when the sandbox names one, else the database's host. */
export const dsqlHost = (config: Sandbox): string => config.dsql?.host ?? config.database.host;

/** A cluster at `hostname` with AWS's limits and error texts. */
export function factDsqlEndpoint(cluster: Pick<DsqlEndpointOptions, 'hostname' | 'region' | 'credentials' | 'roles'>, epochMs: () => number): DsqlEndpoint {
  return new DsqlEndpoint({
    ...cluster,
    ...rateBucket,
    sessionLifetimeMs: dsqlConnections.maxSessionDuration.value,
    token: {
      service: dsqlToken.service.value,
      maxLifetimeMs: dsqlConnections.tokenMaxLifetime.value * 1000,
      action: (user) => (user === dsqlToken.adminRole.value ? dsqlToken.adminAction.value : dsqlToken.roleAction.value),
      namesUser: false,
    },
    errors: {
      rateExceeded: fatal(dsqlErrors.rateExceeded.value),
      tooManyConnections: fatal(dsqlErrors.tooManyConnections.value),
      authenticationFailed: fatal(dsqlAssumedErrors.authenticationFailed.value),
      sessionExpired: fatal(dsqlAssumedErrors.sessionExpired.value),
    },
    epochMs,
  });
}

export function dsqlReport(endpoint: DsqlEndpoint): NonNullable<RunReport['dsql']> {
  return {
    ...rateBucket,
    ...endpoint.stats,
  };
}
