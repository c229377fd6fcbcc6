/**
 * Source text becomes code in one place only, so that one module (lambda/modules.ts) answers for
 * what a handler can reach. Which files may import Node built-ins is an import rule, and
 * dependency-cruiser checks it with the other rules of the house (.dependency-cruiser.cjs,
 * tests/architecture/rules.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const sources = ['src/engine', 'src/run']
  .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => join(root, dir, file)))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => relative(root, file));

describe('portability of the engine', () => {
  it('turns source text into code in one module only', () => {
    expect(sources.length).toBeGreaterThan(40);
    const users = sources.filter((f) => /new Function\(|new AsyncFunction\(|\beval\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(users).toEqual(['src/engine/lambda/modules.ts']);
  });
});
