/**
 * The wizard's rules, one table per rule, each row a situation a reader could be in. The numbers in
 * the expectations come from the facts (nominal max_connections, Aurora's ACU table, the proxy's
 * minimum charge), worked out by hand in the row's name.
 */
import { describe, expect, it } from 'vitest';
import { decide, defaultAnswers, type Answers, type Recommendation } from '../../src/wizard/index.ts';
import type { Pattern } from '../../src/vocabulary/choices.ts';

const with_ = (patch: Partial<Answers>): Answers => ({ ...defaultAnswers, ...patch });
const text = (r: Recommendation) => [...r.reasons, ...r.cautions].map((reason) => reason.text).join('\n');
const serverless = { database: 'aurora-serverless-v2', instanceClass: 'db.serverless' } as const;

describe('rule 8: Serverless v2 max_connections follows the ACU range', () => {
  const table: Array<[string, Partial<Answers>, number, Pattern]> = [
    ['0.5–1 ACU allows 189: 150 invocations need more than the direct 94', { ...serverless, minAcu: 0.5, maxAcu: 1, peakConcurrency: 150 }, 189, 'data-api'],
    ['0.5–16 ACU is capped at 2,000: 1,200 invocations exceed the direct 1,000', { ...serverless, minAcu: 0.5, maxAcu: 16, peakConcurrency: 1200 }, 2000, 'data-api'],
    ['1–16 ACU allows 3,360: 1,200 invocations fit the direct 1,680', { ...serverless, minAcu: 1, maxAcu: 16, peakConcurrency: 1200 }, 3360, 'module-pool'],
    ['1–32 ACU allows 5,000', { ...serverless, minAcu: 1, maxAcu: 32, peakConcurrency: 2400 }, 5000, 'module-pool'],
  ];
  it.each(table)('%s', (_name, patch, maxConnections, pattern) => {
    const r = decide(with_(patch));
    expect(r.budget).toMatchObject({ maxConnections, maxConnectionsBasis: 'acu-range' });
    expect(r.pattern).toBe(pattern);
    expect(text(r)).toContain(`${patch.minAcu}–${patch.maxAcu} ACU range allows ${maxConnections.toLocaleString('en-US')}`);
  });
  it('names a higher minimum as what would lift the 2,000 cap', () => {
    const r = decide(with_({ ...serverless, minAcu: 0.5, maxAcu: 16, peakConcurrency: 1200, latencyBudgetMs: 20 }));
    expect(r.pattern).toBe('rds-proxy');
    expect(r.whatWouldChange).toContain('With a minimum of 1 ACU (max_connections 3,360 instead of 2,000): a module-level pool connecting directly.');
  });
});

describe('the instance-class figure is labelled nominal', () => {
  it.each(['db.t3.micro', 'db.t4g.small', 'db.r6g.large'] as const)('%s', (instanceClass) => {
    const r = decide(with_({ instanceClass }));
    expect(r.budget.maxConnectionsBasis).toBe('nominal-memory');
    expect(text(r)).toMatch(/allows at most [\d,]+ \(nominal; SHOW max_connections on yours is lower\)/);
  });
});

describe('rule 16: the connection budget is per database, shared with other clients', () => {
  const table: Array<[string, Partial<Answers>, number, Pattern]> = [
    ['alone on db.t4g.small: 225 less RDS\'s 5 reserved slots, half of it 110: 100 invocations fit', { peakConcurrency: 100, otherConnections: 0 }, 110, 'module-pool'],
    ['50 other connections leave 170 after the 5 reserved, of which 85: 100 invocations no longer fit', { peakConcurrency: 100, otherConnections: 50 }, 85, 'rds-proxy'],
    ['others holding every connection leave no direct budget', { peakConcurrency: 10, otherConnections: 300 }, 0, 'rds-proxy'],
    ['another function with 1,000 connections on db.r6g.large leaves 797 of 1,802 (5 reserved), half 398', { instanceClass: 'db.r6g.large', peakConcurrency: 500, otherConnections: 1000 }, 398, 'rds-proxy'],
  ];
  it.each(table)('%s', (_name, patch, directBudget, pattern) => {
    const r = decide(with_(patch));
    expect(r.budget.directBudget).toBe(directBudget);
    expect(r.pattern).toBe(pattern);
  });
  it('says what the other clients hold, and what would change without them', () => {
    const r = decide(with_({ peakConcurrency: 100, otherConnections: 50 }));
    expect(text(r)).toContain('other clients hold 50 of them');
    expect(r.whatWouldChange).toContain('If no other client used the database: a module-level pool connecting directly.');
  });
});

