/**
 * The RDS Proxy rows of `connlab simulate`'s summary, for sandboxes with a proxy.
 */
import type { RunReport } from '../run/report.ts';

const n = (value: number) => value.toLocaleString('en-US');
const ms = (microseconds: number) => `${(microseconds / 1000).toFixed(1)} ms`;

export function proxySummaryRows(proxy: NonNullable<RunReport['proxy']>): Array<[string, string]> {
  const pins = Object.entries(proxy.pinsByReason).sort((a, b) => b[1] - a[1]);
  return [
    ['RDS Proxy', `${proxy.name}: MaxDatabaseConnectionsAllowed ${n(proxy.maxDatabaseConnectionsAllowed)}, ConnectionBorrowTimeout ${proxy.connectionBorrowTimeoutMs / 1000} s, IdleClientTimeout ${proxy.idleClientTimeoutMs / 1000} s, IAM ${proxy.iamAuth}`],
    ['ClientConnections', `peak ${n(proxy.peakClientConnections)}${proxy.clientConnectionsSetupFailedAuth ? `, ${n(proxy.clientConnectionsSetupFailedAuth)} refused at login` : ''}${proxy.clientConnectionsClosedIdle ? `, ${n(proxy.clientConnectionsClosedIdle)} closed by IdleClientTimeout` : ''}`],
    ['Proxy DB connections', `peak ${n(proxy.peakDatabaseConnections)} open, ${n(proxy.peakBorrowed)} borrowed, ${n(proxy.peakPinned)} pinned${proxy.databaseConnectionsSetupFailed ? `; ${n(proxy.databaseConnectionsSetupFailed)} failed to open` : ''}`],
    ['Borrow queue', `peak ${n(proxy.peakWaiting)} waiting, ${n(proxy.borrowTimeouts)} timed out; borrow latency p50 ${ms(proxy.borrowLatencyUs.p50)}, p95 ${ms(proxy.borrowLatencyUs.p95)}, max ${ms(proxy.borrowLatencyUs.max)}`],
    ['Pinning', proxy.pinnedSessions ? `${n(proxy.pinnedSessions)} sessions pinned; ${pins.map(([reason, count]) => `${n(count)} × ${reason}`).join(', ')}` : 'no session pinned'],
  ];
}
