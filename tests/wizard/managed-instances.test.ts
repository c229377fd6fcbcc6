/**
 * The wizard on Lambda Managed Instances: the pool is sized from the invocations one environment runs
 * at once and the budget, and the arithmetic counts environments × pool size.
 */
import { describe, expect, it } from 'vitest';
import { decide, defaultAnswers, isAsked, questions, type Answers } from '../../src/wizard/index.ts';
import { generate } from '../../src/templates/index.ts';
import { managedInstances } from '../../src/facts/lambda.ts';

const answers: Answers = { ...defaultAnswers, database: 'rds-postgresql', instanceClass: 'db.r6g.large', peakConcurrency: 500, runtimeLanguage: 'nodejs24.x-typescript', managedInstances: 'yes' };
const perEnvironment = managedInstances.nodejsDefaultConcurrencyPerVcpu.value;

describe('wizard: Managed Instances', () => {
  it('asks, with no as the default', () => {
    const question = questions.find((q) => q.id === 'managedInstances')!;
    expect(question.label).toBe('Does the function run on Lambda Managed Instances?');
    expect(isAsked(question, defaultAnswers)).toBe(true);
    expect(defaultAnswers.managedInstances).toBe('no');
  });

  it('counts environments × pool size, the pool within the budget and the invocations an environment runs', () => {
    const { budget, pattern, reasons, generate: options } = decide(answers);
    const environments = Math.ceil(answers.peakConcurrency / perEnvironment);
    const poolSize = Math.min(perEnvironment, Math.floor(budget.directBudget / environments));
    expect(budget.managedInstances).toEqual({ invocationsPerEnvironment: perEnvironment, environments, poolSize });
    expect(poolSize).toBeGreaterThan(1);
    expect(budget.connectionsAtPeak).toBe(environments * poolSize);
    expect(budget.connectionsAtPeak).toBeLessThanOrEqual(budget.directBudget);
    expect(pattern).toBe('module-pool');
    const why = reasons.find((r) => r.answers.includes('managedInstances'))!;
    expect(why.text).toContain(`set DB_POOL_SHARE to ${poolSize}`);
    expect(why.text).toContain(`MaxExecutionEnvironments to ${environments}`);
    expect(why.text).toContain('max: 1 would make them queue for one connection');
    expect(options.compute).toBe('managed-instances');
    // The project the recommendation generates sizes its pool that way.
    const handler = generate(options).find((f) => f.path === 'src/handler.ts')!.contents;
    expect(handler).toContain('max: poolMax,');
  });

  it('on the default compute, counts one connection per concurrent invocation as before', () => {
    const { budget, generate: options } = decide({ ...answers, managedInstances: 'no' });
    expect(budget.managedInstances).toBeUndefined();
    expect(budget.connectionsAtPeak).toBe(answers.peakConcurrency);
    expect(options.compute).toBeUndefined();
  });

  it('leaves Python as it is: each concurrent invocation has its own process and pool of one', () => {
    const { budget, generate: options } = decide({ ...answers, runtimeLanguage: 'python3.13-python' });
    expect(budget.managedInstances).toBeUndefined();
    expect(budget.connectionsAtPeak).toBe(answers.peakConcurrency);
    expect(options.compute).toBeUndefined();
  });
});
