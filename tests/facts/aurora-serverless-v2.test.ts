import { describe, expect, it } from 'vitest';
import { maxConnectionsByMaxAcu, serverlessV2MaxConnections } from '../../src/facts/aurora-serverless-v2.ts';

describe('Aurora Serverless v2 max_connections from the ACU range', () => {
  /** Cases by the rule that decides them, each [minimum ACU, maximum ACU, max_connections]. */
  const byRule: Record<string, Array<[number, number, number]>> = {
    // 0.5–1 ACU: re:Post measured 189.
    "the user guide's row for the maximum ACU": [[0.5, 1, 189], [1, 1, 189], [1, 4, 823], [2, 8, 1_669], [0.5, 8, 1_669], [1, 16, 3_360], [1, 32, 5_000], [4, 256, 5_000]],
    'a maximum between rows takes the lower row': [[1, 12, 1_669]],
    'capped at 2,000 by a minimum of 0 or 0.5 ACU': [[0.5, 16, 2_000], [0, 16, 2_000], [0.5, 256, 2_000]],
  };
  const cases = Object.entries(byRule).flatMap(([rule, rows]) => rows.map(([minAcu, maxAcu, expected]) => ({ rule, minAcu, maxAcu, expected })));
  it.each(cases)('$minAcu–$maxAcu ACU gives $expected: $rule', ({ minAcu, maxAcu, expected }) => {
    expect(serverlessV2MaxConnections(minAcu, maxAcu)).toBe(expected);
  });

  it('cites the Aurora user guide section on max_connections', () => {
    expect(maxConnectionsByMaxAcu.source).toBe(
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html#aurora-serverless-v2.max-connections',
    );
  });
});
