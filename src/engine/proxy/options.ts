/**
 * What an RDS Proxy is configured with, what it tells an observer, and what it counts.
 */
import type { Pin } from './pinning.ts';

export interface ProxyAuth {
  /** Secrets Manager secrets: user -> password. The proxy logs in to the database with them. */
  secrets: Readonly<Record<string, string>>;
  /** IAMAuth of the proxy's auth config: REQUIRED makes clients present an IAM token instead of the password. */
  iam: 'DISABLED' | 'REQUIRED';
  /** Region the proxy is in (IAM tokens are signed for it). */
  region: string;
  /** What IAM knows: access key id -> secret access key. */
  iamCredentials: Readonly<Record<string, string>>;
}

export interface ProxyCosts {
  clientSetupMs: number;
  iamVerificationMs: number;
  addedLatencyMs: number;
}

export interface ProxyOptions {
  name: string;
  /** The proxy endpoint, `host:port`, as clients (and IAM tokens) name it. */
  endpoint: string;
  targetMaxConnections: number;
  maxConnectionsPercent: number;
  maxIdleConnectionsPercent: number;
  connectionBorrowTimeoutMs: number;
  idleClientTimeoutMs: number;
  reservedForProxy: number;
  databaseIdleAfterMs: number;
  auth: ProxyAuth;
  /** Whether the proxy answers SSLRequest with `S` (a TLS session follows) or `N`. */
  acceptsTls: boolean;
  costs: ProxyCosts;
  /** Log in to this database whatever the client asked for (connlab proxy's --target). */
  databaseOverride?: string;
  /** What one client connection may have buffered (proxySettings.clientBufferCap when left out). */
  clientBufferCapBytes?: number;
  /** How long a client may take to log in (proxySettings.clientStartupTimeout when left out). */
  clientStartupTimeoutMs?: number;
}

export interface ProxyObserver {
  event?(
    kind: 'pin' | 'borrow-timeout' | 'auth-failed' | 'client-idle-timeout' | 'client-startup-timeout' | 'protocol-violation' | 'database-setup-failed' | 'database-closed',
    text: string,
  ): void;
  pinned?(pin: Pin, session: string, newlyPinned: boolean): void;
}

/** What the proxy reports to its observer as it happens. */
export type ProxyEventKind = Parameters<NonNullable<ProxyObserver['event']>>[0];

export interface ProxyStats {
  clientConnectionsReceived: number;
  clientConnectionsSetupSucceeded: number;
  clientConnectionsSetupFailedAuth: number;
  clientConnectionsClosedIdle: number;
  databaseConnectionsSetupSucceeded: number;
  databaseConnectionsSetupFailed: number;
  borrows: number;
  borrowTimeouts: number;
  pinnedSessions: number;
  pinsByReason: Record<string, number>;
  queryRequests: number;
  peakClientConnections: number;
  peakDatabaseConnections: number;
  peakPinned: number;
  peakBorrowed: number;
  peakWaiting: number;
}
