/**
 * The RDS Proxy model's cost in the engine: the same callers and handler (the rds-proxy sandbox's)
 * reaching the instance directly and through the proxy, as simulated invocations per second of
 * wall time, and their ratio. Each pair runs in the same warm process, direct first.
 */
import { performance } from 'node:perf_hooks';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';
import type { SandboxSource } from '../../src/sandboxes/schema.ts';
import type { RunReport } from '../../src/run/report.ts';
import type { Section } from '../lib/bench-section.ts';

/** The rds-proxy sandbox with the proxy removed: PGHOST names the instance. */
function direct(source: SandboxSource): SandboxSource {
  const { proxy: _proxy, ...definition } = source.definition;
  const parameters = definition.parameters.filter((p) => !p.binds.some((path) => path.startsWith('proxy.')));
  return { ...source, definition: { ...definition, parameters, lambda: { ...definition.lambda, env: { ...definition.lambda.env, PGHOST: definition.database.host } } } };
}

async function timed(sandbox: SandboxSource, concurrency: number): Promise<{ report: RunReport; ms: number }> {
  const start = performance.now();
  const report = await runSandbox(nodeHost, { sandbox, parameters: { concurrency, instanceClass: 'db.r6g.large' } });
  return { report, ms: performance.now() - start };
}

export default async function bench(): Promise<Section> {
  const proxied = loadSandbox('rds-proxy');
  const plain = direct(proxied);
  await runSandbox(nodeHost, { sandbox: plain, parameters: { concurrency: 10 } }); // warm: pg bundle, data directory
  const rows: Section['rows'] = [];
  const ratios: number[] = [];
  for (const concurrency of [100, 1000]) {
    const a = await timed(plain, concurrency);
    const b = await timed(proxied, concurrency);
    const rate = (run: { report: RunReport; ms: number }) => run.report.invocations.total / (run.ms / 1000);
    ratios.push(rate(b) / rate(a));
    for (const [label, run] of [['direct', a], ['RDS Proxy', b]] as const) {
      rows.push([
        `${concurrency} callers, ${label}`,
        run.report.invocations.total.toLocaleString('en-US'),
        run.report.invocations.failed.toLocaleString('en-US'),
        `${Math.round(run.ms).toLocaleString('en-US')} ms`,
        Math.round(rate(run)).toLocaleString('en-US'),
        String(run.report.database.peakConnections),
        label === 'direct' ? '1.00' : (rate(b) / rate(a)).toFixed(2),
      ]);
    }
  }
  return {
    title: 'RDS Proxy in the engine: simulated invocations per wall second, direct against through the proxy',
    columns: ['run', 'invocations', 'failed', 'wall', 'invocations/s', 'peak DB connections', 'proxy ÷ direct'],
    rows,
    notes: [
      'Both runs are the rds-proxy sandbox (2.5 s virtual, the direct-connection handler) on a db.r6g.large, so the direct run is not cut short by 53300; "direct" removes the proxy and points PGHOST at the instance.',
      'Through the proxy every message crosses two virtual sockets and the proxy parses each one (pinning rules, ReadyForQuery); direct, every invocation pays a backend start and authentication on the instance\'s vCPUs, so its invocations take longer in virtual time and fewer finish within the run.',
      `proxy ÷ direct: ${ratios.map((r) => r.toFixed(2)).join(' at 100 callers, ')} at 1,000 callers.`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await bench();
  console.log(section.title);
  console.log(section.columns.join('\t'));
  for (const row of section.rows) console.log(row.join('\t'));
  for (const note of section.notes ?? []) console.log(`  ${note}`);
}
