/**
 * The sandbox handlers are code readers copy. Every node-postgres client or pool in them bounds the
 * connection attempt and the wait for an answer and turns on TCP keepalive with a delay, with the values
 * the generated projects use (src/facts/starter-code.ts); and where the simulator hands a handler its
 * password in PGPASSWORD, the handler and the sandbox say that production reads it from Secrets
 * Manager or signs an IAM token instead.
 */
import { describe, expect, it } from 'vitest';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { Sandbox } from '../../src/sandboxes/schema.ts';
import { clientSettings } from '../../src/facts/starter-code.ts';
import { failoverClient } from '../../src/facts/failover.ts';

const { connectTimeout, queryTimeout, tcpKeepalives } = clientSettings;

/**
 * Handlers whose lesson is a connect bound itself: the broken one has pg's defaults (no bound at
 * all), the fixed one the bound its sandbox teaches. Every other option follows the rule below.
 */
const CONNECT_BOUND_LESSONS: Readonly<Record<string, number | undefined>> = {
  'connect-timeout/before.mjs': undefined,
  'connect-timeout/after.mjs': failoverClient.connectTimeout.value * 1000,
};

const handlers = listSandboxIds().flatMap((id) => {
  const { definition, files } = loadSandbox(id);
  return Object.entries(files).map(([file, code]) => ({ id, file, code, definition }));
});
/** A handler some variant declares to end in "Task timed out" on purpose (sandbox.json `timeoutIsTheLesson`). */
const timeoutIsTheLesson = (definition: Sandbox, file: string): boolean =>
  definition.variants.some((variant) => variant.handler === file && variant.timeoutIsTheLesson !== undefined);
