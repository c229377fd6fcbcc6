/**
 * max_connections per instance class, as the fact sheet (section C) computes it, and every model
 * constant either sourced or labelled an assumption with how to calibrate it.
 */
import { describe, expect, it } from 'vitest';
import {
  connectionLimits,
  deadClientAfterMs,
  engineVersions,
  findInstanceClass,
  instanceClasses,
  keepaliveDefaults,
  nominalMaxConnections,
  postgresErrors,
  rdsKeepalives,
  reservedForOrdinaryRoles,
  reservedSlotError,
  reservedSlotErrors,
  serverCosts,
} from '../../../src/facts/postgres.ts';
import { lambda } from '../../../src/facts/lambda.ts';
import { isAssumption, type Fact } from '../../../src/facts/fact.ts';

describe('RDS for PostgreSQL limits', () => {
  it('applies LEAST({DBInstanceClassMemory/9531392}, 5000) to nominal memory, matching the fact sheet table', () => {
    const expected: Record<string, number> = { 'db.t3.micro': 112, 'db.t4g.micro': 112, 'db.t3.small': 225, 'db.t3.medium': 450, 'db.r6g.large': 1802, 'db.r6g.2xlarge': 5000 };
    for (const [id, value] of Object.entries(expected)) expect(nominalMaxConnections(findInstanceClass(id)!), id).toBe(value);
    expect(instanceClasses.value.every((c) => c.vcpus >= 2)).toBe(true);
  });

  it('reserves superuser_reserved_connections (3) + rds.rds_superuser_reserved_connections (2): an ordinary role gets max_connections − 5', () => {
    expect(connectionLimits.superuserReservedConnections.value).toBe(3);
    expect(connectionLimits.rdsSuperuserReservedConnections.value).toBe(2);
    expect(reservedForOrdinaryRoles()).toBe(5);
  });

  it('words the reserved-slot error as RDS does on 15 and older, and as community PostgreSQL does from 16', () => {
    expect(reservedSlotError('15').M).toBe('remaining connection slots are reserved for non-replication superuser and rds_superuser connections');
    for (const version of ['16', '17', '18'] as const) expect(reservedSlotError(version).M, version).toBe('remaining connection slots are reserved for roles with the SUPERUSER attribute');
    expect(reservedSlotErrors.community15.value.M).toBe('remaining connection slots are reserved for non-replication superuser connections');
    for (const fact of Object.values(reservedSlotErrors)) expect(fact.value).toMatchObject({ S: 'FATAL', V: 'FATAL', C: '53300', F: 'postinit.c', R: 'InitPostgres' });
    expect(engineVersions.choices.value).toContain(engineVersions.default.value);
  });

  it('drops a silent client after RDS\'s keepalives: 300 + 30 × 2 = 360 s', () => {
    expect(rdsKeepalives).toEqual({ idleMs: 300_000, intervalMs: 30_000, count: 2 });
    expect(deadClientAfterMs(rdsKeepalives)).toBe(360_000);
  });

  it('keeps the error fields PostgreSQL sends', () => {
    expect(postgresErrors.tooManyClients.value).toEqual({ S: 'FATAL', V: 'FATAL', C: '53300', M: 'sorry, too many clients already', F: 'proc.c', R: 'InitProcess' });
    expect(postgresErrors.idleSessionTimeout.value.C).toBe('57P05');
  });

  it('sources every constant or says how to calibrate it', () => {
    const facts: Array<[string, Fact<unknown>]> = [...Object.entries(serverCosts), ...Object.entries(connectionLimits), ...Object.entries(keepaliveDefaults), ...Object.entries(engineVersions), ...Object.entries(reservedSlotErrors), ...Object.entries(lambda)] as Array<[string, Fact<unknown>]>;
    for (const [name, fact] of facts) {
      if (isAssumption(fact)) expect(fact.calibrate.length, name).toBeGreaterThan(40);
      else expect(fact.source, name).toMatch(/^https:\/\//);
    }
  });
});
