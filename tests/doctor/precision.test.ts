/**
 * The doctor's precision on code this project vouches for: every file of every project
 * `connlab generate` can emit gets no finding at all, and every sandbox handler gets exactly the
 * findings its lesson is about (none for an "after"). The same checks once the code is made worse
 * prove the silence is not blindness.
 */
import { describe, expect, it } from 'vitest';
import { analyze, languageOf } from '../../src/doctor/analyze.ts';
import { generate, validCombinations } from '../../src/templates/index.ts';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.node.ts';

const combinations = validCombinations();

describe('every generated project', () => {
  it(`has no finding in any file, over all ${combinations.length} combinations`, () => {
    expect(combinations.length).toBe(720);
    const found: string[] = [];
    let handlers = 0;
    // Many combinations share a file byte for byte (the infrastructure choice leaves the handler alone): read each once.
    const analyses = new Map<string, ReturnType<typeof analyze>>();
    for (const options of combinations) {
      const proxy = options.pattern === 'rds-proxy';
      for (const file of generate(options)) {
        const language = languageOf(file.path);
        if (!language) continue;
        const key = `${proxy} ${file.path}\n${file.contents}`;
        if (!analyses.has(key)) analyses.set(key, analyze(file.contents, language, { proxy, concurrency: 1000, maxConnections: 1000 }));
        const { facts, findings } = analyses.get(key)!;
        if (/^(src|app)\/handler\./.test(file.path)) {
          handlers++;
          // Not vacuous: the doctor found the handler, and the connection patterns' pool or connection.
          if (!facts.handler) found.push(`${JSON.stringify(options)} ${file.path}: no handler found`);
          if (['module-pool', 'rds-proxy', 'sqs-batching', 'aurora-dsql'].includes(options.pattern) && facts.creations.length === 0) found.push(`${JSON.stringify(options)} ${file.path}: no connection found`);
          if (options.pattern !== 'dynamodb' && facts.queries.length === 0) found.push(`${JSON.stringify(options)} ${file.path}: no SQL found`);
        }
        for (const finding of findings) found.push(`${JSON.stringify(options)} ${file.path}:${finding.place.line} ${finding.rule} ${finding.message}`);
      }
    }
    expect(handlers).toBe(720);
    expect(found).toEqual([]);
  });

  it('are found wanting once a safeguard is taken out', () => {
    const [typescript] = generate({ pattern: 'module-pool', runtime: 'nodejs24.x', language: 'typescript', auth: 'secrets-manager', iac: 'sam', database: 'rds-postgresql' }).filter((f) => f.path === 'src/handler.ts');
    const [python] = generate({ pattern: 'rds-proxy', runtime: 'python3.13', language: 'python', auth: 'iam', iac: 'sam', database: 'rds-postgresql' }).filter((f) => f.path === 'app/handler.py');
    const rulesOf = (code: string, language: 'typescript' | 'python', proxy = false) => analyze(code, language, { proxy }).findings.map((f) => f.rule);
    const ts = typescript!.contents;
    expect(rulesOf(ts.replace('  max: 1,\n', ''), 'typescript')).toEqual(['pool-size']);
    expect(rulesOf(ts.replace("pool.on('error'", "pool.on('connect'"), 'typescript')).toEqual(['missing-error-listener']);
    expect(rulesOf(ts.replace('  connectionTimeoutMillis: 5000,\n', ''), 'typescript')).toEqual(['connect-timeout']);
    expect(rulesOf(ts.replace('ssl: { ca, rejectUnauthorized: true }', 'ssl: { rejectUnauthorized: false }'), 'typescript')).toEqual(['tls-unverified']);
    const py = python!.contents;
    expect(rulesOf(py.replace('except psycopg.OperationalError:', 'except ValueError:'), 'python', true)).toEqual(['python-no-reconnect']);
    expect(rulesOf(py.replace('sslmode="verify-full"', 'sslmode="require"'), 'python', true)).toEqual(['tls-unverified']);
  });
});

