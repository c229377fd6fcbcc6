/** `--expect` written on the command line (parseExpectation), checked as a sandbox's expectations are. */
import { describe, expect, it } from 'vitest';
import { checkExpectation, ExpectationSyntaxError, parseExpectation } from '../../src/run/expectations.ts';
import type { RunReport } from '../../src/run/report.ts';

/** The parts of a report these checks read. */
const report = (over: { failed?: number; throttled?: number; peak?: number; p99?: number }) =>
  ({
    invocations: { total: 10, succeeded: 10, failed: over.failed ?? 0, throttled: over.throttled ?? 0, inFlightAtEnd: 0 },
    errors: over.failed ? [{ code: '53300', message: 'sorry, too many clients already', count: over.failed }] : [],
    database: { peakConnections: over.peak ?? 4 },
    latencyMs: { p50: 1, p95: 2, p99: over.p99 ?? 3, max: 4 },
  }) as unknown as RunReport;

describe('parseExpectation', () => {
  it('reads no-errors as nothing failed and nothing throttled', () => {
    const noErrors = parseExpectation('no-errors');
    expect(checkExpectation(noErrors, report({})).passed).toBe(true);
    expect(checkExpectation(noErrors, report({ failed: 2 })).passed).toBe(false);
    expect(checkExpectation(noErrors, report({ throttled: 1 })).passed).toBe(false);
  });

  it('reads the shorthands and any report path, with spaces or none', () => {
    expect(parseExpectation('peak-connections<=40').checks).toEqual([{ left: 'database.peakConnections', op: '<=', right: 40 }]);
    expect(parseExpectation('p99 <= 800.5').checks).toEqual([{ left: 'latencyMs.p99', op: '<=', right: 800.5 }]);
    expect(parseExpectation('errorsByCode.53300==0').checks).toEqual([{ left: 'errorsByCode.53300', op: '==', right: 0 }]);
    expect(checkExpectation(parseExpectation('peak-connections<=4'), report({})).passed).toBe(true);
    expect(checkExpectation(parseExpectation('peak-connections<=4'), report({ peak: 5 })).passed).toBe(false);
    expect(checkExpectation(parseExpectation('errorsByCode.53300==0'), report({ failed: 1 })).passed).toBe(false);
  });

  it.each(['fast', 'p99', 'p99<=', '<=5', 'p99=>5', 'p99<=5ms', '__proto__<1'])('refuses %s', (written) => {
    expect(() => parseExpectation(written)).toThrow(ExpectationSyntaxError);
  });
});
