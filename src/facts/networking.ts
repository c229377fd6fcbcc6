/**
 * What a function in a VPC pays to reach AWS APIs (Secrets Manager, STS, the Data API): an interface VPC endpoint
 * per service or a NAT gateway, us-east-1, on-demand, US dollars. AWS's pricing pages fill their tables in the
 * browser, so the rates below were read from the pages' worked examples and from secondary quotes that agree
 * (MED, like the proxy's rate in pricing.ts).
 */
import type { Fact } from './fact.ts';

const PRIVATELINK_PRICING = 'https://aws.amazon.com/privatelink/pricing/';
const VPC_PRICING = 'https://aws.amazon.com/vpc/pricing/';

export const networking = {
  /** Billed for every hour the endpoint exists in each Availability Zone it is placed in, busy or not. */
  interfaceEndpointPerAzHour: {
    value: 0.01,
    unit: 'USD per interface endpoint per Availability Zone per hour',
    source: PRIVATELINK_PRICING,
    note: 'The page bills each endpoint-hour per AZ, a partial hour as a whole one; the rate is rendered in the browser, and secondary quotes agree on $0.01 (e.g. egresscost.com/nat-gateway, awsnegotiations.com/privatelink-cost-analysis.html) (MED).',
  },
  /** The first tier; it applies to the first petabyte a month across all interface endpoints in the Region. */
  interfaceEndpointPerGb: {
    value: 0.01,
    unit: 'USD per GB processed by interface endpoints (first 1 PB a month in the Region)',
    source: PRIVATELINK_PRICING,
    note: 'Tiered: $0.01 for the first PB, $0.006 for the next 4 PB, $0.004 beyond, per the page\'s data-processing table (MED).',
  },
  natGatewayPerHour: {
    value: 0.045,
    unit: 'USD per NAT gateway per hour',
    source: VPC_PRICING,
    note: 'The page\'s worked example (US East) gives $0.045 per hour; secondary quotes give the same rate for us-east-1, e.g. sst.dev/docs/component/aws/vpc (MED). Its public IPv4 address is billed on top and is not counted here.',
  },
  natGatewayPerGb: {
    value: 0.045,
    unit: 'USD per GB processed by a NAT gateway (both directions)',
    source: VPC_PRICING,
    note: 'Same worked example; charged on top of any data transfer out (MED).',
  },
} as const satisfies Record<string, Fact>;