describe('rule 17: asynchronous writes go to a queue; reads still need a pool or a proxy', () => {
  const table: Array<[string, Partial<Answers>, Pattern, Pattern | undefined]> = [
    ['writes and waiting reads over the budget: queue for writes, proxy for reads', { peakConcurrency: 3000, asyncWritesOk: 'yes', synchronousReads: 'yes' }, 'sqs-batching', 'rds-proxy'],
    ['writes only: the queue alone', { peakConcurrency: 3000, asyncWritesOk: 'yes', synchronousReads: 'no' }, 'sqs-batching', undefined],
    ['reads on provisioned Aurora with latency to spare but no spend: the Data API', { database: 'aurora-postgresql', instanceClass: 'db.r6g.large', peakConcurrency: 3000, asyncWritesOk: 'yes', monthlySpendUsd: 0, latencyBudgetMs: 300 }, 'sqs-batching', 'data-api'],
    ['reads with no spend and no Data API: a capped pool', { peakConcurrency: 3000, asyncWritesOk: 'yes', monthlySpendUsd: 0 }, 'sqs-batching', 'module-pool'],
    ['everything fits directly: no queue needed', { peakConcurrency: 50, asyncWritesOk: 'yes' }, 'module-pool', undefined],
  ];
  it.each(table)('%s', (_name, patch, pattern, reads) => {
    const r = decide(with_(patch));
    expect(r.pattern).toBe(pattern);
    expect(r.reads?.pattern).toBe(reads);
    if (reads) {
      expect(r.reads!.generate.pattern).toBe(reads);
      expect(text(r)).toContain('a queue cannot serve a read');
    }
  });
  it('the reads share the budget with the queue consumer', () => {
    // db.t4g.small: 110 direct, the consumer takes 10, so the reads' cap is 100.
    const r = decide(with_({ peakConcurrency: 3000, asyncWritesOk: 'yes', monthlySpendUsd: 0 }));
    expect(r.reservedConcurrency).toBe(100);
  });
});

describe('rule 18: a small peak on a large instance needs no proxy, spiky or not', () => {
  const table: Array<[string, Partial<Answers>, Pattern]> = [
    ['spiky, peak 20 on db.r6g.large', { instanceClass: 'db.r6g.large', peakConcurrency: 20, traffic: 'spiky' }, 'module-pool'],
    ['spiky, peak 898 on db.r6g.large (exactly half of 1,802 less 5 reserved)', { instanceClass: 'db.r6g.large', peakConcurrency: 898, traffic: 'spiky' }, 'module-pool'],
    ['spiky, peak 899 on db.r6g.large', { instanceClass: 'db.r6g.large', peakConcurrency: 899, traffic: 'spiky' }, 'rds-proxy'],
    ['steady, peak 20 on db.r6g.large', { instanceClass: 'db.r6g.large', peakConcurrency: 20, traffic: 'steady' }, 'module-pool'],
  ];
  it.each(table)('%s', (_name, patch, pattern) => {
    expect(decide(with_(patch)).pattern).toBe(pattern);
  });
  it('recommends reserved concurrency and server-side timeouts, and says the proxy would cost more', () => {
    const r = decide(with_({ instanceClass: 'db.r6g.large', peakConcurrency: 20, traffic: 'spiky' }));
    expect(r.reservedConcurrency).toBe(20);
    expect(text(r)).toContain('not counted twice');
    expect(text(r)).toContain('idle_session_timeout');
    expect(text(r)).toContain('$21.90 a month');
    expect(r.runnerUp.pattern).toBe('rds-proxy');
    expect(r.whatWouldChange.some((change) => change.startsWith('If traffic were steady'))).toBe(false);
  });
});

describe('rule 19: the Data API is offered on provisioned Aurora PostgreSQL as on Serverless v2', () => {
  const table: Array<[string, Partial<Answers>, Pattern, Pattern]> = [
    ['provisioned Aurora over budget, proxy affordable: proxy, Data API runner-up', { database: 'aurora-postgresql', instanceClass: 'db.r6g.large', peakConcurrency: 2000, latencyBudgetMs: 300 }, 'rds-proxy', 'data-api'],
    ['provisioned Aurora over budget, proxy not affordable: the Data API', { database: 'aurora-postgresql', instanceClass: 'db.r6g.large', peakConcurrency: 2000, latencyBudgetMs: 300, monthlySpendUsd: 20 }, 'data-api', 'rds-proxy'],
    ['Serverless v2 over budget: the Data API', { ...serverless, peakConcurrency: 1500, latencyBudgetMs: 300 }, 'data-api', 'rds-proxy'],
    ['RDS for PostgreSQL never: capped pool', { instanceClass: 'db.r6g.large', peakConcurrency: 2000, latencyBudgetMs: 300, monthlySpendUsd: 20 }, 'module-pool', 'rds-proxy'],
    ['Aurora on a T class never: capped pool', { database: 'aurora-postgresql', instanceClass: 'db.t3.medium', peakConcurrency: 2000, latencyBudgetMs: 300, monthlySpendUsd: 20 }, 'module-pool', 'rds-proxy'],
  ];
  it.each(table)('%s', (_name, patch, pattern, runnerUp) => {
    const r = decide(with_(patch));
    expect(r.pattern).toBe(pattern);
    expect(r.runnerUp.pattern).toBe(runnerUp);
    if (pattern === 'data-api') expect(r.generate.database).toBe(patch.database);
  });
});

