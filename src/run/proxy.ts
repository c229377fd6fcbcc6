/**
 * A sandbox's RDS Proxy: built from its `proxy` section, listening on the virtual network in front
 * of the instance, and summarised into the RunReport's `proxy` field.
 */
import type { Scheduler } from '../engine/clock/scheduler.ts';
import type { Network } from '../engine/net/network.ts';
import { percentile, round3 } from '../engine/metrics/metrics.ts';
import { VirtualRdsProxy } from '../engine/proxy/virtual.ts';
import { proxyCosts, proxySettings } from '../facts/rds-proxy.ts';
import type { Sandbox } from '../sandboxes/schema.ts';
import type { RunReport } from './report.ts';

export interface SandboxProxy {
  readonly proxy: VirtualRdsProxy;
  report(durationMs: number): NonNullable<RunReport['proxy']>;
}

export function attachProxy(
  scheduler: Scheduler,
  network: Network,
  config: Sandbox,
  maxConnections: number,
  event: (kind: string, text: string) => void,
): SandboxProxy | null {
  const settings = config.proxy;
  if (!settings) return null;
  const proxy = new VirtualRdsProxy(
    scheduler,
    network,
    { host: config.database.host, port: config.database.port },
    {
      name: settings.name,
      endpoint: `${settings.host}:${settings.port}`,
      targetMaxConnections: maxConnections,
      maxConnectionsPercent: settings.maxConnectionsPercent,
      maxIdleConnectionsPercent: settings.maxIdleConnectionsPercent ?? Math.floor((settings.maxConnectionsPercent * proxySettings.maxIdleConnectionsPercentOfMax.value) / 100),
      connectionBorrowTimeoutMs: settings.connectionBorrowTimeoutMs,
      idleClientTimeoutMs: settings.idleClientTimeoutMs,
      reservedForProxy: proxySettings.reservedForProxy.value,
      databaseIdleAfterMs: proxySettings.databaseConnectionIdleAfter.value,
      auth: { secrets: config.database.users, iam: settings.iamAuth, region: settings.region, iamCredentials: settings.iamCredentials },
      acceptsTls: true,
      costs: { clientSetupMs: proxyCosts.clientSetup.value, iamVerificationMs: proxyCosts.iamVerification.value, addedLatencyMs: proxyCosts.addedLatency.value },
    },
    { event: (kind, text) => event(kind, text) },
  );
  network.listen(settings.host, settings.port, proxy);
  const core = proxy.proxy;
  return {
    proxy,
    report(durationMs) {
      core.metrics.finish(durationMs);
      const stats = core.stats;
      const summary = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return { p50: round3(percentile(sorted, 50, true)), p95: round3(percentile(sorted, 95, true)), max: round3(sorted.at(-1) ?? 0) };
      };
      return {
        name: settings.name,
        maxDatabaseConnectionsAllowed: core.maxDatabaseConnections,
        maxIdleConnections: core.maxIdleConnections,
        connectionBorrowTimeoutMs: settings.connectionBorrowTimeoutMs,
        idleClientTimeoutMs: settings.idleClientTimeoutMs,
        iamAuth: settings.iamAuth,
        peakClientConnections: stats.peakClientConnections,
        peakDatabaseConnections: stats.peakDatabaseConnections,
        peakBorrowed: stats.peakBorrowed,
        peakPinned: stats.peakPinned,
        peakWaiting: stats.peakWaiting,
        borrows: stats.borrows,
        borrowTimeouts: stats.borrowTimeouts,
        pinnedSessions: stats.pinnedSessions,
        pinsByReason: { ...stats.pinsByReason },
        clientConnectionsSetupFailedAuth: stats.clientConnectionsSetupFailedAuth,
        clientConnectionsClosedIdle: stats.clientConnectionsClosedIdle,
        databaseConnectionsSetupFailed: stats.databaseConnectionsSetupFailed,
        borrowLatencyUs: summary(core.metrics.samples.DatabaseConnectionsBorrowLatency),
        queryDatabaseResponseLatencyUs: summary(core.metrics.samples.QueryDatabaseResponseLatency),
        series: { ...core.metrics.series },
      };
    },
  };
}
