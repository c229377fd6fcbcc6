/**
 * Aurora Serverless v2 (PostgreSQL): the capacity range a cluster may take and the max_connections
 * Aurora derives from it (fact sheet, section I). Unlike a provisioned class, max_connections does
 * not follow the memory the instance has right now: Aurora sets it from the maximum ACUs of the range
 * (a static parameter, re-read at reboot), and caps it when the minimum is 0 or 0.5 ACU.
 */
import type { Fact } from './fact.ts';

const SETTING_CAPACITY = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html#aurora-serverless-v2.max-connections';
const SCALING_CONFIGURATION = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfigurationInfo.html';
const REPOST = 'https://repost.aws/articles/ARm5e6RHE3R4mnHS2S-UZUwA';

/** The capacity range ServerlessV2ScalingConfiguration accepts. */
export const capacityRange = {
  /** 0 on versions with automatic pause, 0.5 on the others. */
  minimum: { value: 0, unit: 'ACU', source: SCALING_CONFIGURATION, note: 'MinCapacity: 0 where the engine version supports automatic pause, else at least 0.5.' },
  /** 256 on recent versions, 128 on older ones. */
  maximum: { value: 256, unit: 'ACU', source: SCALING_CONFIGURATION, note: 'MaxCapacity: 256 on recent Aurora versions, 128 on older ones.' },
  /** The maximum must be above 0.5 ACU, so the smallest whole step is 1. */
  smallestMaximum: { value: 1, unit: 'ACU', source: SCALING_CONFIGURATION },
  step: { value: 0.5, unit: 'ACU', source: SCALING_CONFIGURATION, note: 'Both ends move in half-ACU steps.' },
} satisfies Record<string, Fact>;

export interface MaxConnectionsRow {
  /** The maximum ACUs of the range. */
  readonly maxAcu: number;
  /** Aurora PostgreSQL's default max_connections for it. */
  readonly maxConnections: number;
}

/**
 * Aurora PostgreSQL's default max_connections by the maximum ACUs of the range, from AWS's table.
 * A maximum between two rows gets the lower row here: Aurora derives the real value from the memory
 * of that maximum, which lies between the two, and `SHOW max_connections` on the writer says which.
 */
export const maxConnectionsByMaxAcu: Fact<readonly MaxConnectionsRow[]> = {
  value: [
    { maxAcu: 1, maxConnections: 189 },
    { maxAcu: 4, maxConnections: 823 },
    { maxAcu: 8, maxConnections: 1_669 },
    { maxAcu: 16, maxConnections: 3_360 },
    { maxAcu: 32, maxConnections: 5_000 },
  ],
  unit: 'connections (Aurora PostgreSQL)',
  source: SETTING_CAPACITY,
  factSheet: 'I',
  note: 'Rows 1, 4, 8, 16 and 32 or more ACUs. A 0.5–1 ACU range showing 189 and a 1–16 range showing 3,360 are confirmed on re:Post (ARm5e6RHE3R4mnHS2S-UZUwA).',
};

/** With a minimum of 0 or 0.5 ACU, Aurora PostgreSQL caps max_connections at 2,000. */
export const lowMinimumCap = {
  maxConnections: { value: 2_000, unit: 'connections', source: SETTING_CAPACITY, factSheet: 'I', note: `Applies when the minimum is 0 or 0.5 ACU; e.g. 0.5–16 ACU gives 2,000 where 1–16 gives 3,360 (${REPOST}).` },
  /** The cap applies at or below this minimum. */
  minimumAtOrBelow: { value: 0.5, unit: 'ACU', source: SETTING_CAPACITY, factSheet: 'I' },
} satisfies Record<string, Fact>;

/** The default max_connections of an Aurora PostgreSQL Serverless v2 instance with this capacity range. */
export function serverlessV2MaxConnections(minAcu: number, maxAcu: number): number {
  const rows = maxConnectionsByMaxAcu.value;
  const row = [...rows].reverse().find((candidate) => candidate.maxAcu <= maxAcu) ?? rows[0]!;
  return minAcu <= lowMinimumCap.minimumAtOrBelow.value ? Math.min(row.maxConnections, lowMinimumCap.maxConnections.value) : row.maxConnections;
}

const AUTO_PAUSE = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html';
const SCALING_TO_ZERO_BLOG = 'https://aws.amazon.com/blogs/database/introducing-scaling-to-0-capacity-with-amazon-aurora-serverless-v2/';
const AGENT_TOOLKIT = 'https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/specialized-skills/database-skills/amazon-aurora-mysql/references/serverless-advisory-concepts.md';

/**
 * Automatic pause: with a minimum of 0 ACU an instance pauses after a time with no user connections and resumes on
 * the next connection request, which waits for it.
 */
export const autoPause = {
  idleBeforePauseMinimum: { value: 300, unit: 's (SecondsUntilAutoPause, at least)', source: SCALING_CONFIGURATION },
  idleBeforePauseMaximum: { value: 86_400, unit: 's (SecondsUntilAutoPause, at most)', source: SCALING_CONFIGURATION },
  resume: { value: 15_000, unit: 'ms a resume can take ("up to 15 seconds")', source: SCALING_TO_ZERO_BLOG, note: 'AWS Database Blog, November 2024; AWS\'s agent toolkit gives about 30 s after a pause of more than 24 h.' },
  /**
   * A proxy keeps database connections in its pool, so the instance never has the idle time it needs. AWS's agent
   * toolkit lists RDS Proxy among the features auto-pause is incompatible with; the user guide's own sentence was not
   * found (fact sheet, "Not verified").
   */
  preventedByProxy: { value: true, unit: 'an attached RDS Proxy keeps the instance from pausing', source: AGENT_TOOLKIT, note: `MED: an AWS repository, not the user guide (${AUTO_PAUSE}).` },
} satisfies Record<string, Fact<number | boolean>>;