describe('rule 20: like with like', () => {
  it('compares connections at the peak with max_connections', () => {
    const r = decide(with_({ instanceClass: 'db.t4g.small', peakConcurrency: 100 }));
    expect(r.budget).toMatchObject({ connectionsAtPeak: 100, maxConnections: 225 });
  });
  const table: Array<[string, Partial<Answers>, number, boolean]> = [
    ['50 environments open 50 new connections/s: under 200', { peakConcurrency: 50 }, 50, false],
    ['199 environments: under 200', { instanceClass: 'db.r6g.large', peakConcurrency: 199 }, 199, false],
    ['300 environments on a large instance: 300 new connections/s, over 200', { instanceClass: 'db.r6g.2xlarge', peakConcurrency: 300 }, 300, true],
    ['a 5,000 spike behind the proxy: Lambda starts 1,000 at once', { peakConcurrency: 5000 }, 1000, true],
    ['a capped pool opens at most its reserved concurrency', { peakConcurrency: 5000, monthlySpendUsd: 0 }, 110, false],
  ];
  it.each(table)('%s', (_name, patch, rate, over) => {
    const r = decide(with_({ auth: 'iam', ...patch }));
    expect(r.newConnectionsPerSecond).toBe(rate);
    expect(r.cautions.some((c) => c.text.includes('above AWS\'s guidance of fewer than 200 new IAM-authenticated connections per second'))).toBe(over);
    expect(text(r)).toContain(`about ${rate.toLocaleString('en-US')} new connections per second`);
  });
  it('concurrency above 200 is not an IAM problem by itself when connections arrive slower (Secrets Manager: no comparison)', () => {
    const r = decide(with_({ auth: 'secrets-manager', instanceClass: 'db.r6g.2xlarge', peakConcurrency: 300 }));
    expect(r.cautions).toEqual([]);
  });
  it('behind the proxy the caution names the proxy\'s own IAM limit', () => {
    const r = decide(with_({ auth: 'iam', peakConcurrency: 5000 }));
    expect(r.pattern).toBe('rds-proxy');
    expect(r.cautions.map((c) => c.text).join()).toContain('too many competing IAM requests');
  });
});

describe('rule 21: what the reader can spend', () => {
  const table: Array<[string, Partial<Answers>, number, Pattern]> = [
    ['db.t4g.small (2 vCPUs): 2 × $0.015 × 730 h = $21.90, affordable at $100', { peakConcurrency: 500 }, 21.9, 'rds-proxy'],
    ['the same at $21: capped pool', { peakConcurrency: 500, monthlySpendUsd: 21 }, 21.9, 'module-pool'],
    ['db.r6g.2xlarge (8 vCPUs): $87.60', { instanceClass: 'db.r6g.2xlarge', peakConcurrency: 4000 }, 87.6, 'rds-proxy'],
    ['db.r6g.2xlarge at $50: capped pool', { instanceClass: 'db.r6g.2xlarge', peakConcurrency: 4000, monthlySpendUsd: 50 }, 87.6, 'module-pool'],
    ['Serverless v2 (at least 8 ACUs): $87.60', { ...serverless, peakConcurrency: 1500, latencyBudgetMs: 20 }, 87.6, 'rds-proxy'],
  ];
  it.each(table)('%s', (_name, patch, cost, pattern) => {
    const r = decide(with_(patch));
    expect(r.proxyMinimumMonthlyUsd).toBe(cost);
    expect(r.pattern).toBe(pattern);
    expect(text(r)).toContain(`about $${cost.toFixed(2)} a month`);
  });
  it('a capped pool says what it throttles, and what spend would bring the proxy', () => {
    const r = decide(with_({ peakConcurrency: 500, monthlySpendUsd: 21 }));
    expect(r.reservedConcurrency).toBe(110);
    expect(text(r)).toContain('above the $21.00 you can spend');
    expect(text(r)).toContain('TooManyRequestsException');
    expect(r.whatWouldChange).toContain('If you could spend $22.00 a month: RDS Proxy.');
  });
});
