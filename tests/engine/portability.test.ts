/**
 * The engine runs unchanged in a Web Worker: nothing under src/engine or src/run may import a Node
 * built-in, except the Node host adapter; and source text becomes code in one place only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));

const NODE_ADAPTERS = new Set(['src/engine/host/node.ts', 'src/engine/host/browser-assets.ts', 'src/engine/net/http-endpoint.ts']);
const ENGINE_DIRS = ['clock', 'host', 'net', 'postgres', 'lambda', 'traffic', 'metrics', 'world'];
const builtin = /from\s+['"](node:[\w/]+|fs|path|net|tls|crypto|os|child_process|util|perf_hooks|url|zlib|http|https|stream|dns)['"]/;

describe('portability of the engine', () => {
  const sources = [...ENGINE_DIRS.map((d) => join(root, 'src/engine', d)), join(root, 'src/run')].flatMap(files).map((f) => relative(root, f));

  it('imports no Node built-in outside the Node host adapter', () => {
    const offenders = sources.filter((f) => !NODE_ADAPTERS.has(f) && builtin.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
    expect(sources.length).toBeGreaterThan(10);
  });

  it('turns source text into code in one module only', () => {
    const users = sources.filter((f) => /new Function\(|new AsyncFunction\(|\beval\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(users).toEqual(['src/engine/lambda/modules.ts']);
  });

  it('keeps the sandbox schema free of Node APIs', () => {
    for (const file of ['src/sandboxes/schema.ts', 'src/sandboxes/parameters.ts']) expect(readFileSync(join(root, file), 'utf8')).not.toMatch(builtin);
  });
});
