/**
 * Prices the cost projection uses, us-east-1, on-demand, in US dollars, without free tiers.
 *
 * Only the RDS Proxy per-vCPU rate and minimums and DynamoDB's on-demand rates are in the fact sheet
 * (sections A8 and F, both MED: secondary quotes of AWS's pages); Aurora DSQL's come from
 * src/facts/aurora-dsql.ts. Everything else is an assumption
 * that says where to check it; the page shows which is which.
 */
import type { Fact } from './fact.ts';
import { dsqlPricing } from './aurora-dsql.ts';

const PROXY_PRICING = 'https://aws.amazon.com/rds/proxy/pricing/';
const DYNAMODB_PRICING = 'https://airbyte.com/data-engineering-resources/dynamodb-pricing';

export const pricing = {
  rdsProxyPerVcpuHour: {
    value: 0.015,
    unit: 'USD per vCPU-hour of the DB instances behind the proxy',
    source: PROXY_PRICING,
    factSheet: 'A8',
    note: 'Price-list SKU AHVT2C6WP2BB5BXQ (USE1-RDS:ProxyUsage), from secondary quotes of the AWS price list (MED).',
  },
  rdsProxyMinimumVcpus: { value: 2, unit: 'vCPUs billed at least', source: PROXY_PRICING, factSheet: 'A8', note: 'Secondary quotes of the pricing page: "Minimum Charge: 2 vCPUs" (MED).' },
  rdsProxyPerAcuHour: {
    value: 0.015,
    unit: 'USD per ACU-hour of Aurora Serverless v2 behind the proxy',
    source: 'assumption',
    calibrate:
      'UNVERIFIED: the fact sheet (A8, "Not verified") has no us-east-1 per-ACU rate; this uses the per-vCPU rate. One secondary table gives London as $0.017/vCPU-h and $0.018/ACU-h. Check aws.amazon.com/rds/proxy/pricing.',
  },
  rdsProxyMinimumAcus: {
    value: 8,
    unit: 'ACUs billed at least (Aurora Serverless v2)',
    source: PROXY_PRICING,
    factSheet: 'A8',
    note: 'Repeated in several IaC READMEs and a June 2024 serverworks.co.jp post; not read on the AWS page itself (MED).',
  },
  hoursPerMonth: { value: 730, unit: 'hours per month', source: PROXY_PRICING, factSheet: 'A8', note: 'The month AWS price examples use (2 vCPU × $0.015 × 730 h ≈ $21.90).' },
  lambdaPerMillionRequests: {
    value: 0.2,
    unit: 'USD per million Lambda invocations',
    source: 'assumption',
    calibrate: 'Not in the fact sheet: check aws.amazon.com/lambda/pricing (x86, us-east-1, no free tier).',
  },
  lambdaPerGbSecond: {
    value: 0.0000166667,
    unit: 'USD per GB-second of Lambda duration',
    source: 'assumption',
    calibrate: 'Not in the fact sheet: check aws.amazon.com/lambda/pricing (x86, first pricing tier, us-east-1).',
  },
  dynamodbPerMillionWriteUnits: {
    value: 0.625,
    unit: 'USD per million write request units (on-demand)',
    source: DYNAMODB_PRICING,
    factSheet: 'F',
    note: 'After the November 2024 cut (was $1.25); secondary sources, the AWS announcement was not retrievable (MED).',
  },
  dynamodbPerMillionReadUnits: {
    value: 0.125,
    unit: 'USD per million read request units (on-demand)',
    source: DYNAMODB_PRICING,
    factSheet: 'F',
    note: 'After the November 2024 cut (was $0.25); secondary sources (MED).',
  },
  sqsPerMillionRequests: {
    value: 0.4,
    unit: 'USD per million SQS requests (standard queue, 64 KB chunks)',
    source: 'assumption',
    calibrate: 'Not in the fact sheet: check aws.amazon.com/sqs/pricing (standard queue, first tier, no free tier), as for Lambda at aws.amazon.com/lambda/pricing.',
  },
  dataApiPerMillionRequests: {
    value: 0.35,
    unit: 'USD per million Data API requests',
    source: 'assumption',
    calibrate: 'UNVERIFIED: the fact sheet (section E) could not read the Aurora pricing page. Check aws.amazon.com/rds/aurora/pricing under "Data API".',
  },
  dsqlPerMillionDpus: dsqlPricing.perMillionDpus,
  dsqlPerGbMonth: dsqlPricing.perGbMonth,
} as const satisfies Record<string, Fact>;
