/**
 * `connlab generate`: the wizard's starter project from a terminal. The files and the zip bytes are
 * those of the page (same pure generate() and zipProject()), so a project can be compared byte for
 * byte whichever face produced it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command, CommandIO } from '../command.ts';
import { quote, UsageError, type CliOptions } from '../arguments.ts';
import { checkFileTarget, checkFolderTarget } from '../output-target.ts';
import { generate, whyInvalid, zipProject, type GeneratedFile } from '../../templates/index.ts';
import { choiceConstraints, decide, defaultAnswers, fitToConstraints, isAsked, parseAnswers, questions, patternNames, type Answers } from '../../wizard/index.ts';
import { auths, computes, databases, GenerateOptionsSchema, iacs, languages, patterns, runtimes, type GenerateOptions } from '../../vocabulary/choices.ts';

const valid: Record<keyof GenerateOptions, readonly string[]> = { pattern: patterns, runtime: runtimes, language: languages, auth: auths, iac: iacs, database: databases, compute: computes };
const USAGE =
  'connlab generate --pattern P --runtime R --language L --auth A --iac I [--database D] [--compute C] (--out DIR [--force] | --zip FILE)\n' +
  '       connlab generate --interactive [--out DIR [--force] | --zip FILE]\n' +
  '       connlab generate --list';

const OPTIONS: CliOptions = {
  ...Object.fromEntries(Object.keys(valid).map((name) => [name, { type: 'string', value: 'text' }])),
  out: { type: 'string', value: 'path' },
  zip: { type: 'string', value: 'path' },
  force: { type: 'boolean' },
  list: { type: 'boolean' },
  interactive: { type: 'boolean' },
};

type Values = Partial<Record<string, string>>;

function listing(): string {
  return Object.entries(valid)
    .map(([name, values]) => `--${name.padEnd(9)} ${values.join(', ')}${name === 'database' ? ' (default rds-postgresql)' : name === 'compute' ? ' (default default)' : ''}`)
    .join('\n');
}

/** The target is checked before generating, so a refusal leaves every file as it was. */
function write(files: GeneratedFile[], target: { zip: string } | { out: string }, io: CommandIO): number {
  if ('zip' in target) {
    writeFileSync(target.zip, zipProject(files));
    io.stdout(`Wrote ${files.length} files to ${target.zip}`);
    return 0;
  }
  for (const file of files) {
    const path = join(target.out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
    if (file.executable) chmodSync(path, 0o755);
  }
  io.stdout(`Wrote ${files.length} files to ${target.out}`);
  return 0;
}

async function interactive(io: CommandIO): Promise<GenerateOptions | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | undefined> => {
    io.stdout(prompt);
    const next = await lines.next();
    return next.done ? undefined : String(next.value).trim();
  };
  const answers: Record<string, unknown> = { ...defaultAnswers };
  try {
    for (const question of questions) {
      if (!isAsked(question, answers as Answers)) continue;
      const current = String(answers[question.id]);
      const choices = question.kind === 'choice' ? question.options.map((o, i) => `  ${i + 1}. ${o.label} [${o.value}]`).join('\n') + '\n' : '';
      const range = question.kind === 'number' ? ` (${question.min} to ${question.max} ${question.unit})` : '';
      for (;;) {
        const reply = await ask(`\n${question.label}${range}\n${question.whyThisMatters} (${question.chapter})\n${choices}Answer [${current}]:`);
        if (reply === undefined) {
          io.stderr('connlab generate: input ended before every question was answered.');
          return undefined;
        }
        let value: string = reply === '' ? current : reply;
        if (question.kind === 'choice' && /^\d+$/.test(value)) value = question.options[Number(value) - 1]?.value ?? value;
        // An answer that rules out a later default (engine → class, runtime → language) moves it; a
        // constrained answer itself is checked as typed, so a class the engine lacks is refused.
        const typed = { ...answers, [question.id]: value };
        const constrained = question.id in choiceConstraints(defaultAnswers);
        const trial = constrained ? typed : fitToConstraints(typed);
        const parsed = parseAnswers(trial);
        const mine = parsed.ok ? [] : parsed.errors.filter((e) => e.startsWith(`${question.id}:`));
        if (mine.length === 0) {
          Object.assign(answers, trial);
          break;
        }
        io.stderr(mine.join('\n'));
      }
    }
  } finally {
    rl.close();
  }
  const parsed = parseAnswers(answers);
  if (!parsed.ok) {
    io.stderr(parsed.errors.join('\n'));
    return undefined;
  }
  const recommendation = decide(parsed.value);
  io.stdout(`\nRecommended: ${patternNames[recommendation.pattern]} (${recommendation.pattern})`);
  for (const reason of recommendation.reasons) io.stdout(`  - ${reason.text}`);
  if (recommendation.reads) {
    const reads = recommendation.reads.generate;
    io.stdout(`Reads: ${patternNames[reads.pattern]} (${reads.pattern})`);
    for (const reason of recommendation.reads.reasons) io.stdout(`  - ${reason.text}`);
    io.stdout(`  The reads' project: connlab generate --pattern ${reads.pattern} --runtime ${reads.runtime} --language ${reads.language} --auth ${reads.auth} --iac ${reads.iac} --database ${reads.database} --out orders-${reads.pattern}`);
  }
  for (const caution of recommendation.cautions) io.stdout(`  ! ${caution.text}`);
  for (const contradiction of recommendation.contradictions) io.stdout(`  ! ${contradiction.message} ${contradiction.resolution}`);
  io.stdout(`Runner-up: ${patternNames[recommendation.runnerUp.pattern]}: ${recommendation.runnerUp.why}`);
  if (recommendation.whatWouldChange.length) io.stdout(`What would change this answer:\n${recommendation.whatWouldChange.map((c) => `  - ${c}`).join('\n')}`);
  return recommendation.generate;
}

