/**
 * max_connections per instance class, as the fact sheet (section C) computes it, and every model
 * constant either sourced or labelled an assumption with how to calibrate it.
 */
import { describe, expect, it } from 'vitest';
import { connectionLimits, defaultMaxConnections, findInstanceClass, instanceClasses, postgresErrors, serverCosts } from '../../../src/facts/postgres.ts';
import { lambda } from '../../../src/facts/lambda.ts';
import { isAssumption, type Fact } from '../../../src/facts/fact.ts';

describe('RDS for PostgreSQL limits', () => {
  it('applies LEAST({DBInstanceClassMemory/9531392}, 5000) to nominal memory, matching the fact sheet table', () => {
    const expected: Record<string, number> = { 'db.t3.micro': 112, 'db.t4g.micro': 112, 'db.t3.small': 225, 'db.t3.medium': 450, 'db.r6g.large': 1802, 'db.r6g.2xlarge': 5000 };
    for (const [id, value] of Object.entries(expected)) expect(defaultMaxConnections(findInstanceClass(id)!), id).toBe(value);
    expect(instanceClasses.value.every((c) => c.vcpus >= 2)).toBe(true);
    expect(connectionLimits.superuserReservedConnections.value).toBe(3);
  });

  it('keeps the error fields PostgreSQL 16+ sends', () => {
    expect(postgresErrors.tooManyClients.value).toEqual({ S: 'FATAL', V: 'FATAL', C: '53300', M: 'sorry, too many clients already', F: 'proc.c', R: 'InitProcess' });
    expect(postgresErrors.reservedForSuperuser.value.M).toBe('remaining connection slots are reserved for roles with the SUPERUSER attribute');
    expect(postgresErrors.idleSessionTimeout.value.C).toBe('57P05');
  });

  it('sources every constant or says how to calibrate it', () => {
    const facts: Array<[string, Fact<unknown>]> = [...Object.entries(serverCosts), ...Object.entries(connectionLimits), ...Object.entries(lambda)] as Array<[string, Fact<unknown>]>;
    for (const [name, fact] of facts) {
      if (isAssumption(fact)) expect(fact.calibrate.length, name).toBeGreaterThan(40);
      else expect(fact.source, name).toMatch(/^https:\/\//);
    }
  });
});
