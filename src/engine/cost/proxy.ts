/**
 * RDS Proxy's monthly charge, without the schema check (src/engine/cost/index.ts validates its input
 * with zod first): the page's calculator, whose form already constrains its fields, imports only
 * this, so a reading page does not ship zod.
 */
import type { Fact } from '../../facts/fact.ts';
import { pricing } from '../../facts/pricing.ts';

export type Prices = { [K in keyof typeof pricing]: Fact };

export interface CostLine {
  label: string;
  usd: number;
  /** The prices this line used, with their sources. */
  prices: Fact[];
}

export interface Cost {
  usd: number;
  lines: CostLine[];
  /** True when any price behind the total is an assumption rather than a sourced fact. */
  usesAssumptions: boolean;
}

export type ProxyCost = Cost & { billedUnits: number; minimumApplied: boolean };

/** A proxy target whose fields are already checked (positive numbers, whole instances). */
export type CheckedProxyTarget = { kind: 'instance'; vcpus: number; instances: number } | { kind: 'serverless-v2'; acus: number };

export const finish = (lines: CostLine[]): Cost => ({
  usd: lines.reduce((sum, l) => sum + l.usd, 0),
  lines,
  usesAssumptions: lines.some((l) => l.prices.some((p) => p.source === 'assumption')),
});

/** RDS Proxy is billed on the capacity of the database behind it, with a floor (fact sheet A8). */
export function proxyCost(parsed: CheckedProxyTarget, prices: Prices = pricing): ProxyCost {
  const hours = prices.hoursPerMonth;
  if (parsed.kind === 'instance') {
    const vcpus = parsed.vcpus * parsed.instances;
    const billed = Math.max(vcpus, prices.rdsProxyMinimumVcpus.value);
    const usd = billed * prices.rdsProxyPerVcpuHour.value * hours.value;
    return {
      ...finish([{ label: `RDS Proxy: ${billed} vCPU × ${hours.value} h`, usd, prices: [prices.rdsProxyPerVcpuHour, prices.rdsProxyMinimumVcpus, hours] }]),
      billedUnits: billed,
      minimumApplied: billed > vcpus,
    };
  }
  const billed = Math.max(parsed.acus, prices.rdsProxyMinimumAcus.value);
  const usd = billed * prices.rdsProxyPerAcuHour.value * hours.value;
  return {
    ...finish([{ label: `RDS Proxy: ${billed} ACU × ${hours.value} h`, usd, prices: [prices.rdsProxyPerAcuHour, prices.rdsProxyMinimumAcus, hours] }]),
    billedUnits: billed,
    minimumApplied: billed > parsed.acus,
  };
}
