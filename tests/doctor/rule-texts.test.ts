/**
 * The rules' texts are data the command line, the page and the rules reference share: every rule has
 * them all, its id is unique and its own module's name, and its chapter and sandbox exist.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/doctor/rules/index.ts';
import { severities } from '../../src/doctor/rule.ts';

const root = join(import.meta.dirname, '../..');

describe('the rules', () => {
  it('are every module in src/doctor/rules, once, under their own id, each with its own test', () => {
    const modules = readdirSync(join(root, 'src/doctor/rules')).filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(rules.map((rule) => rule.id).sort()).toEqual(modules.sort());
    for (const id of modules) expect(existsSync(join(root, 'tests/doctor/rules', `${id}.test.ts`)), id).toBe(true);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))('%s has a severity, a title, why, fix and an existing chapter and sandbox', (_id, rule) => {
    expect(severities).toContain(rule.severity);
    for (const text of [rule.title, rule.why, rule.fix]) expect(text.length).toBeGreaterThan(20);
    expect(rule.why.split(/(?<=[.!?])\s/).length, 'one or two sentences').toBeLessThanOrEqual(2);
    expect(existsSync(join(root, 'content/chapters', `${rule.chapter}.mdx`)), rule.chapter).toBe(true);
    if (rule.sandbox) expect(existsSync(join(root, 'sandboxes', rule.sandbox, 'sandbox.json')), rule.sandbox).toBe(true);
  });
});
