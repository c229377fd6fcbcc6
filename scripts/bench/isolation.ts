/**
 * The cost of isolating handler code (src/engine/lambda/isolation.ts), per run of each engine
 * sandbox's default, in Node.
 *
 * Lockdown is once per process and cannot be undone, so "the same run without isolation" cannot run
 * in this process; instead each part isolation adds is timed on its own and multiplied by how often
 * a run does it, next to the run's wall time:
 *   - per run: checking the handler in a compartment (the sucrase transform was there before);
 *   - per execution environment (each cold start): its global object (`handlerGlobals`), a new
 *     Compartment and evaluating the handler's function expression in it, where a trusted factory
 *     needs none of these (the module body itself runs either way);
 *   - once per process: lockdown(), timed in a fresh Node process.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { Scheduler } from '../../src/engine/clock/scheduler.ts';
import { Environment } from '../../src/engine/lambda/environment.ts';
import { compileHandler } from '../../src/engine/lambda/modules.ts';
import { evaluateIsolated } from '../../src/engine/lambda/isolation.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const SANDBOXES = ['direct-connection', 'module-pool', 'stale-after-freeze', 'zombie-connections'];
const SAMPLES = 400;

interface Section {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

/** Median wall time of `work`, in microseconds, over SAMPLES calls after a warm-up. */
function medianUs(work: () => unknown): number {
  for (let i = 0; i < 20; i++) work();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    work();
    times.push((performance.now() - start) * 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!;
}

function lockdownMs(): number {
  const module = new URL('../../src/engine/lambda/isolation.ts', import.meta.url).href;
  const script = `const { ensureLockdown } = await import(${JSON.stringify(module)}); const t = performance.now(); ensureLockdown(); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

export default async function bench(): Promise<Section[]> {
  const lockdown = lockdownMs();
  const scheduler = new Scheduler({ seed: 1, yieldMacrotask: () => nodeHost.yieldMacrotask() });
  const environment = new Environment(scheduler, { id: 'bench', envVars: {}, onUncaught: () => {}, onConsole: () => {} });
  const rows: Section['rows'] = [];
  for (const id of SANDBOXES) {
    const sandbox = loadSandbox(id);
    const file = sandbox.definition.variants[0]!.handler;
    const source = sandbox.files[file]!;
    const compiled = compileHandler(source, file);
    if (compiled.kind !== 'isolated') throw new Error('handlers are compiled for a compartment');
    const checkUs = medianUs(() => evaluateIsolated(compiled.source, {}));
    const environmentUs = medianUs(() => evaluateIsolated(compiled.source, environment.handlerGlobals()));
    await runSandbox(nodeHost, { sandbox }); // warm
    const report = await runSandbox(nodeHost, { sandbox });
    const perRunMs = (checkUs + report.coldStarts * environmentUs) / 1000;
    rows.push([
      id,
      report.coldStarts.toLocaleString('en-US'),
      `${Math.round(report.wallMs).toLocaleString('en-US')} ms`,
      `${checkUs.toFixed(0)} µs`,
      `${environmentUs.toFixed(0)} µs`,
      `${perRunMs.toFixed(1)} ms`,
      `${((perRunMs / report.wallMs) * 100).toFixed(1)} %`,
    ]);
  }
  return [
    {
      title: 'Isolation: what running handlers in SES compartments adds to a default run, in Node',
      columns: ['sandbox', 'cold starts', 'run wall', 'check per run', 'per environment', 'isolation per run', 'share of run'],
      rows,
      notes: [
        `lockdown(), once per process (the Worker, or a Node process that runs a sandbox): ${lockdown.toFixed(1)} ms, in a fresh Node process.`,
        `Medians of ${SAMPLES} calls. Per environment: the compartment's global object, a new Compartment, and evaluating the handler's function expression in it.`,
        'Isolation per run: check + cold starts × per environment. Not included: any slower call into a frozen object or through the compartment (not measured here; the engine bench above runs isolated).',
      ],
    },
  ];
}
