/**
 * The last chapter shows one production-ready handler per runtime. It must be the wizard's own output for the example
 * answers (not a copy that drifts), and that output must hold every lesson the chapter lists next to it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productionHandler } from '../../src/components/production-handler.ts';
import { generate } from '../../src/templates/index.ts';
import { decide } from '../../src/wizard/decide.ts';
import { productionHandlerAnswers } from '../../src/wizard/examples.ts';
import { runtimeAndLanguage } from '../../src/wizard/answers.ts';

const chapter = readFileSync(new URL('../../content/chapters/choosing-a-pattern.mdx', import.meta.url), 'utf8');
const lastOrder = Math.max(
  ...['beyond-default-compute', 'compare', 'choosing-a-pattern', 'the-problem'].map((id) =>
    Number(/^order: (\d+)$/m.exec(readFileSync(new URL(`../../content/chapters/${id}.mdx`, import.meta.url), 'utf8'))![1]),
  ),
);

describe('the production handler in the last chapter', () => {
  it('is rendered from the generator in the chapter that comes last', () => {
    expect(chapter).toMatch(/^import ProductionHandler from '..\/..\/src\/components\/ProductionHandler.astro';$/m);
    expect(chapter).toMatch(/^<ProductionHandler \/>$/m);
    expect(Number(/^order: (\d+)$/m.exec(chapter)![1])).toBe(lastOrder);
  });

  it.each(['node', 'python'] as const)('%s: is what the wizard generates for the same answers, RDS Proxy with IAM', (runtime) => {
    const recommendation = decide(productionHandlerAnswers[runtime]);
    expect(recommendation.pattern).toBe('rds-proxy');
    expect(recommendation.generate.auth).toBe('iam');
    const fromCli = generate({ pattern: 'rds-proxy', auth: 'iam', ...runtimeAndLanguage(productionHandlerAnswers[runtime]), iac: 'terraform', database: 'rds-postgresql' });
    const shown = productionHandler(runtime);
    expect(fromCli.find((file) => file.path === shown.path)?.contents).toBe(shown.contents);
  });

  it('node: holds every lesson the chapter lists', () => {
    const handler = productionHandler('node').contents;
    expect(handler).toMatch(/^export const pool = new pg\.Pool\(\{$/m); // at INIT, module scope
    expect(handler).toMatch(/^ {2}max: 1,$/m);
    for (const bound of ['connectionTimeoutMillis: ', 'query_timeout: ', 'keepAlive: true', 'idleTimeoutMillis: ']) expect(handler).toContain(bound);
    expect(handler).toContain("pool.on('error',");
    expect(handler).toMatch(/password = \(\): Promise<string> => signer\.getAuthToken\(\)/); // a token per new connection
    expect(handler).toMatch(/if \(attempt === 1 && !committing && isDeadConnection\(error\)\) continue;/);
    expect(handler).toMatch(/process\.on\('SIGTERM', \(\) => \{\n\s+pool\.end\(\)/);
  });

  it('python: holds every lesson the chapter lists', () => {
    const handler = productionHandler('python').contents;
    expect(handler).toMatch(/^_connection = None$/m);
    for (const bound of ['connect_timeout=', 'keepalives=1', 'IDLE_SECONDS = ']) expect(handler).toContain(bound);
    expect(handler).toMatch(/def _connect\(\) -> "psycopg.Connection":\n\s+return _open\(_password\(\)\)/); // a token per new connection
    expect(handler).toContain('generate_db_auth_token(');
    expect(handler).toMatch(/if not \(reused and conn\.broken\):\n\s+raise\n\s+close\(\)\n\s+return work\(connection\(\)\)/);
    expect(handler).toMatch(/def _on_sigterm\(signum, frame\) -> None:[\s\S]*?close\(\)\n\s+sys\.exit\(0\)/);
    expect(handler).toContain('signal.signal(signal.SIGTERM, _on_sigterm)');
  });
});
