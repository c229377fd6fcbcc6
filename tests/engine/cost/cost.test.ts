/**
 * The cost projection against figures worked by hand from the fact sheet (sections A8, F and H(3)),
 * and the properties the comparison relies on.
 */
import { describe, expect, it } from 'vitest';
import { PATTERNS, compareCosts, costPerMillionRequests, monthlyCost, monthlyProxyCost, type Scenario } from '../../../src/engine/cost/index.ts';
import { isAssumption } from '../../../src/facts/fact.ts';
import { pricing } from '../../../src/facts/pricing.ts';
import { dsqlAssumedWorkload } from '../../../src/facts/aurora-dsql.ts';

const cents = (usd: number) => Math.round(usd * 100) / 100;

describe('monthly RDS Proxy cost', () => {
  it('bills at least 2 vCPUs: about $21.90 a month for a 1-vCPU instance (fact sheet H(3))', () => {
    const cost = monthlyProxyCost({ kind: 'instance', vcpus: 1 });
    expect(cents(cost.usd)).toBe(21.9);
    expect(cost.billedUnits).toBe(2);
    expect(cost.minimumApplied).toBe(true);
  });

  it('bills a 4-vCPU instance about $43.80 a month (fact sheet H(3))', () => {
    const cost = monthlyProxyCost({ kind: 'instance', vcpus: 4 });
    expect(cents(cost.usd)).toBe(43.8);
    expect(cost.minimumApplied).toBe(false);
  });

  it('adds up every instance registered with the proxy', () => {
    expect(monthlyProxyCost({ kind: 'instance', vcpus: 2, instances: 3 }).usd).toBeCloseTo(3 * monthlyProxyCost({ kind: 'instance', vcpus: 2 }).usd, 10);
  });

  it('bills Aurora Serverless v2 at least 8 ACUs, and says its rate is an assumption', () => {
    const small = monthlyProxyCost({ kind: 'serverless-v2', acus: 2 });
    const floor = monthlyProxyCost({ kind: 'serverless-v2', acus: 8 });
    const large = monthlyProxyCost({ kind: 'serverless-v2', acus: 16 });
    expect(small.usd).toBe(floor.usd);
    expect(small.minimumApplied).toBe(true);
    expect(large.usd).toBeCloseTo(2 * floor.usd, 10);
    expect(small.usesAssumptions).toBe(true);
    expect(monthlyProxyCost({ kind: 'instance', vcpus: 4 }).usesAssumptions).toBe(false);
  });

  it('rejects a target that is not a database size', () => {
    expect(() => monthlyProxyCost({ kind: 'instance', vcpus: 0 })).toThrow();
    expect(() => monthlyProxyCost({ kind: 'serverless-v2', acus: -1 })).toThrow();
  });
});

