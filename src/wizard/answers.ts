/**
 * The wizard's answers: one zod schema shared by the page, its shareable URL and `connlab generate`.
 * A value the schema refuses comes back with a message that names what was expected, because a
 * share link is typed by people and edited by hand.
 */
import { z } from '../lib/zod.ts';
import { capacityRange } from '../facts/aurora-serverless-v2.ts';
import {
  choice,
  choiceSchemas,
  databases,
  engineOffer,
  languageOptions,
  languagesFor,
  runtimeOptions,
  type Database,
  type InstanceClass,
  type Language,
  type Runtime,
} from '../vocabulary/choices.ts';

export const trafficShapes = ['steady', 'spiky'] as const;

/**
 * Runtime and language as the one answer the wizard asks for ("Node.js 24 · TypeScript", "Python 3.13"):
 * every runtime with each language it runs, so no pair the generator refuses can be chosen. The
 * generator still takes the two apart (runtimeAndLanguage).
 */
export const runtimeLanguageOptions = runtimeOptions.flatMap((runtime) =>
  languagesFor(runtime.value).map((language, _index, all) => ({
    value: `${runtime.value}-${language}` as const,
    label: all.length > 1 ? `${runtime.label} · ${languageOptions.find((option) => option.value === language)!.label}` : runtime.label,
    runtime: runtime.value,
    language,
  })),
);
export type RuntimeLanguage = `${Runtime}-${Language}`;
const runtimeLanguages = runtimeLanguageOptions.map((option) => option.value) as [RuntimeLanguage, ...RuntimeLanguage[]];

/** The generator's two options from the wizard's one answer. */
export function runtimeAndLanguage(answers: Pick<Answers, 'runtimeLanguage'>): { runtime: Runtime; language: Language } {
  const option = runtimeLanguageOptions.find((candidate) => candidate.value === answers.runtimeLanguage)!;
  return { runtime: option.runtime, language: option.language };
}
export const yesNo = ['yes', 'no'] as const;

/** The class a share link that names only the engine gets. */
export function defaultInstanceClassFor(database: Database): InstanceClass {
  if (database === 'aurora-serverless-v2') return 'db.serverless';
  return database === 'aurora-postgresql' ? 'db.r6g.large' : defaultAnswers.instanceClass;
}

