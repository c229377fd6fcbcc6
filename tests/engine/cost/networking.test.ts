/** The two routes to AWS APIs from a VPC, against figures worked by hand from src/facts/networking.ts. */
import { describe, expect, it } from 'vitest';
import { monthlyEndpointCost, monthlyNatCost } from '../../../src/engine/cost/networking.ts';

const cents = (usd: number) => Math.round(usd * 100) / 100;

describe('a month of interface endpoints', () => {
  it('bills every endpoint in every AZ: Secrets Manager and STS in 2 AZs cost 4 × 730 h × $0.01 = $29.20 before data', () => {
    const cost = monthlyEndpointCost({ services: 2, availabilityZones: 2, gbPerMonth: 0 });
    expect(cents(cost.usd)).toBe(29.2);
    expect(cost.lines[0]!.label).toBe('2 endpoints × 2 AZ × 730 h');
  });

  it('adds $0.01 per GB processed', () => {
    expect(cents(monthlyEndpointCost({ services: 2, availabilityZones: 2, gbPerMonth: 100 }).usd)).toBe(30.2);
  });
});

describe('a month of NAT gateways', () => {
  it('bills one gateway 730 h × $0.045 = $32.85 before data, and $0.045 per GB', () => {
    expect(cents(monthlyNatCost({ gateways: 1, gbPerMonth: 0 }).usd)).toBe(32.85);
    expect(cents(monthlyNatCost({ gateways: 1, gbPerMonth: 100 }).usd)).toBe(37.35);
  });

  it('costs more than the two endpoints once there is a gateway per AZ, whatever the traffic', () => {
    for (const gbPerMonth of [0, 10, 1_000]) {
      expect(monthlyNatCost({ gateways: 2, gbPerMonth }).usd).toBeGreaterThan(monthlyEndpointCost({ services: 2, availabilityZones: 2, gbPerMonth }).usd);
    }
  });

  it('names sourced prices only', () => {
    expect(monthlyNatCost({ gateways: 1, gbPerMonth: 1 }).usesAssumptions).toBe(false);
    expect(monthlyEndpointCost({ services: 1, availabilityZones: 1, gbPerMonth: 1 }).usesAssumptions).toBe(false);
  });
});
