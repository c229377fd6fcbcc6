/**
 * `connlab proxy --listen 127.0.0.1:6432 --target postgres://user:password@host:5432/db`: the RDS Proxy
 * model on real TCP in front of a real PostgreSQL, as a "would this pin on RDS Proxy?" inspector for
 * your own application. Each statement that would pin a session is logged with its rule; Ctrl-C (or
 * SIGTERM) prints the metrics under CloudWatch's names.
 */
import { stopSignal, type Command, type CommandIO } from '../command.ts';
import { numberOption, quote, UsageError, type CliOptions, type CommandLine } from '../arguments.ts';
import { percentile } from '../../engine/metrics/metrics.ts';
import type { RdsProxy } from '../../engine/proxy/proxy.ts';
import { parseTarget, startTcpProxy, type PostgresTarget } from '../../engine/proxy/tcp.node.ts';
import { proxySettings } from '../../facts/rds-proxy.ts';

interface Parsed {
  listen: { host: string; port: number };
  target: PostgresTarget;
  maxConnectionsPercent?: number;
  maxIdleConnectionsPercent?: number;
  connectionBorrowTimeoutMs?: number;
  idleClientTimeoutMs?: number;
}

const USAGE =
  'connlab proxy --target postgres://user:password@host:5432/db [--listen 127.0.0.1:6432] [--max-connections-percent 1..100] [--max-idle-connections-percent 0..100] [--borrow-timeout 0..300 (s)] [--idle-client-timeout 1..28800 (s)]';

const RANGES: Readonly<Record<string, [number, number]>> = {
  'max-connections-percent': [1, 100],
  'max-idle-connections-percent': [0, 100],
  'borrow-timeout': [0, proxySettings.connectionBorrowTimeoutMax.value / 1000],
  'idle-client-timeout': [1, proxySettings.idleClientTimeoutMax.value / 1000],
};

const OPTIONS: CliOptions = {
  listen: { type: 'string', value: 'text' },
  target: { type: 'string', value: 'text' },
  ...Object.fromEntries(Object.keys(RANGES).map((name) => [name, { type: 'string', value: 'number' }])),
};

/** The target URL, or why it is not one (a `%` that starts no escape is a URIError in decodeURIComponent). */
function target(value: string): PostgresTarget {
  let parsed: PostgresTarget | string;
  try {
    parsed = parseTarget(value);
  } catch (error) {
    if (!(error instanceof URIError)) throw error;
    parsed = 'a % in the user, password or database must start an escape such as %40';
  }
  if (typeof parsed === 'string') throw new UsageError(`--target must be a URL like postgres://user:password@127.0.0.1:5432/db (got ${quote(value.replace(/:[^:@/]*@/, ':***@'))}: ${parsed})`);
  return parsed;
}

function parse({ values }: CommandLine): Parsed {
  let listen = { host: '127.0.0.1', port: 6432 };
  if (values.listen !== undefined) {
    const value = values.listen as string;
    const m = /^(.+):(\d+)$/.exec(value);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port > 65_535) throw new UsageError(`--listen must be host:port, e.g. 127.0.0.1:6432 (got ${quote(value)})`);
    listen = { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (values.target === undefined) throw new UsageError('missing --target postgres://user:password@host:port/db');
  const numbers: Record<string, number> = {};
  for (const [name, [min, max]] of Object.entries(RANGES)) {
    if (values[name] !== undefined) numbers[name] = numberOption(name, values[name] as string, { min, max });
  }
  return {
    listen,
    target: target(values.target as string),
    ...(numbers['max-connections-percent'] !== undefined ? { maxConnectionsPercent: numbers['max-connections-percent'] } : {}),
    ...(numbers['max-idle-connections-percent'] !== undefined ? { maxIdleConnectionsPercent: numbers['max-idle-connections-percent'] } : {}),
    ...(numbers['borrow-timeout'] !== undefined ? { connectionBorrowTimeoutMs: numbers['borrow-timeout'] * 1000 } : {}),
    ...(numbers['idle-client-timeout'] !== undefined ? { idleClientTimeoutMs: numbers['idle-client-timeout'] * 1000 } : {}),
  };
}

async function maxConnectionsOf(target: PostgresTarget): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...target, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
    return Number(rows[0]!.max_connections);
  } finally {
    await client.end();
  }
}

const stamp = () => new Date().toISOString().slice(11, 23);

