/**
 * The facts the chapter "Beyond the default compute and the classic instance" cites: each one sourced from a public
 * https page, and the figures the prose relies on exactly as AWS documents them.
 */
import { describe, expect, it } from 'vitest';
import * as dsql from '../../src/facts/aurora-dsql.ts';
import { autoPause } from '../../src/facts/aurora-serverless-v2.ts';
import { managedInstances, snapStart } from '../../src/facts/lambda.ts';
import { networking } from '../../src/facts/networking.ts';
import { proxyEndpoints } from '../../src/facts/rds-proxy.ts';

type AnyFact = { value: unknown; unit: string; source: string };
const tables: Record<string, Record<string, AnyFact>> = {
  dsqlConnections: dsql.dsqlConnections,
  dsqlErrors: dsql.dsqlErrors,
  dsqlUnsupported: { list: dsql.dsqlUnsupported },
  dsqlAccess: dsql.dsqlAccess,
  dsqlRetry: dsql.dsqlRetry,
  autoPause,
  managedInstances,
  snapStart,
  networking,
  proxyEndpoints,
};

describe("the new chapter's facts", () => {
  it.each(Object.entries(tables))('%s: every fact has a public https source or says it is an assumption', (_, table) => {
    for (const [name, fact] of Object.entries(table)) expect(fact.source, name).toMatch(/^(https:\/\/[^\s]+|assumption)$/);
  });

  it("carries Aurora DSQL's connection limits and error texts as its quota page gives them", () => {
    expect(dsql.dsqlConnections.ratePerCluster.value).toBe(100);
    expect(dsql.dsqlConnections.burstCapacity.value).toBe(1_000);
    expect(dsql.dsqlConnections.maxSessionDuration.value).toBe(60 * 60 * 1000);
    expect(dsql.dsqlErrors.rateExceeded.value).toEqual({ code: '53400', message: 'Unable to accept connection, rate exceeded.' });
  });

  it('keeps the auto-pause idle window within the API range, and SnapStart away from Node.js', () => {
    expect(autoPause.idleBeforePauseMinimum.value).toBeLessThan(autoPause.idleBeforePauseMaximum.value);
    expect(snapStart.runtimes.value).not.toMatch(/Node/);
    expect(managedInstances.nodejsDefaultConcurrencyPerVcpu.value).toBe(64);
  });
});
