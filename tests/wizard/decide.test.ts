import { describe, expect, it } from 'vitest';
import {
  answersFromSearchParams,
  answersToSearchParams,
  connectionBudget,
  decide,
  defaultAnswers,
  defaultInstanceClassFor,
  parseAnswers,
  questions,
  runtimeLanguageOptions,
  type Answers,
} from '../../src/wizard/index.ts';
import { databases, engineOffer, instanceClasses, runtimes, type InstanceClass } from '../../src/vocabulary/choices.ts';
import { whyInvalid } from '../../src/templates/options.ts';

const base: Answers = { ...defaultAnswers };
const with_ = (patch: Partial<Answers>): Answers => ({ ...base, ...patch });

describe('decide: table of situations', () => {
  const table: Array<[string, Partial<Answers>, string, string]> = [
    ['small steady load on a small instance', { instanceClass: 'db.t4g.small', peakConcurrency: 50, traffic: 'steady' }, 'module-pool', 'rds-proxy'],
    ['steady load above the direct budget', { instanceClass: 'db.t4g.small', peakConcurrency: 500 }, 'rds-proxy', 'sqs-batching'],
    ['spiky load that fits stays direct: the halved budget already allows for it', { instanceClass: 'db.r6g.large', peakConcurrency: 100, traffic: 'spiky' }, 'module-pool', 'rds-proxy'],
    ['asynchronous writes under a spike', { peakConcurrency: 3000, traffic: 'spiky', asyncWritesOk: 'yes' }, 'sqs-batching', 'rds-proxy'],
    ['new key-value service', { existingDatabase: 'no', needsRelational: 'no', dataModelCanChange: 'yes' }, 'dynamodb', 'module-pool'],
    ['new key-value service at scale', { existingDatabase: 'no', needsRelational: 'no', dataModelCanChange: 'yes', peakConcurrency: 5000 }, 'dynamodb', 'rds-proxy'],
    ['Serverless v2 under a spike with room for latency', { database: 'aurora-serverless-v2', instanceClass: 'db.serverless', traffic: 'spiky', peakConcurrency: 1500, latencyBudgetMs: 500 }, 'data-api', 'rds-proxy'],
    ['Serverless v2 with a tight latency budget', { database: 'aurora-serverless-v2', instanceClass: 'db.serverless', traffic: 'spiky', peakConcurrency: 1500, latencyBudgetMs: 20 }, 'rds-proxy', 'sqs-batching'],
    ['provisioned Aurora at scale: proxy, Data API runner-up', { database: 'aurora-postgresql', instanceClass: 'db.r6g.large', peakConcurrency: 2000, latencyBudgetMs: 300 }, 'rds-proxy', 'data-api'],
    ['Aurora on a T class never gets the Data API', { database: 'aurora-postgresql', instanceClass: 'db.t3.medium', peakConcurrency: 2000, latencyBudgetMs: 300 }, 'rds-proxy', 'sqs-batching'],
    ['existing database, model could move: DynamoDB is the runner-up', { needsRelational: 'no', dataModelCanChange: 'yes', peakConcurrency: 20 }, 'module-pool', 'dynamodb'],
  ];
  it.each(table)('%s', (_name, patch, pattern, runnerUp) => {
    const recommendation = decide(with_(patch));
    expect(recommendation.pattern).toBe(pattern);
    expect(recommendation.runnerUp.pattern).toBe(runnerUp);
  });

  it('computes the direct budget from the instance-class formula', () => {
    // 2 GiB / 9,531,392 bytes = 225 connections; RDS keeps 5; half of the rest for the direct design.
    expect(connectionBudget(with_({ instanceClass: 'db.t4g.small', peakConcurrency: 112 }))).toMatchObject({ maxConnections: 225, reservedConnections: 5, directBudget: 110, connectionsAtPeak: 112 });
    expect(connectionBudget(with_({ instanceClass: 'db.r6g.2xlarge', peakConcurrency: 1 })).maxConnections).toBe(5000);
    expect(decide(with_({ instanceClass: 'db.t4g.small', peakConcurrency: 110 })).pattern).toBe('module-pool');
    expect(decide(with_({ instanceClass: 'db.t4g.small', peakConcurrency: 111 })).pattern).toBe('rds-proxy');
  });

  it('ties every reason to the answers it rests on', () => {
    const recommendation = decide(with_({ peakConcurrency: 500, traffic: 'spiky' }));
    const cited = recommendation.reasons.flatMap((reason) => reason.answers);
    expect(cited).toContain('peakConcurrency');
    expect(cited).toContain('traffic');
    expect(recommendation.reasons.find((r) => r.answers.includes('peakConcurrency'))?.text).toContain('500 concurrent invocations');
  });
});

