/**
 * The code the chapters show is code a reader will deploy. These checks read every fenced block of every
 * chapter and hold it to the rules the guide teaches: credentials come from Secrets Manager, never from a
 * plain environment variable; no connection attempt or query waits without a bound; the statement timeout
 * lives on the role, not in a session SET or a startup option; the dead-connection matcher recognises every
 * way node-postgres reports a dead socket; and every whole-file example parses in its language.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const chaptersDir = new URL('../../content/chapters/', import.meta.url).pathname;

interface CodeBlock {
  readonly chapter: string;
  readonly lang: string;
  readonly title: string;
  readonly code: string;
}

function codeBlocks(): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const file of readdirSync(chaptersDir).filter((name) => name.endsWith('.mdx'))) {
    const text = readFileSync(join(chaptersDir, file), 'utf8');
    for (const match of text.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```\s*$/gm)) {
      const title = /title="([^"]*)"/.exec(match[2] ?? '')?.[1] ?? '';
      blocks.push({ chapter: file, lang: match[1] ?? '', title, code: match[3] ?? '' });
    }
  }
  return blocks;
}

const blocks = codeBlocks();
const where = (block: CodeBlock) => `${block.chapter}: ${block.lang} block "${block.title}"`;
const javascript = blocks.filter((block) => block.lang === 'js');
const python = blocks.filter((block) => block.lang === 'python');

describe('chapter code examples', () => {
  it('are found in every chapter that has code', () => {
    expect(javascript.length).toBeGreaterThan(10);
    expect(python.length).toBeGreaterThan(5);
  });

  it('never read a database password from an environment variable', () => {
    for (const block of blocks) {
      expect(block.code, where(block)).not.toMatch(/(process\.env\.|os\.environ\[["'])\w*PASSWORD/);
    }
  });

  it('bound the connection attempt, the query and the idle socket of every node-postgres client or pool', () => {
    const constructors = javascript.filter((block) => /new pg\.(Pool|Client)\(/.test(block.code));
    expect(constructors.length).toBeGreaterThan(3);
    for (const block of constructors) {
      for (const option of ['connectionTimeoutMillis', 'query_timeout', 'keepAlive']) {
        expect(block.code, `${where(block)} sets ${option}`).toContain(`${option}:`);
      }
    }
  });

  it('bound the connection attempt of every psycopg connection', () => {
    const connects = python.filter((block) => /psycopg2?\.connect\((?!\.\.\.\))/.test(block.code));
    expect(connects.length).toBeGreaterThan(3);
    for (const block of connects) expect(block.code, where(block)).toMatch(/connect_timeout=\d/);
  });

  it('keep statement_timeout on the role, not in a session SET or a startup option', () => {
    for (const block of blocks) {
      for (const line of block.code.split('\n')) {
        if (/ALTER ROLE/i.test(line)) continue;
        expect(line, where(block)).not.toMatch(/\bSET\s+(LOCAL\s+)?statement_timeout/i);
        expect(line, where(block)).not.toMatch(/options\s*=.*statement_timeout|statement_timeout\s*:/);
      }
    }
  });

  // A statement queued at the proxy is, for node-postgres, a query without an answer: the proxy's error only
  // reaches the function if the borrow wait plus the role's statement_timeout end before query_timeout.
  it("keep every ConnectionBorrowTimeout shown, plus the role's statement_timeout, below that chapter's query_timeout", () => {
    const ms = (text: string) => Number(text.replaceAll('_', ''));
    const roleStatementMs = Math.max(...blocks.flatMap((b) => [...b.code.matchAll(/ALTER ROLE \w+ SET statement_timeout = '(\d+)s'/g)].map((m) => ms(m[1]!) * 1000)));
    const borrows = blocks.flatMap((block) => [...block.code.matchAll(/ConnectionBorrowTimeout=(\d+)/g)].map((m) => ({ block, borrowMs: ms(m[1]!) * 1000 })));
    expect(borrows.length).toBeGreaterThan(0);
    for (const { block, borrowMs } of borrows) {
      const queryTimeouts = javascript.filter((b) => b.chapter === block.chapter).flatMap((b) => [...b.code.matchAll(/query_timeout: ([\d_]+)/g)].map((m) => ms(m[1]!)));
      expect(queryTimeouts.length, block.chapter).toBeGreaterThan(0);
      for (const queryMs of queryTimeouts) expect(borrowMs + roleStatementMs, `${where(block)} against query_timeout ${queryMs}`).toBeLessThan(queryMs);
    }
  });

  it('recognise every way node-postgres reports a dead connection wherever they match one', () => {
    const matchers = blocks.filter((block) => block.code.includes('Connection terminated unexpectedly'));
    expect(matchers.length).toBeGreaterThan(0);
    for (const block of matchers) {
      expect(block.code, where(block)).toContain("'ECONNRESET'");
      expect(block.code, where(block)).toContain("'Connection terminated due to connection timeout'");
    }
  });

  it('write an SQS batch with one multi-row INSERT', () => {
    const consumers = blocks.filter((block) => /^consumer\.(mjs|py)$/.test(block.title));
    expect(consumers.map((block) => block.title).sort()).toEqual(['consumer.mjs', 'consumer.py']);
    for (const block of consumers) expect(block.code, where(block)).toMatch(/unnest\(|execute_values\(/);
  });

  it('parse as JavaScript modules', () => {
    for (const block of javascript) {
      expect(() => transformSync(block.code, { loader: 'js', format: 'esm', target: 'es2022' }), where(block)).not.toThrow();
    }
  });

  it('parse as Python', () => {
    const sources = python.map((block) => block.code);
    const failures = execFileSync(
      'python3',
      ['-c', 'import ast, json, sys\nfor i, s in enumerate(json.load(sys.stdin)):\n    try: ast.parse(s)\n    except SyntaxError as e: print(i, e)'],
      { input: JSON.stringify(sources), encoding: 'utf8' },
    );
    expect(failures.split('\n').filter(Boolean).map((line) => `${where(python[Number(line.split(' ')[0])]!)}: ${line}`)).toEqual([]);
  });
});

describe('chapter 1', () => {
  const text = readFileSync(join(chaptersDir, 'the-problem.mdx'), 'utf8');
  const lines = (code: string) => code.trim().split('\n').map((line) => line.trimEnd());

  it("shows the direct-connection sandbox's handler, line for line, as the one the sandbox runs", () => {
    const shown = blocks.filter((block) => block.chapter === 'the-problem.mdx' && block.lang === 'js' && block.title === 'handler.mjs');
    expect(shown).toHaveLength(1);
    const sandboxHandler = readFileSync(new URL('../../sandboxes/direct-connection/handler.mjs', import.meta.url), 'utf8');
    expect(lines(shown[0]!.code)).toEqual(lines(sandboxHandler));
  });

  it('embeds the sandbox right after the handler, before the second section', () => {
    const headings = [...text.matchAll(/^## .*$/gm)];
    const handlerShown = text.indexOf('```js title="handler.mjs"');
    const sandbox = text.indexOf('<Sandbox id="direct-connection" />');
    expect(headings[0]?.[0]).toBe('## The handler that opens a connection per invocation');
    expect(handlerShown).toBeGreaterThan(headings[0]!.index);
    expect(sandbox).toBeGreaterThan(handlerShown);
    expect(sandbox).toBeLessThan(headings[1]!.index);
  });

  it('labels the max_connections figures as nominal and sends readers to SHOW max_connections', () => {
    expect(text).toMatch(/\| Instance class \| Nominal memory \| Nominal `max_connections`/);
    expect(text).toContain('SHOW max_connections;');
  });
});