export const command: Command = {
  summary: 'Generate a starter project (handler, dependencies, infrastructure, README, local test)',
  usage: USAGE,
  options: OPTIONS,
  positionals: [],
  async run(line, io) {
    const values = line.values as Values;
    const force = line.values.force === true;
    if (line.values.list) {
      io.stdout(listing());
      return 0;
    }
    if (values.out !== undefined && values.zip !== undefined) throw new UsageError('pass either --out or --zip, not both');
    const checkTarget = () => (values.zip !== undefined ? { zip: checkFileTarget(values.zip, force) } : { out: checkFolderTarget(values.out!, force) });
    let options: GenerateOptions;
    let target: { zip: string } | { out: string };
    if (line.values.interactive) {
      // Checked before the questions too, so nobody answers thirteen of them for a path that cannot be written.
      if (values.out !== undefined || values.zip !== undefined) checkTarget();
      const chosen = await interactive(io);
      if (!chosen) return 2;
      options = chosen;
      if (values.out === undefined && values.zip === undefined) values.out = `orders-${options.pattern}`;
      target = checkTarget();
    } else {
      const bad: string[] = [];
      for (const [name, allowed] of Object.entries(valid)) {
        const value = values[name];
        if (value === undefined) {
          if (name !== 'database' && name !== 'compute') bad.push(`--${name} is required; valid values: ${allowed.join(', ')}`);
        } else if (!allowed.includes(value)) bad.push(`--${name} ${quote(value)} is not valid; valid values: ${allowed.join(', ')}`);
      }
      if (values.out === undefined && values.zip === undefined) bad.push('--out DIR or --zip FILE is required');
      if (bad.length) throw new UsageError(bad.join('; '));
      options = GenerateOptionsSchema.parse({ pattern: values.pattern, runtime: values.runtime, language: values.language, auth: values.auth, iac: values.iac, database: values.database, compute: values.compute });
      const reasons = whyInvalid(options);
      if (reasons.length) throw new UsageError(`this combination cannot be generated: ${reasons.join('; ')}`);
      target = checkTarget();
    }
    return write(generate(options), target, io);
  },
};
