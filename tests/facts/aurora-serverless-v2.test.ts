import { describe, expect, it } from 'vitest';
import { maxConnectionsByMaxAcu, serverlessV2MaxConnections } from '../../src/facts/aurora-serverless-v2.ts';

describe('Aurora Serverless v2 max_connections from the ACU range', () => {
  const table: Array<[string, number, number, number]> = [
    ['0.5–1 ACU (re:Post measured 189)', 0.5, 1, 189],
    ['1–1 ACU', 1, 1, 189],
    ['1–4 ACU', 1, 4, 823],
    ['2–8 ACU', 2, 8, 1_669],
    ['0.5–8 ACU: under the cap, the table row', 0.5, 8, 1_669],
    ['0.5–16 ACU: capped at 2,000 by the low minimum', 0.5, 16, 2_000],
    ['0–16 ACU (auto-pause): capped at 2,000', 0, 16, 2_000],
    ['1–16 ACU: 3,360', 1, 16, 3_360],
    ['1–32 ACU: 5,000', 1, 32, 5_000],
    ['4–256 ACU: 5,000', 4, 256, 5_000],
    ['0.5–256 ACU: still capped at 2,000', 0.5, 256, 2_000],
    ['a maximum between rows takes the lower row', 1, 12, 1_669],
  ];
  it.each(table)('%s', (_name, minAcu, maxAcu, expected) => {
    expect(serverlessV2MaxConnections(minAcu, maxAcu)).toBe(expected);
  });

  it('cites the Aurora user guide section on max_connections', () => {
    expect(maxConnectionsByMaxAcu.source).toBe(
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html#aurora-serverless-v2.max-connections',
    );
  });
});
