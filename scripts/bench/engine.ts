/**
 * The engine in Node: wall time of each sandbox's default run, invocations simulated per second,
 * and the cost per invocation against a floor measured in the same process: a plain loop of the
 * same number of PGlite primary-key lookups (one per invocation), with the same database start-up.
 * Targets (issue 3): at most 3× the floor per invocation; every default run under 5 s of wall time.
 */
import { performance } from 'node:perf_hooks';
import { nodeHost } from '../../src/engine/host/node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { listSandboxIds, loadSandbox } from '../../src/sandboxes/load.ts';

interface Section {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

/** Database start-up plus `count` lookups, as runSandbox would issue them without the engine around. */
async function floor(setupSql: string, count: number): Promise<{ startMs: number; loopMs: number }> {
  const t0 = performance.now();
  const db = await nodeHost.createDatabase();
  await db.exec(setupSql);
  const t1 = performance.now();
  for (let i = 0; i < count; i++) await db.query('SELECT id, status FROM orders WHERE id = $1', [1 + (i % 1000)]);
  const t2 = performance.now();
  await db.close();
  return { startMs: t1 - t0, loopMs: t2 - t1 };
}

export default async function bench(): Promise<Section[]> {
  // Warm the process once (bundling pg, the cached data directory), as a second run in the page would be.
  const warmup = performance.now();
  await runSandbox(nodeHost, { sandbox: loadSandbox('stale-after-freeze') });
  const warmupMs = performance.now() - warmup;

  const rows: Section['rows'] = [];
  for (const id of listSandboxIds()) {
    const sandbox = loadSandbox(id);
    const report = await runSandbox(nodeHost, { sandbox });
    const n = report.invocations.total;
    const measured = await floor(sandbox.definition.database.setupSql, n);
    const simulateMs = Math.max(report.wallMs - measured.startMs, 1);
    const perInvocationUs = (simulateMs * 1000) / n;
    const floorUs = (measured.loopMs * 1000) / n;
    rows.push([
      id,
      n.toLocaleString('en-US'),
      `${(report.virtualMs / 1000).toFixed(0)} s`,
      `${report.wallMs.toLocaleString('en-US')} ms`,
      Math.round(n / (report.wallMs / 1000)).toLocaleString('en-US'),
      `${perInvocationUs.toFixed(0)} µs`,
      `${floorUs.toFixed(0)} µs`,
      `${(perInvocationUs / floorUs).toFixed(2)}×`,
      report.wallMs < 5000 ? 'yes' : 'NO',
    ]);
  }
  return [
    {
      title: 'Engine: default sandbox runs in Node (issue 3 targets: ≤ 3× the floor per invocation, < 5 s wall)',
      columns: ['sandbox', 'invocations', 'virtual', 'wall', 'invocations/s', 'per invocation', 'floor', 'ratio', '< 5 s'],
      rows,
      notes: [
        `Wall: the whole runSandbox call in a warm process (first run in this process, with pg bundling and PGlite start-up: ${Math.round(warmupMs)} ms).`,
        'Per invocation: (wall − database start-up and setup, measured by the floor run) ÷ invocations. Floor: one PGlite primary-key lookup per invocation, in a plain loop.',
        'Most invocations of direct-connection never reach a query (they fail with 53300), so their floor is a query they did not make: the ratio compares engine cost per invocation with one query.',
      ],
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const section of await bench()) {
    console.log(section.title);
    console.log(section.columns.join('\t'));
    for (const row of section.rows) console.log(row.join('\t'));
    for (const note of section.notes ?? []) console.log(`  ${note}`);
  }
}
