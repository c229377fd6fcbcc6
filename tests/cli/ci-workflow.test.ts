/**
 * The GitHub Actions workflow the README documents (docs/ci/connection-doctor.yml): valid YAML, the
 * README shows its steps as they are, and every connlab command it runs, with every option, is one the
 * CLI's help lists, so a renamed command or option breaks this test before it breaks a reader's CI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCommands, main } from '../../src/cli/main.ts';
import { parseCommandLine } from '../../src/cli/arguments.ts';
import { parseExpectation } from '../../src/run/expectations.ts';

const root = join(import.meta.dirname, '..', '..');
const workflowText = readFileSync(join(root, 'docs', 'ci', 'connection-doctor.yml'), 'utf8');
const workflow = parse(workflowText) as { permissions: Record<string, string>; jobs: Record<string, { steps: Array<Record<string, unknown>> }> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

/** A `run:` line as the shell splits it: words, single quotes removed, up to a redirection. */
function words(line: string): { args: string[]; redirect: string | undefined } {
  const args: string[] = [];
  let redirect: string | undefined;
  for (const match of line.matchAll(/'([^']*)'|(>)\s*(\S+)|(\S+)/g)) {
    if (match[2]) redirect = match[3];
    else args.push(match[1] ?? match[4]!);
  }
  return { args, redirect };
}

const connlabRuns = steps.filter((step) => typeof step.run === 'string' && step.run.includes('connlab.mjs')).map((step) => words(step.run as string));

async function captured(argv: string[]): Promise<string> {
  let out = '';
  await main(argv, { stdout: (text) => (out += text), stderr: (text) => (out += text) });
  return out;
}

describe('the documented GitHub Actions workflow', () => {
  it('runs the doctor with SARIF and a simulated spike of the handler with --expect no-errors', () => {
    expect(connlabRuns.map(({ args }) => args.slice(2, 3)[0])).toEqual(['doctor', 'simulate']);
    const [doctor, simulate] = connlabRuns;
    expect(doctor!.args).toEqual(expect.arrayContaining(['--format', 'sarif']));
    expect(simulate!.args).toEqual(expect.arrayContaining(['--handler', '--expect', 'no-errors']));
    // Each check reads as one: a shell would have taken an unquoted `<` for a redirection.
    simulate!.args.forEach((arg, i) => {
      if (arg === '--expect') expect(() => parseExpectation(simulate!.args[i + 1]!)).not.toThrow();
    });
  });

  it('runs only commands and options the CLI\'s help lists, which its parser accepts', async () => {
    const help = await captured(['--help']);
    const commands = new Map(await loadCommands());
    for (const { args } of connlabRuns) {
      expect(args[0]).toBe('node');
      expect(args[1]).toBe('.connlab/bin/connlab.mjs');
      const [name, ...rest] = args.slice(2);
      expect(help).toMatch(new RegExp(`^ {2}${name} `, 'm'));
      const usage = await captured([name!, '--help']);
      for (const option of rest.filter((arg) => arg.startsWith('--'))) expect(usage, `${name} ${option}`).toContain(option.split('=')[0]!);
      const command = commands.get(name!)!;
      expect(() => parseCommandLine(rest, command.options, command.positionals)).not.toThrow();
    }
  });

  it('uploads the file the doctor writes to code scanning, with the permission it needs', () => {
    const upload = steps.find((step) => String(step.uses).startsWith('github/codeql-action/upload-sarif@'));
    expect((upload!.with as Record<string, string>).sarif_file).toBe(connlabRuns[0]!.redirect);
    expect(workflow.permissions['security-events']).toBe('write');
  });

  it('is shown step for step in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Check your handler in CI'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect((parse(block) as { steps: unknown }).steps).toEqual(steps);
  });
});