describe('cost per million requests', () => {
  const scenario: Scenario = {
    requestsPerMonth: 10_000_000,
    lambda: { memoryMb: 1024, durationMs: 100, durationMsByPattern: { 'connection-per-invocation': 250 } },
    proxyTarget: { kind: 'instance', vcpus: 2 },
  };

  it('prices every pattern, each line naming its prices', () => {
    for (const pattern of PATTERNS) {
      const cost = costPerMillionRequests(pattern, scenario);
      expect(cost.usd).toBeGreaterThan(0);
      expect(cost.usd).toBeCloseTo(cost.lines.reduce((sum, l) => sum + l.usd, 0), 12);
      for (const line of cost.lines) expect(line.prices.length).toBeGreaterThan(0);
    }
  });

  it('Lambda alone: $0.20 in requests plus 100,000 GB-s for 1 GB × 100 ms (worked by hand)', () => {
    const cost = costPerMillionRequests('module-pool', scenario);
    expect(cost.usd).toBeCloseTo(0.2 + 100_000 * 0.0000166667, 6);
    expect(cost.usesAssumptions).toBe(true);
  });

  it('a connection per invocation costs its extra duration', () => {
    const perInvocation = costPerMillionRequests('connection-per-invocation', scenario).usd;
    const pooled = costPerMillionRequests('module-pool', scenario).usd;
    expect(perInvocation - pooled).toBeCloseTo(1_000_000 * 0.15 * 1 * pricing.lambdaPerGbSecond.value, 6);
  });

  it('spreads the proxy over the month: $21.90 over 10 million requests is $2.19 per million', () => {
    const proxy = costPerMillionRequests('rds-proxy', scenario);
    const pooled = costPerMillionRequests('module-pool', scenario);
    expect(cents(proxy.usd - pooled.usd)).toBe(2.19);
    // Ten times the traffic, a tenth of the share.
    const busier = costPerMillionRequests('rds-proxy', { ...scenario, requestsPerMonth: 100_000_000 });
    expect(busier.usd - pooled.usd).toBeCloseTo((proxy.usd - pooled.usd) / 10, 10);
  });

  it('DynamoDB: 1 KB written and read eventually consistent is 1 WRU + 0.5 RRU = $0.6875 per million (F)', () => {
    const cost = costPerMillionRequests('dynamodb', scenario);
    const pooled = costPerMillionRequests('module-pool', scenario);
    expect(cost.usd - pooled.usd).toBeCloseTo(0.625 + 0.0625, 10);
    const bigger = costPerMillionRequests('dynamodb', { ...scenario, dynamodb: { itemBytes: 5000, consistentReads: true } });
    // 5,000 bytes: 5 write units and 2 strongly consistent read units.
    expect(bigger.usd - pooled.usd).toBeCloseTo(5 * 0.625 + 2 * 0.125, 10);
  });

  it('Aurora DSQL: 0.05 DPU per single-row write at $8 per million DPUs, plus a month of the rows\' storage (worked by hand)', () => {
    const cost = costPerMillionRequests('aurora-dsql', scenario);
    const pooled = costPerMillionRequests('module-pool', scenario);
    // 1,000,000 × 0.05 DPU = 50,000 DPU = $0.40; 1,000,000 rows × 100 bytes = 0.0931 GiB × $0.33 = $0.0307.
    expect(cost.usd - pooled.usd).toBeCloseTo(0.4 + (1e8 / 2 ** 30) * 0.33, 10);
    expect(cost.usesAssumptions).toBe(true);
    const twoWrites = costPerMillionRequests('aurora-dsql', { ...scenario, dsql: { writesPerRequest: 2, rowBytes: 100 } });
    expect(twoWrites.usd - pooled.usd).toBeCloseTo(2 * (cost.usd - pooled.usd), 10);
  });

  it('Aurora DSQL: the workload a scenario leaves out is the assumption in src/facts, cited on its line; a given one replaces it', () => {
    const storage = (c: ReturnType<typeof costPerMillionRequests>) => c.lines.find((l) => l.label.includes('storage'))!;
    const writes = (c: ReturnType<typeof costPerMillionRequests>) => c.lines.find((l) => l.label.includes('single-row write'))!;
    const assumed = costPerMillionRequests('aurora-dsql', scenario);
    expect(storage(assumed).label).toContain(`${dsqlAssumedWorkload.rowBytes.value} bytes each`);
    expect(storage(assumed).prices).toContain(dsqlAssumedWorkload.rowBytes);
    expect(writes(assumed).prices).toContain(dsqlAssumedWorkload.writesPerRequest);
    const given = costPerMillionRequests('aurora-dsql', { ...scenario, dsql: { writesPerRequest: 3, rowBytes: 400 } });
    expect(storage(given).label).toContain('400 bytes each');
    expect(storage(given).prices).not.toContain(dsqlAssumedWorkload.rowBytes);
    expect(writes(given).prices).not.toContain(dsqlAssumedWorkload.writesPerRequest);
    expect(writes(given).label).toMatch(/^Aurora DSQL: 3 single-row write/);
  });

  it('SQS batching: one send per request, a receive and a delete per batch, one consumer run per batch', () => {
    const ten = costPerMillionRequests('sqs-batching', scenario);
    const hundred = costPerMillionRequests('sqs-batching', { ...scenario, sqs: { batchSize: 100, consumerDurationMs: 100 } });
    const sqsLine = (c: typeof ten) => c.lines.find((l) => l.label.startsWith('SQS'))?.usd ?? Number.NaN;
    expect(sqsLine(ten)).toBeCloseTo(1.2 * pricing.sqsPerMillionRequests.value, 10);
    expect(sqsLine(hundred)).toBeCloseTo(1.02 * pricing.sqsPerMillionRequests.value, 10);
    expect(hundred.usd).toBeLessThan(ten.usd);
  });

  it('the Data API price is flagged as an assumption', () => {
    expect(isAssumption(pricing.dataApiPerMillionRequests)).toBe(true);
    const line = costPerMillionRequests('data-api', scenario).lines.find((l) => l.label.startsWith('Data API'));
    expect(line?.prices.every(isAssumption)).toBe(true);
  });

  it('includes a database cost the scenario gives, for the patterns that use the database', () => {
    const withDatabase = { ...scenario, databaseMonthlyUsd: 100 };
    expect(costPerMillionRequests('module-pool', withDatabase).usd - costPerMillionRequests('module-pool', scenario).usd).toBeCloseTo(10, 10);
    expect(costPerMillionRequests('dynamodb', withDatabase).usd).toBe(costPerMillionRequests('dynamodb', scenario).usd);
  });

  it('needs the proxy target for the rds-proxy pattern and rejects nonsense', () => {
    expect(() => costPerMillionRequests('rds-proxy', { ...scenario, proxyTarget: undefined })).toThrow(/proxyTarget/);
    expect(() => costPerMillionRequests('module-pool', { ...scenario, requestsPerMonth: 0 })).toThrow();
    expect(() => costPerMillionRequests('module-pool', { ...scenario, lambda: { memoryMb: 64, durationMs: 1 } })).toThrow();
  });
});