export function metricsText(proxy: RdsProxy): string {
  const stats = proxy.stats;
  const latency = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `p50 ${Math.round(percentile(sorted, 50, true))} µs, p95 ${Math.round(percentile(sorted, 95, true))} µs, max ${Math.round(sorted.at(-1) ?? 0)} µs`;
  };
  const open = [...proxy.connections].filter((c) => c.phase === 'ready').length;
  const pins = Object.entries(stats.pinsByReason).sort((a, b) => b[1] - a[1]);
  return [
    'Metrics (CloudWatch names, AWS/RDS per-proxy):',
    `  ClientConnections                          now ${proxy.clients.size}, peak ${stats.peakClientConnections}`,
    `  DatabaseConnections                        now ${open}, peak ${stats.peakDatabaseConnections}`,
    `  DatabaseConnectionsCurrentlyBorrowed       peak ${stats.peakBorrowed}`,
    `  DatabaseConnectionsCurrentlySessionPinned  peak ${stats.peakPinned}`,
    `  MaxDatabaseConnectionsAllowed              ${proxy.maxDatabaseConnections}`,
    `  DatabaseConnectionsBorrowLatency           ${latency(proxy.metrics.samples.DatabaseConnectionsBorrowLatency)}`,
    `  QueryDatabaseResponseLatency               ${latency(proxy.metrics.samples.QueryDatabaseResponseLatency)}`,
    `  QueryRequests                              ${stats.queryRequests}`,
    `  ClientConnectionsSetupFailedAuth           ${stats.clientConnectionsSetupFailedAuth}`,
    `  DatabaseConnectionsSetupFailed             ${stats.databaseConnectionsSetupFailed}`,
    `Borrows ${stats.borrows}, borrow timeouts ${stats.borrowTimeouts}, most clients waiting ${stats.peakWaiting}`,
    `Pinned sessions ${stats.pinnedSessions}${pins.length ? `; statements that pin, by rule:\n${pins.map(([reason, n]) => `  ${String(n).padStart(6)}  ${reason}`).join('\n')}` : ''}`,
  ].join('\n');
}

export const command: Command = {
  summary: 'Run the RDS Proxy model on 127.0.0.1 in front of your PostgreSQL and log what would pin',
  usage: USAGE,
  options: OPTIONS,
  positionals: [],
  async run(line: CommandLine, io: CommandIO): Promise<number> {
    const parsed = parse(line);
    const { target } = parsed;
    let maxConnections: number;
    try {
      maxConnections = await maxConnectionsOf(target);
    } catch (error) {
      io.stderr(`connlab proxy: cannot reach the target ${target.user}@${target.host}:${target.port}/${target.database}: ${(error as Error).message}`);
      return 1;
    }
    let tcp;
    try {
      tcp = await startTcpProxy({
        listen: parsed.listen,
        target,
        targetMaxConnections: maxConnections,
        ...(parsed.maxConnectionsPercent !== undefined ? { maxConnectionsPercent: parsed.maxConnectionsPercent } : {}),
        ...(parsed.maxIdleConnectionsPercent !== undefined ? { maxIdleConnectionsPercent: parsed.maxIdleConnectionsPercent } : {}),
        ...(parsed.connectionBorrowTimeoutMs !== undefined ? { connectionBorrowTimeoutMs: parsed.connectionBorrowTimeoutMs } : {}),
        ...(parsed.idleClientTimeoutMs !== undefined ? { idleClientTimeoutMs: parsed.idleClientTimeoutMs } : {}),
        observer: { event: (kind, text) => io.stdout(`${stamp()} ${kind} ${text}`) },
      });
    } catch (error) {
      io.stderr(`connlab proxy: cannot listen on ${parsed.listen.host}:${parsed.listen.port}: ${(error as Error).message}`);
      return 1;
    }
    const { proxy } = tcp;
    const stopped = stopSignal();
    const o = proxy.options;
    io.stdout(
      [
        `RDS Proxy model in front of ${target.user}@${target.host}:${target.port}/${target.database}`,
        `  max_connections ${maxConnections}, MaxConnectionsPercent ${o.maxConnectionsPercent} -> MaxDatabaseConnectionsAllowed ${proxy.maxDatabaseConnections} (less ${o.reservedForProxy} the proxy keeps, an assumption)`,
        `  MaxIdleConnectionsPercent ${o.maxIdleConnectionsPercent}, ConnectionBorrowTimeout ${o.connectionBorrowTimeoutMs / 1000} s, IdleClientTimeout ${o.idleClientTimeoutMs / 1000} s`,
        `Listening on ${tcp.address.host}:${tcp.address.port} (plaintext; log in as ${target.user} with the target's password)`,
        `Try: psql "postgres://${target.user}@${tcp.address.host}:${tcp.address.port}/${target.database}" -c "SET search_path = public"`,
        'Statements that would pin a session on RDS Proxy are logged below. Ctrl-C prints the metrics and stops.',
      ].join('\n'),
    );
    const signal = await stopped;
    io.stdout(metricsText(proxy));
    await tcp.close();
    io.stdout(`Stopped (${signal}).`);
    return 0;
  },
};