describe('decide: contradictory answers', () => {
  it('db.serverless on RDS for PostgreSQL is resolved to Serverless v2 and said so', () => {
    const recommendation = decide(with_({ database: 'rds-postgresql', instanceClass: 'db.serverless' }));
    expect(recommendation.contradictions).toEqual([expect.objectContaining({ answers: ['database', 'instanceClass'] })]);
    expect(recommendation.generate.database).toBe('aurora-serverless-v2');
  });
  it('Serverless v2 with a fixed instance class is resolved to db.serverless', () => {
    const recommendation = decide(with_({ database: 'aurora-serverless-v2', instanceClass: 'db.t3.micro' }));
    expect(recommendation.contradictions[0]?.resolution).toContain('db.serverless');
    expect(recommendation.sandbox.instanceClass).toBe('db.serverless');
  });
  it('needing joins while allowing DynamoDB keeps the relational requirement', () => {
    const recommendation = decide(with_({ existingDatabase: 'no', needsRelational: 'yes', dataModelCanChange: 'yes' }));
    expect(recommendation.pattern).not.toBe('dynamodb');
    expect(recommendation.contradictions.map((c) => c.answers)).toContainEqual(['needsRelational', 'dataModelCanChange']);
  });
  it('IAM auth with a Data API recommendation generates with Secrets Manager, explicitly', () => {
    const recommendation = decide(with_({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless', traffic: 'spiky', peakConcurrency: 1500, auth: 'iam' }));
    expect(recommendation.pattern).toBe('data-api');
    expect(recommendation.generate.auth).toBe('secrets-manager');
    expect(recommendation.contradictions.some((c) => c.answers.includes('auth'))).toBe(true);
  });
  it('Secrets Manager with a DynamoDB recommendation generates with IAM, explicitly', () => {
    const recommendation = decide(with_({ existingDatabase: 'no', needsRelational: 'no', dataModelCanChange: 'yes', auth: 'secrets-manager' }));
    expect(recommendation.generate.auth).toBe('iam');
    expect(recommendation.contradictions.some((c) => c.answers.includes('auth'))).toBe(true);
  });
});

describe('decide: what would change the answer', () => {
  it('names the concurrency threshold of the direct design', () => {
    const recommendation = decide(with_({ instanceClass: 'db.t4g.small', peakConcurrency: 500 }));
    expect(recommendation.whatWouldChange).toContain('At 110 concurrent invocations or fewer: a module-level pool connecting directly.');
    expect(recommendation.whatWouldChange).toContain('If writes could go through a queue: an SQS queue with a capped batch consumer.');
  });
  it('warns when the peak exceeds the default account concurrency', () => {
    expect(decide(with_({ peakConcurrency: 5000 })).whatWouldChange.join('\n')).toContain('default is 1000 per Region');
  });
});

describe('decide: the whole answer space', () => {
  const yesNo = ['yes', 'no'] as const;
  const space: Answers[] = [];
  for (const database of databases)
    for (const instanceClass of instanceClasses)
      for (const existingDatabase of yesNo)
        for (const needsRelational of yesNo)
          for (const dataModelCanChange of yesNo)
            for (const asyncWritesOk of yesNo)
              for (const traffic of ['steady', 'spiky'] as const)
                for (const peakConcurrency of [1, 50, 400, 3000])
                  for (const latencyBudgetMs of [10, 500])
                    for (const auth of ['iam', 'secrets-manager'] as const)
                      space.push({ ...base, database, instanceClass, existingDatabase, needsRelational, dataModelCanChange, asyncWritesOk, traffic, peakConcurrency, latencyBudgetMs, auth });

  it(`holds its invariants over ${space.length} answer sets`, () => {
    expect(space.length).toBeGreaterThan(9_000);
    for (const answers of space) {
      const r = decide(answers);
      const where = JSON.stringify(answers);
      expect(whyInvalid(r.generate), where).toEqual([]);
      expect(r.runnerUp.pattern, where).not.toBe(r.pattern);
      expect(r.reasons.length, where).toBeGreaterThan(0);
      if (r.pattern === 'dynamodb') expect(answers.needsRelational, where).toBe('no');
      if (r.pattern === 'data-api') {
        expect(r.generate.database, where).not.toBe('rds-postgresql');
        expect(r.sandbox.instanceClass.startsWith('db.t'), where).toBe(false);
      }
      if (r.pattern === 'module-pool') expect(r.budget.connectionsAtPeak, where).toBeLessThanOrEqual(r.budget.directBudget);
      if (r.pattern === 'sqs-batching') expect(answers.asyncWritesOk, where).toBe('yes');
      for (const change of r.whatWouldChange) expect(change, where).not.toContain(`: ${r.pattern}.`);
    }
  });

  // The answers added later, over valid combinations only (the schema refuses the others).
  const wider: Answers[] = [];
  for (const database of databases)
    for (const instanceClass of engineOffer(database).classes as Answers['instanceClass'][])
      for (const [minAcu, maxAcu] of database === 'aurora-serverless-v2' ? ([[0.5, 1], [0.5, 16], [1, 16], [2, 64]] as const) : ([[0.5, 16]] as const))
        for (const otherConnections of [0, 150, 3000])
          for (const monthlySpendUsd of [0, 50, 100])
            for (const [asyncWritesOk, synchronousReads] of [['no', 'yes'], ['yes', 'yes'], ['yes', 'no']] as const)
              for (const traffic of ['steady', 'spiky'] as const)
                for (const peakConcurrency of [20, 400, 3000])
                  for (const latencyBudgetMs of [10, 500])
                    wider.push({ ...base, database, instanceClass, minAcu, maxAcu, otherConnections, monthlySpendUsd, asyncWritesOk, synchronousReads, traffic, peakConcurrency, latencyBudgetMs });

  it(`holds its invariants over ${wider.length} answer sets with the newer answers`, () => {
    for (const answers of wider) {
      const r = decide(answers);
      const where = JSON.stringify(answers);
      expect(parseAnswers(answers).ok, where).toBe(true);
      expect(r.contradictions.filter((c) => c.answers.includes('instanceClass')), where).toEqual([]);
      expect(whyInvalid(r.generate), where).toEqual([]);
      if (r.reads) expect(whyInvalid(r.reads.generate), where).toEqual([]);
      expect(Boolean(r.reads), where).toBe(r.pattern === 'sqs-batching' && answers.synchronousReads === 'yes');
      expect(r.budget.maxConnectionsBasis, where).toBe(answers.database === 'aurora-serverless-v2' ? 'acu-range' : 'nominal-memory');
      for (const pattern of [r.pattern, r.reads?.pattern]) {
        if (pattern === 'data-api') expect(answers.database !== 'rds-postgresql' && !answers.instanceClass.startsWith('db.t'), where).toBe(true);
      }
      // A directly connecting function is capped inside the budget, whatever the spend.
      if (r.pattern === 'module-pool' || r.reads?.pattern === 'module-pool') {
        expect(r.reservedConcurrency, where).toBeGreaterThanOrEqual(1);
        expect(r.reservedConcurrency!, where).toBeLessThanOrEqual(r.budget.directBudget);
      }
      // The proxy beyond the spend only when nothing else can reach the database.
      if (r.pattern === 'rds-proxy' && answers.monthlySpendUsd < r.proxyMinimumMonthlyUsd) expect(r.budget.directBudget, where).toBe(0);
      // Spikiness is not counted twice: a peak inside the direct budget stays direct.
      if (r.budget.connectionsAtPeak <= r.budget.directBudget && !(answers.existingDatabase === 'no' && answers.needsRelational === 'no')) expect(r.pattern, where).toBe('module-pool');
    }
  });

  it('is deterministic', () => {
    const answers = space[1234]!;
    expect(JSON.stringify(decide(answers))).toBe(JSON.stringify(decide({ ...answers })));
  });
});

describe('answers schema and URL state', () => {
  it('round-trips through a share link', () => {
    const answers = with_({ peakConcurrency: 750, runtimeLanguage: 'python3.13-python', iac: 'terraform' });
    expect(answersFromSearchParams(answersToSearchParams(answers))).toEqual({ ok: true, value: answers });
  });
  it('rejects bad values with what was expected', () => {
    const result = answersFromSearchParams(new URLSearchParams('runtime=nodejs18.x&peakConcurrency=-3&colour=blue'));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContain('runtime: expected one of nodejs22.x, nodejs24.x, python3.12, python3.13; got "nodejs18.x"');
    expect(errors).toContain('peakConcurrency: expected a whole number from 1 to 100000');
    expect(errors.some((e) => e.startsWith('colour: not a wizard answer'))).toBe(true);
  });
  it('offers only the languages each runtime runs, and refuses any other pair', () => {
    expect(runtimeLanguageOptions.map((option) => option.label)).toEqual([
      'Node.js 22 · TypeScript',
      'Node.js 22 · JavaScript',
      'Node.js 24 · TypeScript',
      'Node.js 24 · JavaScript',
      'Python 3.12',
      'Python 3.13',
    ]);
    const result = parseAnswers({ ...base, runtimeLanguage: 'python3.12-typescript' });
    expect(result.ok ? [] : result.errors[0]).toMatch(/^runtimeLanguage: expected one of nodejs22\.x-typescript, .*; got "python3\.12-typescript"$/);
  });
  it('every question maps to an answer key, with options the schema accepts', () => {
    for (const question of questions) {
      expect(Object.keys(defaultAnswers)).toContain(question.id);
      expect(question.chapter).toMatch(/^\/guide\/[a-z-]+$/);
      expect(question.whyThisMatters.length).toBeGreaterThan(20);
      if (question.kind === 'choice') {
        for (const option of question.options) {
          const patch: Partial<Answers> = { [question.id]: option.value } as Partial<Answers>;
          if (question.id === 'database') patch.instanceClass = defaultInstanceClassFor(option.value as Answers['database']);
          if (question.id === 'instanceClass') patch.database = databases.find((database) => engineOffer(database).classes.includes(option.value as InstanceClass))!;
          expect(parseAnswers(with_(patch)).ok, `${question.id}=${option.value}`).toBe(true);
        }
      }
    }
    expect(runtimes.length).toBe(4);
  });
});

describe('the direct budget, where a reason states it', () => {
  it.each([
    ['fits', with_({ peakConcurrency: 50 })],
    ['runs out', with_({ peakConcurrency: 5000 })],
  ])('%s: says why a direct design gets only half', (_name, answers) => {
    const stated = decide(answers).reasons.find((reason) => reason.text.includes('a direct design should use at most'));
    expect(stated?.text).toMatch(/half of what is left, because during a deploy old and new execution environments hold connections side by side/);
  });
});
