/**
 * The arena: one spike against all six patterns, each its own run of the `arena` sandbox, reduced
 * to rows by arena-row.ts.
 */
import type { EngineHost } from '../engine/host/host.ts';
import type { SandboxSource } from '../sandboxes/schema.ts';
import type { RunReport } from './report.ts';
import { runSandbox } from './run.ts';
import { ARENA_PATTERNS, arenaRow, type ArenaOptions, type ArenaRow } from './arena-row.ts';

export * from './arena-row.ts';

/** Runs the arena sandbox once per pattern, one after the other (each run owns the engine). */
export async function runArena(host: EngineHost, sandbox: SandboxSource, options: ArenaOptions = {}): Promise<{ rows: ArenaRow[]; reports: RunReport[] }> {
  const rows: ArenaRow[] = [];
  const reports: RunReport[] = [];
  for (const pattern of ARENA_PATTERNS) {
    const report = await runSandbox(host, { sandbox, variant: pattern, ...(options.parameters ? { parameters: options.parameters } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    reports.push(report);
    rows.push(arenaRow(pattern, report, sandbox, options.requestsPerMonth));
  }
  return { rows, reports };
}

