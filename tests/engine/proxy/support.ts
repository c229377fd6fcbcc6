/**
 * A workbench (virtual PostgreSQL + one client process with its own `pg`) with the RDS Proxy model
 * in front of the server, for driving the real driver through the proxy.
 */
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import type { VirtualPostgresOptions } from '../../../src/engine/postgres/server.ts';
import { VirtualRdsProxy } from '../../../src/engine/proxy/virtual.ts';
import type { ProxyOptions } from '../../../src/engine/proxy/options.ts';
import type { Pin } from '../../../src/engine/proxy/pinning.ts';
import { proxyCosts, proxySettings } from '../../../src/facts/rds-proxy.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Pg = { Client: new (config: object) => any; Pool: new (config: object) => any };

export const PROXY = { host: 'proxy.proxy-c9akciq32xyz.us-east-1.rds.amazonaws.com', port: 5432 };

export interface ProxyBench {
  bench: Workbench;
  proxy: VirtualRdsProxy;
  pg: Pg;
  pins: Array<{ pin: Pin; newly: boolean }>;
  events: string[];
  config(overrides?: object): object;
}

export function proxyOptions(overrides: Partial<ProxyOptions> = {}): ProxyOptions {
  return {
    name: 'test-proxy',
    endpoint: `${PROXY.host}:${PROXY.port}`,
    targetMaxConnections: 100,
    maxConnectionsPercent: proxySettings.maxConnectionsPercent.value,
    maxIdleConnectionsPercent: proxySettings.maxIdleConnectionsPercentOfMax.value,
    connectionBorrowTimeoutMs: proxySettings.connectionBorrowTimeout.value,
    idleClientTimeoutMs: proxySettings.idleClientTimeout.value,
    reservedForProxy: proxySettings.reservedForProxy.value,
    databaseIdleAfterMs: proxySettings.databaseConnectionIdleAfter.value,
    auth: { secrets: { app: 'app-password' }, iam: 'DISABLED', region: 'us-east-1', iamCredentials: {} },
    acceptsTls: true,
    costs: { clientSetupMs: proxyCosts.clientSetup.value, iamVerificationMs: proxyCosts.iamVerification.value, addedLatencyMs: proxyCosts.addedLatency.value },
    ...overrides,
  };
}

export async function openProxyBench(options: Partial<ProxyOptions> = {}, server: Partial<VirtualPostgresOptions> = {}): Promise<ProxyBench> {
  const bench = await openWorkbench(nodeHost, server);
  const pins: ProxyBench['pins'] = [];
  const events: string[] = [];
  const proxy = new VirtualRdsProxy(bench.scheduler, bench.network, { host: bench.host, port: bench.port }, proxyOptions({ targetMaxConnections: bench.server.options.maxConnections, ...options }), {
    pinned: (pin, _session, newly) => pins.push({ pin, newly }),
    event: (kind, text) => events.push(`${kind}: ${text}`),
  });
  bench.network.listen(PROXY.host, PROXY.port, proxy);
  return {
    bench,
    proxy,
    pg: bench.pg as unknown as Pg,
    pins,
    events,
    config: (overrides = {}) => ({ host: PROXY.host, port: PROXY.port, user: 'app', password: 'app-password', database: 'postgres', ...overrides }),
  };
}