const integerIn = (what: string, min: number, max: number) => {
  const expected = `${what}: expected a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: () => expected })
    .int({ error: () => expected })
    .min(min, { error: () => expected })
    .max(max, { error: () => expected });
};

/** ACUs move in half steps, so a typed 0.7 is refused rather than rounded. */
const acuIn = (what: string, min: number, max: number) => {
  const expected = `${what}: expected ${min} to ${max} ACUs in steps of ${capacityRange.step.value}`;
  return z.coerce
    .number({ error: () => expected })
    .min(min, { error: () => expected })
    .max(max, { error: () => expected })
    .refine((value) => Number.isInteger(value / capacityRange.step.value), { error: () => expected });
};

export const PEAK_CONCURRENCY_MAX = 100_000;
export const LATENCY_BUDGET_MAX_MS = 60_000;
export const OTHER_CONNECTIONS_MAX = 100_000;
export const MONTHLY_SPEND_MAX_USD = 1_000_000;
export const ACU_MIN = capacityRange.minimum.value;
export const ACU_MAX = capacityRange.maximum.value;
export const ACU_SMALLEST_MAXIMUM = capacityRange.smallestMaximum.value;

export const Answers = z
  .object({
    database: choiceSchemas.database,
    instanceClass: choiceSchemas.instanceClass,
    minAcu: acuIn('minAcu', ACU_MIN, ACU_MAX),
    maxAcu: acuIn('maxAcu', ACU_SMALLEST_MAXIMUM, ACU_MAX),
    existingDatabase: choice(yesNo, 'existingDatabase'),
    needsRelational: choice(yesNo, 'needsRelational'),
    postgresOnlyFeatures: choice(yesNo, 'postgresOnlyFeatures'),
    peakConcurrency: integerIn('peakConcurrency', 1, PEAK_CONCURRENCY_MAX),
    otherConnections: integerIn('otherConnections', 0, OTHER_CONNECTIONS_MAX),
    traffic: choice(trafficShapes, 'traffic'),
    latencyBudgetMs: integerIn('latencyBudgetMs', 1, LATENCY_BUDGET_MAX_MS),
    monthlySpendUsd: integerIn('monthlySpendUsd', 0, MONTHLY_SPEND_MAX_USD),
    dataModelCanChange: choice(yesNo, 'dataModelCanChange'),
    asyncWritesOk: choice(yesNo, 'asyncWritesOk'),
    synchronousReads: choice(yesNo, 'synchronousReads'),
    runtimeLanguage: choice(runtimeLanguages, 'runtimeLanguage'),
    auth: choiceSchemas.auth,
    iac: choiceSchemas.iac,
    managedInstances: choice(yesNo, 'managedInstances'),
  })
  .strict()
  .superRefine((answers, ctx) => {
    const offer = engineOffer(answers.database);
    if (!offer.classes.includes(answers.instanceClass)) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceClass'],
        message: `instanceClass: ${answers.database} offers ${offer.classes.join(', ')}; got ${answers.instanceClass} (${offer.whyNot})`,
      });
    }
    if (answers.minAcu > answers.maxAcu) {
      ctx.addIssue({ code: 'custom', path: ['minAcu'], message: `minAcu: the minimum (${answers.minAcu}) is above the maximum (${answers.maxAcu} ACUs)` });
    }
  });
export type Answers = z.infer<typeof Answers>;

/**
 * Answers added after links were first shared have defaults that keep an old link's decision where
 * the rules allow: a 0.5–16 ACU range (Aurora's table gives the 2,000 the wizard used to assume), no
 * other clients, room in the spend for any proxy the wizard can size, Lambda's default compute, and
 * PostgreSQL features Aurora DSQL lacks in use (so a link from before DSQL is not moved to it).
 */
export const defaultAnswers: Answers = {
  database: 'rds-postgresql',
  instanceClass: 'db.t4g.small',
  minAcu: 0.5,
  maxAcu: 16,
  existingDatabase: 'yes',
  needsRelational: 'yes',
  postgresOnlyFeatures: 'yes',
  peakConcurrency: 50,
  otherConnections: 0,
  traffic: 'steady',
  latencyBudgetMs: 200,
  monthlySpendUsd: 100,
  dataModelCanChange: 'no',
  asyncWritesOk: 'no',
  synchronousReads: 'yes',
  runtimeLanguage: 'nodejs22.x-typescript',
  auth: 'iam',
  iac: 'sam',
  managedInstances: 'no',
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const messagesOf = (error: z.ZodError): string[] => error.issues.map((issue) => issue.message);

/** Parses answers from anything (a form, JSON); every problem is reported, not only the first. */
export function parseAnswers(input: unknown): ParseResult<Answers> {
  const result = Answers.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: messagesOf(result.error) };
}

/** The keys links carried before runtime and language became one answer, with the value each took when missing. */
const separateKeys = { runtime: 'nodejs22.x', language: undefined } as const;

/**
 * A link from before runtime and language were one answer names them apart (`runtime=python3.13&language=python`):
 * it still opens on the same pair. A missing language is the runtime's first, as the old wizard moved it.
 */
function separateRuntimeAndLanguage(params: URLSearchParams): ParseResult<RuntimeLanguage | undefined> {
  if (!params.has('runtime') && !params.has('language')) return { ok: true, value: undefined };
  if (params.has('runtimeLanguage')) return { ok: false, errors: ['runtime, language: a link names runtimeLanguage or the older runtime and language, not both'] };
  const runtime = choiceSchemas.runtime.safeParse(params.get('runtime') ?? separateKeys.runtime);
  if (!runtime.success) return { ok: false, errors: messagesOf(runtime.error) };
  const language = choiceSchemas.language.safeParse(params.get('language') ?? languagesFor(runtime.data)[0]);
  if (!language.success) return { ok: false, errors: messagesOf(language.error) };
  if (!languagesFor(runtime.data).includes(language.data)) {
    return { ok: false, errors: [`language: ${runtime.data} runs ${languagesFor(runtime.data).join(' or ')}; got ${language.data}`] };
  }
  return { ok: true, value: `${runtime.data}-${language.data}` };
}

/**
 * Reads answers from a share link's query string; missing keys take the defaults (a link that names
 * only the engine gets a class that engine offers), unknown keys are refused.
 */
export function answersFromSearchParams(params: URLSearchParams): ParseResult<Answers> {
  const record: Record<string, unknown> = { ...defaultAnswers };
  const unknown: string[] = [];
  const separate = separateRuntimeAndLanguage(params);
  if (separate.ok) record.runtimeLanguage = separate.value ?? record.runtimeLanguage;
  else unknown.push(...separate.errors);
  for (const [key, value] of params) {
    if (key in defaultAnswers) record[key] = value;
    else if (!(key in separateKeys)) unknown.push(`${key}: not a wizard answer; expected one of ${Object.keys(defaultAnswers).join(', ')}`);
  }
  if (!params.has('instanceClass') && (databases as readonly unknown[]).includes(record.database)) {
    record.instanceClass = defaultInstanceClassFor(record.database as Database);
  }
  const parsed = parseAnswers(record);
  if (unknown.length === 0) return parsed;
  return { ok: false, errors: [...unknown, ...(parsed.ok ? [] : parsed.errors)] };
}

/** The inverse of answersFromSearchParams, in the schema's key order so links are stable. */
export function answersToSearchParams(answers: Answers): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(defaultAnswers) as (keyof Answers)[]) params.set(key, String(answers[key]));
  return params;
}
