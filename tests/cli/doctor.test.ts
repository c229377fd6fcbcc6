/**
 * `connlab doctor` as a reader runs it: on the corpus it prints what each file's marks say and exits 1;
 * on clean code it exits 0; its SARIF passes the official SARIF 2.1.0 schema (as shipped in the
 * @microsoft/jest-sarif package); bad input is one line and exit 2, with nothing printed before it.
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { corpusDir, readCorpus } from '../../scripts/lib/doctor-corpus.ts';

const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;

async function doctor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['doctor', ...args], { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const corpus = readCorpus();
const at = (file: string) => join(corpusDir, file);

describe('connlab doctor', () => {
  it('prints, for every corpus file with its deployment flags, exactly the findings its marks expect', async () => {
    for (const file of corpus) {
      const { code, stdout } = await doctor([at(file.file), ...file.flags, '--format', 'json']);
      const report = JSON.parse(stdout) as { findings: Array<{ line: number; rule: string; severity: string }> };
      expect(report.findings.map((f) => `${file.file}:${f.line} ${f.rule}`).sort(), file.file).toEqual([...file.expected, ...file.spurious].sort());
      expect(code, file.file).toBe(report.findings.some((f) => f.severity === 'error') ? 1 : 0);
    }
  });

  it('on the corpus folder prints compiler-style lines with why, fix and chapter, and exits 1', async () => {
    const { code, stdout } = await doctor([corpusDir]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const finding = lines.find((line) => line.includes('pool-end-per-call.js:19:'));
    expect(finding).toMatch(/pool-end-per-call\.js:19:9 {2}error {2}connection-closed-in-handler {2}pool is created once per environment/);
    const after = lines.slice(lines.indexOf(finding!) + 1, lines.indexOf(finding!) + 4);
    expect(after[0]).toMatch(/^ {4}why: /);
    expect(after[1]).toMatch(/^ {4}fix: /);
    expect(after[2]).toBe('    see: /guide/pools-per-environment/ (sandbox module-pool)');
    expect(lines.at(-1)).toMatch(new RegExp(`^${corpus.length} files checked: \\d+ errors, \\d+ warnings, \\d+ information\\.$`));
  });

  it('exits 0 on clean code, and --fail-on decides which findings fail the run', async () => {
    expect((await doctor([at('clean-module-pool.mjs')])).code).toBe(0);
    const warningsOnly = at('connection-string-sslmode-require.mjs');
    expect((await doctor([warningsOnly])).code).toBe(0);
    expect((await doctor([warningsOnly, '--fail-on', 'warning'])).code).toBe(1);
    expect((await doctor([at('pool-end-per-call.js'), '--fail-on', 'never'])).code).toBe(0);
  });

  it('does the arithmetic from --instance: nominal max_connections less the reserved slots', async () => {
    // db.t3.micro: 1 GiB / 9,531,392 bytes = 112, less 3 + 2 reserved = 107.
    const { stdout } = await doctor([at('pool-max-twenty.mjs'), '--instance', 'db.t3.micro', '--concurrency', '6', '--format', 'json']);
    const budget = (JSON.parse(stdout) as { findings: Array<{ rule: string; message: string }> }).findings.find((f) => f.rule === 'connection-budget');
    expect(budget?.message).toBe('6 environments × 20 (max: 20) = 120 connections, above the 107 the database allows');
  });

  it('takes the handler a SAM template names in a folder: a connection in main() is per invocation', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'connlab-doctor-sam-'));
    mkdirSync(join(folder, 'app'));
    writeFileSync(join(folder, 'app', 'app.py'), 'import psycopg2\n\n\ndef main(event, context):\n    conn = psycopg2.connect(host="db", connect_timeout=5)\n');
    const without = await doctor([folder, '--format', 'json']);
    expect((JSON.parse(without.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule)).toEqual([]);
    writeFileSync(join(folder, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: app/\n      Handler: app.main\n      Runtime: python3.13\n');
    const named = await doctor([folder, '--format', 'json']);
    expect((JSON.parse(named.stdout) as { findings: Array<{ rule: string; path: string }> }).findings.map((f) => f.rule)).toEqual(['per-invocation-connection']);
    writeFileSync(join(folder, 'template.yaml'), 'Resources: [unclosed');
    const broken = await doctor([folder]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('is not valid YAML');
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with rules, levels and regions', async () => {
    const { stdout } = await doctor([corpusDir, '--format', 'sarif']);
    const log = JSON.parse(stdout) as { version: string; runs: Array<{ tool: { driver: { rules: unknown[] } }; results: Array<{ level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    // The schema's language-tag pattern is not valid with the u flag (a stray bracket), so patterns run without it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(60);
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(['error', 'warning', 'note']));
    expect(results.some((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('pool-end-per-call.js') && r.locations[0]!.physicalLocation.region.startLine === 19)).toBe(true);
    // The validator is not a rubber stamp: a result without a message fails it.
    const broken = structuredClone(log) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
  });

  it.each([
    [['nope.js'], "cannot read 'nope.js': no such file or folder"],
    [[join(corpusDir, 'README.md')], 'is in no language the doctor reads'],
    [[at('clean-module-pool.mjs'), 'missing.py'], "cannot read 'missing.py'"],
    [[at('clean-module-pool.mjs'), '--format', 'xml'], "--format must be one of text, json, sarif, got 'xml'"],
    [[at('clean-module-pool.mjs'), '--max-connections', '10', '--instance', 'db.t3.micro'], 'give --max-connections or --instance, not both'],
    [[at('clean-module-pool.mjs'), '--instance', 'db.serverless'], "--instance must be one of"],
    [[at('sslmode-require.py'), '--runtime', 'nodejs24.x'], 'is python, but --runtime nodejs24.x runs typescript or javascript'],
    [['/dev/null'], 'is in no language'],
    [[], 'which files?'],
  ])('doctor %j exits 2 with one line and prints nothing else', async (args, message) => {
    const { code, stdout, stderr } = await doctor(args);
    expect(code, stderr).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });
});