const handlerCode = (path: string): string => handlers.find((h) => `${h.id}/${h.file}` === path)!.code;
const pgHandlers = handlers.filter(({ code }) => /new (pg\.)?(Pool|Client)\(/.test(code));

/** The options object of each `new Pool({ … })` / `new pg.Client({ … })` in the file. */
function constructorOptions(code: string): string[] {
  return [...code.matchAll(/new (?:pg\.)?(?:Pool|Client)\((\{[\s\S]*?\n?\s*\})\);/g)].map((match) => match[1] ?? '');
}

/** A numeric option's value as written (`5_000` is 5000), or undefined. */
function numberOption(options: string, name: string): number | undefined {
  const match = new RegExp(`\\b${name}: ([\\d_]+),`).exec(options);
  return match ? Number(match[1]!.replaceAll('_', '')) : undefined;
}

describe('sandbox handlers', () => {
  it('are found: every PostgreSQL pattern has node-postgres handlers', () => {
    expect(new Set(pgHandlers.map((h) => h.id))).toEqual(
      new Set(['arena', 'aurora-dsql', 'connect-timeout', 'data-api', 'direct-connection', 'graceful-shutdown', 'managed-instances', 'module-pool', 'proxy-borrow-timeout', 'proxy-iam', 'proxy-pinning', 'rds-proxy', 'secret-rotation', 'sqs-batching', 'stale-after-freeze', 'zombie-connections']),
    );
  });

  it('bound the connection attempt and the query, and turn on keepalive with a delay, as the generated projects do', () => {
    for (const { id, file, code } of pgHandlers.filter((h) => !Object.hasOwn(CONNECT_BOUND_LESSONS, `${h.id}/${h.file}`))) {
      const all = constructorOptions(code);
      expect(all.length, `${id}/${file}`).toBeGreaterThan(0);
      for (const options of all) {
        expect(numberOption(options, 'connectionTimeoutMillis'), `${id}/${file} connectionTimeoutMillis`).toBe(connectTimeout.value * 1000);
        expect(numberOption(options, 'query_timeout'), `${id}/${file} query_timeout`).toBe(queryTimeout.value * 1000);
        expect(options, `${id}/${file} keepAlive`).toContain('keepAlive: true,');
        // Without a delay, Node leaves the first probe to the operating system (2 hours on Linux).
        expect(numberOption(options, 'keepAliveInitialDelayMillis'), `${id}/${file} keepAliveInitialDelayMillis`).toBe(tcpKeepalives.value.idle * 1000);
      }
    }
  });

  // The bounds only help if they fire inside the invocation: a connect that stalls to its bound and then a
  // query that stalls to its own must still end with pg's error, not with Lambda's "Task timed out".
  it('end a stalled connect plus a stalled query before the function timeout that runs them', () => {
    for (const { id, file, code, definition } of pgHandlers.filter((h) => !timeoutIsTheLesson(h.definition, h.file))) {
      const consumer = definition.sqs?.consumer;
      const timeoutMs = consumer?.handler === file ? consumer.timeoutMs : definition.lambda.timeoutMs;
      for (const options of constructorOptions(code)) {
        const bounds = numberOption(options, 'connectionTimeoutMillis')! + numberOption(options, 'query_timeout')!;
        expect(bounds, `${id}/${file}: connect + query bounds against the ${timeoutMs} ms function timeout`).toBeLessThan(timeoutMs);
      }
    }
  });

  // A statement queued in the proxy's borrow queue is, for pg, a query without an answer: with a borrow
  // timeout at or above query_timeout, pg gives up first and the proxy's own error never reaches the handler.
  it("wait less in the proxy's borrow queue than query_timeout, or say why not", () => {
    for (const id of new Set(pgHandlers.map((h) => h.id))) {
      const { definition } = loadSandbox(id);
      if (!definition.proxy) continue;
      const parameter = definition.parameters.find((p) => p.binds.includes('proxy.connectionBorrowTimeoutMs'));
      const borrowMs = parameter?.kind === 'number' ? parameter.default * parameter.scale : definition.proxy.connectionBorrowTimeoutMs;
      if (borrowMs < queryTimeout.value * 1000) {
        // Beyond the default, the reader is told where query_timeout takes over.
        if (parameter) expect(parameter.description, id).toContain(`From ${queryTimeout.value} s up, a wait that reaches ${queryTimeout.value} s ends with the handler's query_timeout instead`);
      } else {
        expect(
          definition.notModelled.some((line) => line.includes('ConnectionBorrowTimeout') && line.includes(`query_timeout (${queryTimeout.value} s`)),
          `${id}: borrow timeout ${borrowMs} ms is not below query_timeout, and notModelled does not say what ends the wait`,
        ).toBe(true);
      }
    }
  });

  it('where the lesson is the connect bound: none before, the lesson\'s after, and the usual bounds otherwise', () => {
    const before = constructorOptions(handlerCode('connect-timeout/before.mjs')).join('');
    expect(before).not.toMatch(/connectionTimeoutMillis|query_timeout|keepAlive/);
    const after = constructorOptions(handlerCode('connect-timeout/after.mjs'));
    expect(after).toHaveLength(1);
    expect(numberOption(after[0]!, 'connectionTimeoutMillis')).toBe(CONNECT_BOUND_LESSONS['connect-timeout/after.mjs']);
    expect(numberOption(after[0]!, 'query_timeout')).toBe(queryTimeout.value * 1000);
    expect(numberOption(after[0]!, 'keepAliveInitialDelayMillis')).toBe(tcpKeepalives.value.idle * 1000);
  });

  it('give a client that failed inside a checked-out transaction back with its error', () => {
    for (const { id, file, code } of pgHandlers.filter((h) => h.code.includes('pool.connect()'))) {
      expect(code, `${id}/${file}`).toMatch(/client\.release\((\w+)\)/);
      expect(code, `${id}/${file}`).not.toMatch(/client\.release\(\)/);
    }
  });

  it('say where the password comes from in production wherever the simulator puts it in PGPASSWORD', () => {
    for (const { id, file, code, definition } of pgHandlers) {
      if (!definition.lambda.env.PGPASSWORD || /password:/.test(code)) continue;
      expect(code, `${id}/${file}`).toMatch(/PGPASSWORD[\s\S]*simulator[\s\S]*Secrets\s+(\/\/ )?Manager once at INIT[\s\S]*IAM token/);
      expect(
        definition.notModelled.some((line) => line.includes('PGPASSWORD') && line.includes('Secrets Manager')),
        `${id}: notModelled says where the password comes from in production`,
      ).toBe(true);
    }
  });
});
