/** The proxy-pinning sandbox: each expectation sandboxes/proxy-pinning/sandbox.json states, as one run of the engine. */
import { expect } from 'vitest';
import { describeExpectations } from './expectations.ts';

const ID = 'proxy-pinning';

// Every run through the proxy keeps its accounting and stays within the proxy's cap.
describeExpectations(ID, (report) => {
  expect(report.invocations.total).toBe(report.invocations.succeeded + report.invocations.failed + report.invocations.throttled);
  expect(report.proxy?.peakDatabaseConnections).toBeLessThanOrEqual(report.proxy!.maxDatabaseConnectionsAllowed);
});
