/** The answers schema at the edges: share links (old and new), and classes an engine does not offer (rule 22). */
import { describe, expect, it } from 'vitest';
import {
  answersFromSearchParams,
  answersToSearchParams,
  choiceConstraints,
  decide,
  defaultAnswers,
  fitToConstraints,
  isAsked,
  parseAnswers,
  questionGroups,
  questions,
  type Answers,
} from '../../src/wizard/index.ts';

const with_ = (patch: Partial<Answers>): Answers => ({ ...defaultAnswers, ...patch });

describe('rule 22: instance classes an engine does not offer are refused, with the reason', () => {
  const table: Array<[string, Partial<Answers>, string | undefined]> = [
    ['Aurora PostgreSQL on db.t3.micro', { database: 'aurora-postgresql', instanceClass: 'db.t3.micro' }, 'Aurora PostgreSQL offers no db.t3.micro'],
    ['Aurora PostgreSQL on db.t4g.small', { database: 'aurora-postgresql', instanceClass: 'db.t4g.small' }, 'smallest classes are db.t3.medium and db.t4g.medium'],
    ['Aurora PostgreSQL on db.serverless', { database: 'aurora-postgresql', instanceClass: 'db.serverless' }, 'db.serverless means Aurora Serverless v2'],
    ['RDS for PostgreSQL on db.serverless', { database: 'rds-postgresql', instanceClass: 'db.serverless' }, 'db.serverless is the class of Aurora Serverless v2'],
    ['Serverless v2 on db.r6g.large', { database: 'aurora-serverless-v2', instanceClass: 'db.r6g.large' }, 'writers use the db.serverless class'],
    ['Aurora PostgreSQL on db.t3.medium', { database: 'aurora-postgresql', instanceClass: 'db.t3.medium' }, undefined],
    ['RDS for PostgreSQL on db.t3.micro', { database: 'rds-postgresql', instanceClass: 'db.t3.micro' }, undefined],
  ];
  it.each(table)('%s', (_name, patch, reason) => {
    const result = parseAnswers(with_(patch));
    if (reason === undefined) return expect(result.ok).toBe(true);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^instanceClass: ${patch.database} offers .*; got ${patch.instanceClass!.replaceAll('.', '\\.')}`));
    expect(errors[0]).toContain(reason);
  });

  it('a share link with a class the engine lacks is refused, not quietly changed', () => {
    const result = answersFromSearchParams(new URLSearchParams('database=aurora-postgresql&instanceClass=db.t3.micro'));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('Aurora PostgreSQL offers no db.t3.micro')]);
  });

  it('the page and the CLI get the allowed classes and the reason for each engine', () => {
    expect(choiceConstraints(with_({ database: 'aurora-postgresql', instanceClass: 'db.r6g.large' })).instanceClass).toEqual({
      allowed: ['db.t3.medium', 'db.r6g.large', 'db.r6g.2xlarge'],
      reason: expect.stringContaining('Aurora PostgreSQL offers no db.t3.micro'),
    });
    expect(choiceConstraints(with_({ ...defaultAnswers })).instanceClass?.allowed).not.toContain('db.serverless');
  });
});

describe('ACU range', () => {
  it('takes half steps within 0 to 256 and refuses the rest with what was expected', () => {
    const answers = with_({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless' });
    expect(parseAnswers({ ...answers, minAcu: 0, maxAcu: 256 }).ok).toBe(true);
    expect(parseAnswers({ ...answers, minAcu: 1.5, maxAcu: 2.5 }).ok).toBe(true);
    expect(parseAnswers({ ...answers, minAcu: 0.7 })).toEqual({ ok: false, errors: ['minAcu: expected 0 to 256 ACUs in steps of 0.5'] });
    expect(parseAnswers({ ...answers, maxAcu: 0.5 })).toEqual({ ok: false, errors: ['maxAcu: expected 1 to 256 ACUs in steps of 0.5'] });
    expect(parseAnswers({ ...answers, minAcu: 8, maxAcu: 4 })).toEqual({ ok: false, errors: ['minAcu: the minimum (8) is above the maximum (4 ACUs)'] });
  });
  it('is asked only for Serverless v2', () => {
    const acuQuestions = questions.filter((question) => question.id === 'minAcu' || question.id === 'maxAcu');
    expect(acuQuestions).toHaveLength(2);
    for (const question of acuQuestions) {
      expect(isAsked(question, with_({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless' }))).toBe(true);
      expect(isAsked(question, with_({ database: 'aurora-postgresql', instanceClass: 'db.r6g.large' }))).toBe(false);
    }
  });
});

describe('share links from before the new answers', () => {
  // Links as the wizard wrote them before minAcu, maxAcu, otherConnections, monthlySpendUsd and synchronousReads existed.
  const oldLinks: Array<[string, string, Partial<Answers>]> = [
    ['every answer the old wizard had', 'database=rds-postgresql&instanceClass=db.t4g.small&existingDatabase=yes&needsRelational=yes&peakConcurrency=500&traffic=steady&latencyBudgetMs=200&dataModelCanChange=no&asyncWritesOk=no&runtime=nodejs22.x&language=typescript&auth=iam&iac=sam', { peakConcurrency: 500 }],
    ['Serverless v2 named without a class gets db.serverless', 'database=aurora-serverless-v2&peakConcurrency=1500&traffic=spiky', { database: 'aurora-serverless-v2', instanceClass: 'db.serverless' }],
    ['Serverless v2 with db.serverless', 'database=aurora-serverless-v2&instanceClass=db.serverless', { database: 'aurora-serverless-v2', instanceClass: 'db.serverless' }],
    ['Aurora PostgreSQL named without a class gets one Aurora offers', 'database=aurora-postgresql', { database: 'aurora-postgresql', instanceClass: 'db.r6g.large' }],
  ];
  it.each(oldLinks)('%s', (_name, query, expected) => {
    const result = answersFromSearchParams(new URLSearchParams(query));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const answers = result.ok ? result.value : defaultAnswers;
    expect(answers).toMatchObject({ ...expected, minAcu: 0.5, maxAcu: 16, otherConnections: 0, monthlySpendUsd: 100, synchronousReads: 'yes' });
  });

  it('the defaults keep the old Serverless v2 figure (0.5–16 ACU gives the 2,000 the wizard used to assume)', () => {
    const result = answersFromSearchParams(new URLSearchParams('database=aurora-serverless-v2&peakConcurrency=1500'));
    expect(result.ok && decide(result.value).budget.maxConnections).toBe(2000);
  });

  it('a new link round-trips every answer', () => {
    const answers = with_({ database: 'aurora-serverless-v2', instanceClass: 'db.serverless', minAcu: 1.5, maxAcu: 48, otherConnections: 40, monthlySpendUsd: 0, asyncWritesOk: 'yes', synchronousReads: 'no' });
    const params = answersToSearchParams(answers);
    expect(params.get('minAcu')).toBe('1.5');
    expect(answersFromSearchParams(params)).toEqual({ ok: true, value: answers });
  });
});

describe('share links from before runtime and language were one question', () => {
  const oldLinks: Array<[string, string, Answers['runtimeLanguage']]> = [
    ['both named', 'runtime=nodejs24.x&language=javascript', 'nodejs24.x-javascript'],
    ['Python', 'runtime=python3.13&language=python&peakConcurrency=40', 'python3.13-python'],
    ['a runtime alone gets its first language', 'runtime=python3.12', 'python3.12-python'],
    ['a language alone gets the old default runtime', 'language=javascript', 'nodejs22.x-javascript'],
  ];
  it.each(oldLinks)('%s', (_name, query, expected) => {
    const result = answersFromSearchParams(new URLSearchParams(query));
    expect(result).toMatchObject({ ok: true, value: { runtimeLanguage: expected } });
    // The next link the page writes carries the one answer.
    const params = result.ok ? answersToSearchParams(result.value) : new URLSearchParams();
    expect([params.get('runtimeLanguage'), params.has('runtime'), params.has('language')]).toEqual([expected, false, false]);
  });

  const refused: Array<[string, string, string]> = [
    ['a pair the runtime cannot run', 'runtime=python3.12&language=typescript', 'language: python3.12 runs python; got typescript'],
    ['a runtime Lambda no longer offers', 'runtime=nodejs18.x&language=javascript', 'runtime: expected one of nodejs22.x, nodejs24.x, python3.12, python3.13; got "nodejs18.x"'],
    ['both forms at once', 'runtime=python3.12&runtimeLanguage=nodejs24.x-typescript', 'runtime, language: a link names runtimeLanguage or the older runtime and language, not both'],
  ];
  it.each(refused)('refuses %s, saying why', (_name, query, error) => {
    expect(answersFromSearchParams(new URLSearchParams(query))).toEqual({ ok: false, errors: [error] });
  });
});

describe('fitToConstraints: a new engine moves the answers it rules out', () => {
  const table: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['Aurora PostgreSQL moves db.t4g.small to db.r6g.large', { database: 'aurora-postgresql', instanceClass: 'db.t4g.small' }, { instanceClass: 'db.r6g.large' }],
    ['Serverless v2 moves any class to db.serverless', { database: 'aurora-serverless-v2', instanceClass: 'db.t3.medium' }, { instanceClass: 'db.serverless' }],
    ['RDS moves db.serverless to its default', { database: 'rds-postgresql', instanceClass: 'db.serverless' }, { instanceClass: 'db.t4g.small' }],
    ['an offered class stays', { database: 'aurora-postgresql', instanceClass: 'db.t3.medium' }, { instanceClass: 'db.t3.medium' }],
    ['an unknown engine is left for the schema to report', { database: 'oracle', instanceClass: 'db.t3.micro' }, { database: 'oracle', instanceClass: 'db.t3.micro' }],
  ];
  it.each(table)('%s', (_name, patch, expected) => {
    expect(fitToConstraints({ ...defaultAnswers, ...patch })).toMatchObject(expected);
  });
});

describe('the page\'s question groups', () => {
  it('hold every question exactly once', () => {
    const grouped = questionGroups.flatMap((group) => group.questions);
    expect([...grouped].sort()).toEqual(questions.map((question) => question.id).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});
