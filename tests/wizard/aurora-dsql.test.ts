/**
 * The wizard and Aurora DSQL: recommended for a new database whose work needs none of what DSQL does
 * not support, refused with those features as the reason when the work relies on them, and never
 * chosen for answers from before the question existed.
 */
import { describe, expect, it } from 'vitest';
import { answersFromSearchParams, decide, defaultAnswers, isAsked, questions, type Answers } from '../../src/wizard/index.ts';
import { generate, whyInvalid } from '../../src/templates/index.ts';
import { dsqlConnections, dsqlUnsupported } from '../../src/facts/aurora-dsql.ts';

const fresh: Answers = { ...defaultAnswers, existingDatabase: 'no', postgresOnlyFeatures: 'no' };

describe('wizard: Aurora DSQL', () => {
  it('asks about the features DSQL lacks only for a new database, with yes as the default', () => {
    const question = questions.find((q) => q.id === 'postgresOnlyFeatures')!;
    expect(isAsked(question, defaultAnswers)).toBe(false);
    expect(isAsked(question, { ...defaultAnswers, existingDatabase: 'no' })).toBe(true);
    expect(defaultAnswers.postgresOnlyFeatures).toBe('yes');
    for (const feature of dsqlUnsupported.value) expect(question.whyThisMatters).toContain(feature);
  });

  it('keeps the recommendation of a link shared before the question: it has no answer, so DSQL is not chosen', () => {
    const link = answersFromSearchParams(new URLSearchParams({ existingDatabase: 'no', peakConcurrency: '3000' }));
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    expect(link.value.postgresOnlyFeatures).toBe('yes');
    expect(decide(link.value).pattern).not.toBe('aurora-dsql');
  });

  it('recommends DSQL for a new database that needs none of its missing features, and generates a valid project', () => {
    const r = decide(fresh);
    expect(r.pattern).toBe('aurora-dsql');
    expect(r.reasons.map((reason) => reason.answers).flat()).toEqual(expect.arrayContaining(['existingDatabase', 'postgresOnlyFeatures', 'peakConcurrency']));
    expect(r.reasons.some((reason) => reason.text.includes(`${dsqlConnections.maxPerCluster.value.toLocaleString('en-US')} connections per cluster`))).toBe(true);
    expect(r.runnerUp.pattern).toBe('module-pool');
    expect(r.generate).toMatchObject({ pattern: 'aurora-dsql', auth: 'iam', database: 'rds-postgresql' });
    expect(whyInvalid(r.generate)).toEqual([]);
    expect(generate(r.generate).some((f) => f.path === 'schema.sql')).toBe(true);
    expect(r.whatWouldChange).toContain('If the new database relied on foreign keys, sequences, triggers, extensions or temporary tables: a module-level pool connecting directly.');
  });

  it('gives the features DSQL does not support as the reason against it when the work relies on them', () => {
    const r = decide({ ...fresh, postgresOnlyFeatures: 'yes' });
    expect(r.pattern).toBe('module-pool');
    const against = r.reasons.find((reason) => reason.answers.includes('postgresOnlyFeatures'))!;
    expect(against.text).toContain('Not Aurora DSQL');
    for (const feature of dsqlUnsupported.value) expect(against.text).toContain(feature);
    expect(r.whatWouldChange).toContain('If the new database needed no foreign keys, sequences, triggers, extensions or temporary tables: Aurora DSQL.');
    // An existing database is not moved: the question does not apply and no reason mentions DSQL.
    const existing = decide({ ...fresh, existingDatabase: 'yes' });
    expect(existing.pattern).not.toBe('aurora-dsql');
    expect(existing.reasons.some((reason) => reason.text.includes('Aurora DSQL'))).toBe(false);
  });

  it('is the runner-up to DynamoDB for a key-value model that could also be SQL', () => {
    const r = decide({ ...fresh, needsRelational: 'no', dataModelCanChange: 'yes' });
    expect(r.pattern).toBe('dynamodb');
    expect(r.runnerUp.pattern).toBe('aurora-dsql');
    expect(r.runnerUp.why).toContain('no VPC');
  });

  it('names the cap as the runner-up when a direct design would run out of connections and no proxy is affordable', () => {
    const capped = { ...fresh, peakConcurrency: 3000, monthlySpendUsd: 0 };
    const without = decide({ ...capped, postgresOnlyFeatures: 'yes', asyncWritesOk: 'no' });
    expect(without).toMatchObject({ pattern: 'module-pool', reservedConcurrency: 110 });
    const r = decide(capped);
    expect(r.pattern).toBe('aurora-dsql');
    expect(r.runnerUp.pattern).toBe('module-pool');
    expect(r.runnerUp.why).not.toContain('a module-level pool fits.');
    expect(r.runnerUp.why).toContain('reserved concurrency capped at 110');
    // DynamoDB's runner-up, when DSQL does not fit, is judged by the same rule.
    const dynamo = decide({ ...capped, postgresOnlyFeatures: 'yes', needsRelational: 'no', dataModelCanChange: 'yes' });
    expect(dynamo.pattern).toBe('dynamodb');
    expect(dynamo.runnerUp.why).toContain('reserved concurrency capped at 110');
  });

  it('resolves a Secrets Manager answer to IAM, saying so, because DSQL takes only IAM tokens', () => {
    const r = decide({ ...fresh, auth: 'secrets-manager' });
    expect(r.generate.auth).toBe('iam');
    expect(r.contradictions.find((c) => c.answers.includes('auth'))!.message).toContain('Aurora DSQL has no database passwords');
  });

  it("warns when a burst starts more environments than the cluster's burst capacity (53400) or the connection quota", () => {
    expect(decide({ ...fresh, peakConcurrency: dsqlConnections.burstCapacity.value }).cautions).toEqual([]);
    const burst = decide({ ...fresh, peakConcurrency: 3000 }).cautions.map((c) => c.text).join('\n');
    expect(burst).toContain('burst capacity of 1,000 above its 100 per second');
    expect(burst).toContain('53400');
    expect(burst).not.toContain('quota');
    expect(decide({ ...fresh, peakConcurrency: 20_000 }).cautions.map((c) => c.text).join('\n')).toContain('above the default quota of 10,000 per cluster');
  });
});
