import { describe, expect, it } from 'vitest';
import * as facts from '../../src/facts/rds-proxy.ts';

type AnyFact = { value: unknown; unit: string; source: string; calibrate?: string };
const all = (): Array<[string, AnyFact]> =>
  Object.entries(facts).flatMap(([group, table]) =>
    'source' in (table as object) ? [[group, table as AnyFact]] : Object.entries(table as Record<string, AnyFact>).map(([name, fact]) => [`${group}.${name}`, fact] as [string, AnyFact]),
  );

describe('RDS Proxy facts', () => {
  it('each has a public source URL, or is an assumption that says how to calibrate it', () => {
    for (const [name, fact] of all()) {
      if (fact.source === 'assumption') expect(fact.calibrate?.length ?? 0, name).toBeGreaterThan(40);
      else expect(fact.source, name).toMatch(/^https:\/\//);
    }
  });

  it('carries AWS\'s defaults and the documented error texts exactly', () => {
    expect(facts.proxySettings.connectionBorrowTimeout.value).toBe(120_000);
    expect(facts.proxySettings.idleClientTimeout.value).toBe(1_800_000);
    expect(facts.proxySettings.maxConnectionsPercent.value).toBe(100);
    expect(facts.iamToken.lifetime.value).toBe(900_000);
    expect(facts.pinningLimits.statementBytes.value).toBe(16_384);
    expect(facts.proxyErrors.borrowTimeout.value.M).toBe('Timed-out waiting to acquire database connection.');
    expect(facts.proxyErrors.iamRequiresTls.value.M).toBe('IAM authentication is allowed only with SSL connections.');
  });
});
