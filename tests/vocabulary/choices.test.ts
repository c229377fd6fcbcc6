/**
 * The shared vocabulary: the wizard's instance classes are exactly those some engine offers, each
 * provisioned one has a row in postgres.ts's memory table, and the wizard and the templates read the
 * vocabulary instead of each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceSchemas, databases, engineOffer, instanceClassOptions, instanceClasses } from '../../src/vocabulary/choices.ts';
import { findInstanceClass, nominalMaxConnections } from '../../src/facts/postgres.ts';

const src = join(import.meta.dirname, '../../src');
const sources = (folder: string): string[] =>
  readdirSync(join(src, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(join(src, folder, name), 'utf8'));
const importsFrom = (folder: string, other: string): boolean =>
  sources(folder).some((text) => [...text.matchAll(/from '([^']+)'/g)].some(([, specifier]) => specifier!.split('/').includes(other)));

describe('instance classes', () => {
  it('lists every class an engine offers, once, and no other', () => {
    const offered = new Set(databases.flatMap((database) => engineOffer(database).classes));
    expect(new Set(instanceClasses)).toEqual(offered);
    expect(instanceClasses).toHaveLength(offered.size);
  });

  it('gives every provisioned class its memory row, so its label and its max_connections come from one table', () => {
    for (const option of instanceClassOptions) {
      const instance = findInstanceClass(option.value);
      if (option.value === 'db.serverless') {
        expect(instance).toBeUndefined();
        continue;
      }
      expect(instance, option.value).toBeDefined();
      expect(option.label).toBe(`${option.value} (${instance!.memoryGiB} GiB)`);
      expect(nominalMaxConnections(instance!)).toBeGreaterThan(0);
    }
  });
});

describe('schemas', () => {
  it('refuse a value by naming the field, what it accepts and what it got', () => {
    const result = choiceSchemas.iac.safeParse('pulumi');
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe('iac: expected one of sam, cdk, terraform, aws-cli; got "pulumi"');
  });
});

describe('dependencies', () => {
  it('the wizard and the templates do not import each other', () => {
    expect(importsFrom('wizard', 'templates')).toBe(false);
    expect(importsFrom('templates', 'wizard')).toBe(false);
  });

  it('both read the vocabulary', () => {
    expect(importsFrom('wizard', 'vocabulary')).toBe(true);
    expect(importsFrom('templates', 'vocabulary')).toBe(true);
  });
});
