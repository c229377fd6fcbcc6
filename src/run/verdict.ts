/**
 * The verdict of a run in one line: how many invocations failed, then the figure that explains it
 * ("2,454 of 3,740 invocations failed: connections reached 112 of 112 at 0.38 s"). Which figure
 * explains it depends on what the run used: a proxy's borrow queue, DynamoDB's throughput, a queue's
 * depth, or the instance's connection slots. Pure: the page shows it above the chart, and it is
 * tested on recorded RunReports.
 */
import type { RunReport } from './report.ts';
import { formatNumber as n, servicesUsed } from './summary.ts';

/** A virtual time as the reader reads it: "0.37 s", "12.4 s", "15 min 3 s". */
export function formatRunTime(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${Number(seconds.toFixed(2))} s`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** When a kind of event first happened (ms), from the run's event log; undefined if it never did or was not logged. */
function firstEventAt(report: RunReport, matches: (kind: string) => boolean): number | undefined {
  return report.events.entries.find((entry) => matches(entry.kind))?.t;
}

/** The first second in which an invocation failed (ms at its start), from the Errors series. */
function firstErrorSecondMs(report: RunReport): number | undefined {
  const index = report.series.Errors.findIndex((count) => count > 0);
  return index < 0 ? undefined : index * report.series.intervalMs;
}

/** When the instance's connection slots ran out: the first refusal (53300), else the first second at the peak. */
export function limitReachedAt(report: RunReport): number | undefined {
  const db = report.database;
  if (db.peakConnections < db.maxConnections) return undefined;
  const refused = firstEventAt(report, (kind) => kind === 'reject:53300');
  if (refused !== undefined) return refused;
  const index = report.series.DatabaseConnections.findIndex((value) => value >= db.maxConnections);
  return index < 0 ? undefined : index * report.series.intervalMs;
}

function outcome(report: RunReport): string {
  const { total, failed, throttled } = report.invocations;
  if (total === 0) return 'No invocation reached Lambda';
  if (failed + throttled === 0) return `All ${n(total)} invocations succeeded`;
  const throttledText = throttled ? ` (${n(throttled)} throttled by Lambda)` : '';
  return `${n(failed + throttled)} of ${n(total)} invocations failed${throttledText}`;
}

const plural = (count: number, one: string, many: string) => `${n(count)} ${count === 1 ? one : many}`;
const at = (ms: number | undefined) => (ms === undefined ? '' : ` at ${formatRunTime(ms)}`);

/** The figure that explains the outcome, from the service that decided it. */
function cause(report: RunReport): string {
  const used = servicesUsed(report);
  const { database: db, proxy, dynamodb, sqs, dataApi } = report;
  if (proxy && used.has('proxy')) {
    const pinned = proxy.pinnedSessions ? `, ${n(proxy.peakPinned)} of them pinned` : '';
    if (proxy.borrowTimeouts) {
      const first = at(firstEventAt(report, (kind) => kind === 'borrow-timeout'));
      return `the proxy's database connections reached ${n(proxy.peakDatabaseConnections)} of ${n(proxy.maxDatabaseConnectionsAllowed)}${pinned}; ${plural(proxy.borrowTimeouts, 'client', 'clients')} timed out waiting for one, the first${first}`;
    }
    if (proxy.clientConnectionsSetupFailedAuth) {
      return `the proxy refused ${plural(proxy.clientConnectionsSetupFailedAuth, 'login', 'logins')}, the first${at(firstEventAt(report, (kind) => kind === 'auth-failed') ?? firstErrorSecondMs(report))}`;
    }
    return `${plural(proxy.peakClientConnections, 'client connection', 'client connections')} shared ${n(proxy.peakDatabaseConnections)} of the proxy's ${n(proxy.maxDatabaseConnectionsAllowed)} database connections${pinned}`;
  }
  if (dynamodb && used.has('dynamodb')) {
    const tables = Object.entries(dynamodb.tables);
    const [name, table] = tables.sort((a, b) => b[1].throttledRequests - a[1].throttledRequests)[0]!;
    const units = `${name} consumed ${n(table.consumedWriteUnits)} write units against a ceiling of ${n(table.ceilings.write)} per second`;
    return dynamodb.throttledRequests ? `DynamoDB throttled ${n(dynamodb.throttledRequests)} requests; ${units}` : `no request throttled; ${units}`;
  }
  if (sqs && used.has('sqs')) {
    const drained = sqs.drainedAtMs === null ? `${n(sqs.depthAtEnd)} messages still queued at the end` : `drained at ${formatRunTime(sqs.drainedAtMs)}`;
    return `the queue peaked at ${n(sqs.peakDepth)} messages and ${drained}; database connections peaked at ${n(db.peakConnections)} of ${n(db.maxConnections)}`;
  }
  if (dataApi && used.has('dataApi')) {
    const errors = Object.entries(dataApi.errors).sort((a, b) => b[1] - a[1]);
    if (errors.length) return `the Data API answered ${errors.map(([name, count]) => `${name} × ${n(count)}`).join(', ')}`;
    return `${n(dataApi.requests)} Data API calls used at most ${n(dataApi.peakConnectionsInUse)} of its ${n(dataApi.poolConnections)} connections; database connections peaked at ${n(db.peakConnections)} of ${n(db.maxConnections)}`;
  }
  if (!used.has('database')) return 'the database was not reached';
  const full = db.peakConnections >= db.maxConnections;
  const reached = `${full ? 'connections reached' : 'database connections peaked at'} ${n(db.peakConnections)} of ${n(db.maxConnections)}${at(limitReachedAt(report))}`;
  const zombies = Math.max(0, ...report.series.ZombieConnections);
  if (db.idleSessionTimeouts) return `${reached}; idle_session_timeout closed ${plural(db.idleSessionTimeouts, 'idle connection', 'idle connections')} (57P05)`;
  return zombies ? `${reached}; ${n(zombies)} of them were zombies at the peak` : reached;
}

/** One line: the outcome, a colon, the decisive figure. */
export function runVerdict(report: RunReport): string {
  return `${outcome(report)}: ${cause(report)}.`;
}