describe('monthly projection and comparison', () => {
  const scenario: Scenario = { requestsPerMonth: 30_000_000, lambda: { memoryMb: 512, durationMs: 50 }, proxyTarget: { kind: 'instance', vcpus: 2 } };

  it('a month of the proxy pattern includes exactly one month of the proxy ($21.90 at 2 vCPUs)', () => {
    const proxyLine = monthlyCost('rds-proxy', scenario).lines.find((l) => l.label.startsWith('RDS Proxy'));
    expect(cents(proxyLine?.usd ?? 0)).toBe(21.9);
  });

  it('scales per-million costs by the traffic', () => {
    for (const pattern of PATTERNS) {
      expect(monthlyCost(pattern, scenario).usd).toBeCloseTo(costPerMillionRequests(pattern, scenario).usd * 30, 9);
    }
  });

  it('lists every pattern cheapest first, leaving out the proxy when no database is named', () => {
    const all = compareCosts(scenario);
    expect(all.map((c) => c.pattern).sort()).toEqual([...PATTERNS].sort());
    for (let i = 1; i < all.length; i++) expect(all[i - 1]?.perMillion.usd).toBeLessThanOrEqual(all[i]?.perMillion.usd ?? 0);
    const withoutProxy = compareCosts({ ...scenario, proxyTarget: undefined });
    expect(withoutProxy.map((c) => c.pattern)).not.toContain('rds-proxy');
  });
});

describe('the price table', () => {
  it('sources every sourced price to a URL and says how to calibrate every assumption', () => {
    for (const [name, fact] of Object.entries(pricing)) {
      if (isAssumption(fact)) expect(fact.calibrate, name).toMatch(/aws\.amazon\.com\/(lambda|sqs|rds)/);
      else expect(fact.source, name).toMatch(/^https:\/\//);
    }
  });

  it('marks as assumptions exactly the prices the fact sheet does not verify', () => {
    const assumed = Object.entries(pricing).filter(([, f]) => isAssumption(f)).map(([n]) => n).sort();
    expect(assumed).toEqual(['dataApiPerMillionRequests', 'lambdaPerGbSecond', 'lambdaPerMillionRequests', 'rdsProxyPerAcuHour', 'sqsPerMillionRequests']);
  });
});
