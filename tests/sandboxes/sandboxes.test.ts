/**
 * What every sandbox definition must hold, and the exact errors the chapter quotes. The expectations
 * themselves run in expectations.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.node.ts';
import { engineVersions } from '../../src/facts/postgres.ts';
import { RUN_TIMEOUT_MS } from '../support/runs.ts';

const REQUIRED = ['direct-connection', 'module-pool', 'stale-after-freeze', 'zombie-connections'];

describe('sandbox definitions', () => {
  it('includes the four sandboxes of chapter 2, each valid with at least one expectation', () => {
    const ids = listSandboxIds();
    for (const id of REQUIRED) expect(ids).toContain(id);
    for (const id of ids) {
      const { definition, files } = loadSandbox(id);
      expect(definition.expectations.length, id).toBeGreaterThan(0);
      expect(definition.notModelled.length, id).toBeGreaterThan(0);
      for (const variant of definition.variants) expect(files[variant.handler], `${id}/${variant.handler}`).toMatch(/export const handler = async/);
    }
  });
});

describe('every RDS for PostgreSQL sandbox takes the engine version and your max_connections', () => {
  it('offers engineVersion (default: facts) and a maxConnections override, and says 16+ is community wording', () => {
    // DynamoDB has no PostgreSQL; an Aurora DSQL cluster has neither an engine version nor an instance's max_connections.
    for (const id of listSandboxIds().filter((id) => id !== 'dynamodb' && !loadSandbox(id).definition.dsql)) {
      const { definition } = loadSandbox(id);
      const version = definition.parameters.find((p) => p.key === 'engineVersion');
      expect(version, id).toMatchObject({ kind: 'choice', default: engineVersions.default.value, choices: [...engineVersions.choices.value], binds: ['database.engineVersion'] });
      expect(definition.parameters.find((p) => p.key === 'maxConnections'), id).toMatchObject({ kind: 'number', binds: ['database.maxConnections'] });
      expect(definition.notModelled.some((line) => line.includes('community wording')), id).toBe(true);
    }
  });
});

describe('the errors the chapter quotes, exactly', () => {
  it('direct-connection fails with both 53300 messages of PostgreSQL 16+ (community wording), the default version', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox('direct-connection') });
    const messages = report.errors.filter((e) => e.code === '53300').map((e) => e.message).sort();
    expect(messages).toEqual(['remaining connection slots are reserved for roles with the SUPERUSER attribute', 'sorry, too many clients already']);
    const failure = report.logs.find((log) => log.lines.some((line) => line.includes('ERROR\tInvoke Error')));
    expect(failure?.lines[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    expect(failure?.lines.at(-1)).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB(\tInit Duration: \d+\.\d\d ms)?$/);
  }, RUN_TIMEOUT_MS);

  it('stale-after-freeze fails with the error pg raises after thaw, and the runtime exits', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox('stale-after-freeze'), variant: 'before' });
    expect(report.errors).toEqual([{ code: '57P05', message: 'terminating connection due to idle-session timeout', count: 5 }]);
    const crash = report.logs.find((log) => log.lines.some((line) => line.includes('Uncaught Exception')));
    expect(crash?.lines.join('\n')).toContain('Runtime.ExitError');
    // Each environment is replaced by a cold one after its crash.
    expect(report.coldStarts).toBe(10);
  }, RUN_TIMEOUT_MS);
});