/**
 * What each sandbox handler is about, as rule ids. The pairs with a before and an after: the before
 * shows its one problem, the after none. The handlers a chapter runs as they are (no after) show
 * theirs too: direct-connection opens a client per invocation on purpose; the module-level pools of
 * the comparison sandboxes have no 'error' listener, which the stale-after-freeze chapter teaches.
 */
const expected: Record<string, string[]> = {
  'arena/aurora-dsql.mjs': [],
  'arena/data-api.mjs': [],
  'arena/dynamodb.mjs': [],
  'arena/module-pool.mjs': ['missing-error-listener'],
  'arena/rds-proxy.mjs': ['missing-error-listener'],
  'arena/sqs-consumer.mjs': ['missing-error-listener'],
  'arena/sqs-producer.mjs': [],
  'aurora-dsql/after.mjs': [],
  'aurora-dsql/before.mjs': ['per-invocation-connection'],
  'connect-timeout/after.mjs': [],
  'connect-timeout/before.mjs': ['connect-timeout', 'query-timeout'],
  'data-api/handler.mjs': [],
  'data-api/large-select.mjs': [],
  'data-api/module-pool.mjs': ['missing-error-listener'],
  'data-api/paged-select.mjs': [],
  'direct-connection/handler.mjs': ['per-invocation-connection'],
  'dynamodb/hot-key.mjs': [],
  'dynamodb/sharded-key.mjs': [],
  // Neither file shows an extension (the sandbox's deployment registers one): without one no SIGTERM
  // comes, so a pool no listener closes is reported only in code that handles SIGTERM or registers one.
  'graceful-shutdown/after.mjs': [],
  'graceful-shutdown/before.mjs': [],
  // The Managed Instances lesson (max: 1 where one environment runs many invocations at once) has no rule yet;
  // the after's pool size is computed, which the pool-size rule does not judge.
  'managed-instances/after.mjs': [],
  'managed-instances/before.mjs': [],
  'module-pool/handler.mjs': ['missing-error-listener'],
  'proxy-borrow-timeout/after.mjs': [],
  'proxy-borrow-timeout/before.mjs': ['transaction-held-open'],
  'proxy-iam/after.mjs': [],
  'proxy-iam/before.mjs': ['iam-token-at-init'],
  'proxy-iam/no-tls.mjs': ['tls-unverified'],
  'proxy-pinning/after.mjs': [],
  'proxy-pinning/before.mjs': ['proxy-pinning'],
  'rds-proxy/handler.mjs': [],
  // The rotation lesson: the secret fetched once at INIT with nothing that fetches it again on 28P01.
  // PGPASSWORD, which pg reads by itself (env-var.mjs), is in no line of the code.
  'secret-rotation/after.mjs': [],
  'secret-rotation/before.mjs': ['secret-read-once'],
  'secret-rotation/env-var.mjs': [],
  'secret-rotation/extension.mjs': [],
  'sqs-batching/consumer.mjs': ['missing-error-listener'],
  'sqs-batching/direct.mjs': ['missing-error-listener'],
  'sqs-batching/producer.mjs': [],
  'stale-after-freeze/after.mjs': [],
  'stale-after-freeze/before.mjs': ['missing-error-listener'],
  'zombie-connections/handler.mjs': [],
};

describe('every sandbox handler', () => {
  const files = listSandboxIds().flatMap((id) => {
    const { definition, files } = loadSandbox(id);
    return Object.entries(files).map(([file, code]) => ({ key: `${id}/${file}`, code, proxy: definition.pattern.startsWith('rds-proxy') }));
  });

  it('is in the table above', () => {
    expect(files.map((f) => f.key).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files.map((f) => [f.key, f] as const))('%s has the findings of its lesson and no other', (key, { code, proxy }) => {
    const { facts, findings } = analyze(code, 'javascript', { proxy });
    expect(facts.handler, 'the handler export is found').toBeDefined();
    expect(findings.map((f) => f.rule)).toEqual(expected[key]);
  });
});
