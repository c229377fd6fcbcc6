/**
 * Which DB instance classes each PostgreSQL engine offers, among the classes the wizard lists. Aurora
 * has its own, shorter list than RDS: its smallest burstable classes are db.t3.medium and
 * db.t4g.medium, and Serverless v2 writers use db.serverless, which RDS for PostgreSQL does not have.
 */
import type { Fact } from './fact.ts';
import type { InstanceClassId } from './postgres.ts';

const RDS_SUPPORT = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html';
const AURORA_SUPPORT = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html';
const AURORA_HARDWARE = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.Summary.html';

/** Serverless v2's writer class: capacity comes from the ACU range, so it has no row in the memory table. */
export type ServerlessClass = 'db.serverless';

export interface EngineOffer {
  /** The classes this engine offers of postgres.ts's table, or db.serverless; the wizard lists every class some engine offers. */
  readonly classes: readonly (InstanceClassId | ServerlessClass)[];
  /** Said next to a class the engine does not offer. */
  readonly whyNot: string;
}

/** Keyed by the wizard's names for the engines (src/vocabulary/choices.ts). */
export const engineInstanceClasses = {
  'rds-postgresql': {
    value: {
      classes: ['db.t3.micro', 'db.t4g.small', 'db.t3.medium', 'db.r6g.large', 'db.r6g.2xlarge'],
      whyNot: 'RDS for PostgreSQL runs on fixed instance classes; db.serverless is the class of Aurora Serverless v2',
    },
    unit: 'instance classes',
    source: RDS_SUPPORT,
  },
  'aurora-postgresql': {
    value: {
      classes: ['db.t3.medium', 'db.r6g.large', 'db.r6g.2xlarge'],
      whyNot:
        'Aurora PostgreSQL offers no db.t3.micro or db.t4g.small (its smallest classes are db.t3.medium and db.t4g.medium), and db.serverless means Aurora Serverless v2',
    },
    unit: 'instance classes',
    source: AURORA_SUPPORT,
    note: `The burstable classes Aurora lists are db.t4g.medium/large and db.t3.medium/large (${AURORA_HARDWARE}).`,
  },
  'aurora-serverless-v2': {
    value: { classes: ['db.serverless'], whyNot: 'Aurora Serverless v2 writers use the db.serverless class; capacity comes from the ACU range, not a fixed class' },
    unit: 'instance classes',
    source: AURORA_SUPPORT,
  },
} as const satisfies Record<string, Fact<EngineOffer>>;
