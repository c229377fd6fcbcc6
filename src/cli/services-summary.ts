/**
 * The Data API, DynamoDB and SQS rows of `connlab simulate`'s summary, for sandboxes that have them.
 */
import type { RunReport } from '../run/report.ts';

const n = (value: number) => value.toLocaleString('en-US');
const counts = (record: Record<string, number>) => Object.entries(record).sort((a, b) => b[1] - a[1]).map(([name, count]) => `${n(count)} ${name}`).join(', ');

export function servicesSummaryRows(report: RunReport): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const { dataApi, dynamodb, sqs } = report;
  if (dataApi) {
    rows.push(['Data API', `${n(dataApi.requests)} calls${Object.keys(dataApi.errors).length ? ` (${counts(dataApi.errors)})` : ''}; pool ${n(dataApi.poolConnections)} connections (assumed), peak ${n(dataApi.peakConnectionsInUse)} in use, ${n(dataApi.peakInFlight)} calls at once`]);
    const limits = [dataApi.responsesTooLarge && `${n(dataApi.responsesTooLarge)} over 1 MiB`, dataApi.statementTimeouts && `${n(dataApi.statementTimeouts)} timed out (45 s)`, dataApi.transactionsExpired && `${n(dataApi.transactionsExpired)} transactions expired`].filter(Boolean);
    if (limits.length) rows.push(['Data API limits', limits.join(', ')]);
  }
  if (dynamodb) {
    for (const [name, table] of Object.entries(dynamodb.tables)) {
      rows.push([`DynamoDB ${name}`, `${n(table.consumedWriteUnits)} WCU, ${n(table.consumedReadUnits)} RCU consumed; ${n(table.throttledRequests)} throttled; ceilings ${n(table.ceilings.write)} WCU/s, ${n(table.ceilings.read)} RCU/s`]);
    }
  }
  if (sqs) {
    rows.push(['SQS queue', `${n(sqs.sent)} sent, ${n(sqs.deleted)} deleted, ${n(sqs.redelivered)} redelivered; peak depth ${n(sqs.peakDepth)}, ${n(sqs.depthAtEnd)} left; ${sqs.drainedAtMs === null ? 'not drained' : `drained at ${(sqs.drainedAtMs / 1000).toFixed(1)} s`}`]);
    rows.push(['Event source mapping', `${n(sqs.batches)} batches (${n(sqs.messagesInvoked)} messages), peak ${n(sqs.peakConcurrentBatches)} at once of MaximumConcurrency ${sqs.maximumConcurrency ?? 'none'}; ${n(sqs.failedBatches)} failed, ${n(sqs.throttledBatches)} throttled, ${n(sqs.partialFailures)} partial`]);
    rows.push(['Consumer', `${n(sqs.consumer.invocations)} invocations, ${n(sqs.consumer.failed)} failed, ${n(sqs.consumer.throttled)} throttled; peak concurrency ${n(sqs.consumer.peakConcurrency)}, ${n(sqs.consumer.coldStarts)} cold starts`]);
  }
  return rows;
}
