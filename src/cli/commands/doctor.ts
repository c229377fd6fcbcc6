/**
 * `connlab doctor <file|dir>…`: the connection doctor (src/doctor) over the reader's handler files,
 * printed as text, JSON or SARIF. Every path is read and checked before anything is printed, so a bad
 * input is one line on stderr and exit 2, and a run either reports on everything or on nothing.
 * Exit 1 when a finding reaches --fail-on. In a folder with a SAM template, each function's Handler
 * tells which export of which file is the handler.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Command } from '../command.ts';
import { numberOption, quote, UsageError } from '../arguments.ts';
import { readHandler, shown, stat } from '../handler-files.ts';
import { analyze, languageOf } from '../../doctor/analyze.ts';
import type { Language } from '../../doctor/model.ts';
import { formatJson, formatSarif, formatText, type FileFindings } from '../../doctor/report.ts';
import { exportNameFor, samHandlers, type NamedHandler } from '../../doctor/sam.ts';
import type { Severity } from '../../doctor/rule.ts';
import { findInstanceClass, instanceClasses, nominalMaxConnections, reservedForOrdinaryRoles } from '../../facts/postgres.ts';
import { languagesFor, runtimes, type Runtime } from '../../vocabulary/choices.ts';

const usage =
  'connlab doctor <file|dir>... [--format text|json|sarif] [--runtime <runtime>] [--proxy] [--concurrency N] [--max-connections M | --instance CLASS] [--fail-on error|warning|never]';

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['error', 'warning', 'never'] as const;
/** Folders that hold dependencies, build output or caches, never the reader's handler source. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'build', 'cdk.out', '.aws-sam', '__pycache__', '.venv', 'venv', '.terraform']);
/** PostgreSQL's own upper bound for max_connections. */
const MAX_CONNECTIONS_LIMIT = 262_143;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${quote(value)}`);
  return value as T;
}

/** The handler files under a folder, in a stable order; links are not followed, so no walk loops. */
function filesUnder(folder: string, languages: readonly Language[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      throw new UsageError(`cannot read the folder ${quote(dir)}`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(path);
      else if (entry.isFile() && languages.includes(languageOf(entry.name)!)) out.push(path);
    }
  };
  walk(folder);
  return out;
}

/** The handlers named by a SAM template at the folder's root (template.yaml or template.yml), if there is one. */
function templateHandlers(folder: string): NamedHandler[] {
  for (const name of ['template.yaml', 'template.yml']) {
    const path = join(folder, name);
    let text: string;
    try {
      if (!statSync(path).isFile()) continue;
      text = readHandler(path, path);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      continue;
    }
    try {
      return samHandlers(text);
    } catch {
      throw new UsageError(`${quote(path)} is not valid YAML, so the handlers it names are unknown`);
    }
  }
  return [];
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export const command: Command = {
  summary: 'Check handler files for connection problems (text, JSON or SARIF); exit 1 when a finding reaches --fail-on',
  usage,
  options: {
    format: { type: 'string', value: 'text' },
    runtime: { type: 'string', value: 'text' },
    proxy: { type: 'boolean' },
    concurrency: { type: 'string', value: 'number' },
    'max-connections': { type: 'string', value: 'number' },
    instance: { type: 'string', value: 'text' },
    'fail-on': { type: 'string', value: 'text' },
  },
  positionals: ['paths...'],
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('which files? Give handler files or folders (JavaScript, TypeScript or Python)');
    const format = oneOf('format', values.format as string | undefined, FORMATS, 'text');
    const failOn = oneOf('fail-on', values['fail-on'] as string | undefined, FAIL_ON, 'error');
    const runtime = values.runtime === undefined ? undefined : oneOf<Runtime>('runtime', values.runtime as string, runtimes, runtimes[0]);
    const languages: readonly Language[] = runtime ? languagesFor(runtime) : ['javascript', 'typescript', 'python'];
    const concurrency = values.concurrency === undefined ? undefined : numberOption('concurrency', values.concurrency as string, { min: 1, max: 1_000_000, integer: true });
    if (values['max-connections'] !== undefined && values.instance !== undefined) throw new UsageError('give --max-connections or --instance, not both');
    let maxConnections = values['max-connections'] === undefined ? undefined : numberOption('max-connections', values['max-connections'] as string, { min: 1, max: MAX_CONNECTIONS_LIMIT, integer: true });
    if (values.instance !== undefined) {
      const instance = findInstanceClass(values.instance as string);
      if (!instance) throw new UsageError(`--instance must be one of ${instanceClasses.value.map((c) => c.id).join(', ')}, got ${quote(values.instance as string)}`);
      maxConnections = nominalMaxConnections(instance) - reservedForOrdinaryRoles();
    }

    // Read everything first: a bad path stops the run before a single finding is printed.
    const inputs: Array<{ path: string; language: Language; text: string; handlerName?: string }> = [];
    for (const given of positionals) {
      const info = stat(given, given);
      if (info.isDirectory()) {
        const found = filesUnder(given, languages);
        if (found.length === 0) throw new UsageError(`no ${languages.join(' or ')} files under ${quote(given)}`);
        const handlers = templateHandlers(given);
        const modules = found.map((path) => relative(given, path).split(sep).join('/').replace(/\.[^./]+$/, ''));
        found.forEach((path, i) => {
          const handlerName = exportNameFor(modules[i]!, handlers, modules);
          inputs.push({ path, language: languageOf(path)!, text: readHandler(path, path), ...(handlerName ? { handlerName } : {}) });
        });
        continue;
      }
      const language = languageOf(given);
      if (!language) throw new UsageError(`${quote(given)} is in no language the doctor reads (.js, .mjs, .cjs, .ts, .mts, .cts, .py)`);
      if (!languages.includes(language)) throw new UsageError(`${quote(given)} is ${language}, but --runtime ${runtime} runs ${languages.join(' or ')}`);
      inputs.push({ path: given, language, text: readHandler(given, given) });
    }

    const files: FileFindings[] = inputs.map(({ path, language, text, handlerName }) => ({
      path: shown(path),
      findings: analyze(text, language, {
        proxy: values.proxy === true,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(maxConnections !== undefined ? { maxConnections } : {}),
        ...(handlerName ? { handlerName } : {}),
      }).findings,
    }));
    io.stdout(format === 'json' ? formatJson(files) : format === 'sarif' ? formatSarif(files, packageVersion()) : formatText(files));
    const failing: Severity[] = failOn === 'error' ? ['error'] : failOn === 'warning' ? ['error', 'warning'] : [];
    return files.some((file) => file.findings.some((finding) => failing.includes(finding.severity))) ? 1 : 0;
  },
};
