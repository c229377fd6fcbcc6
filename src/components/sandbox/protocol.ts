/**
 * Messages between a page's sandboxes and the engine Worker. The Worker is shared by every sandbox
 * on the page and runs one thing at a time; every message names the run it belongs to.
 */
import type { RunRequest } from '../../run/run.ts';
import type { SandboxSource } from '../../sandboxes/schema.ts';
import type { RunReport } from '../../run/report.ts';
import type { LogEvent } from '../../engine/metrics/metrics.ts';
import type { ChartSample } from '../../engine/metrics/sampler.ts';
import type { LoadProgress } from '../../engine/host/postgres-download.ts';

export interface SourcePosition {
  line: number;
  column: number;
}

export type ToWorker =
  | { type: 'check'; id: number; source: string; fileName: string }
  | { type: 'run'; id: number; request: RunRequest }
  | { type: 'stop'; id: number }
  /**
   * Start downloading and compiling PostgreSQL, then starting a database, before any Run
   * (prefetch.ts); also the modules a run of `sandbox` loads on demand (its services).
   */
  | { type: 'prefetch'; sandbox: SandboxSource };

export type FromWorker =
  | { type: 'checked'; id: number; error?: { message: string; position?: SourcePosition } }
  | { type: 'loading'; id: number; progress: LoadProgress }
  | { type: 'started'; id: number }
  | { type: 'sample'; id: number; sample: ChartSample }
  | { type: 'events'; id: number; events: LogEvent[] }
  /** heapBytes: the Worker's heap, where the browser reports it. */
  | { type: 'heartbeat'; id: number; heapBytes?: number }
  | { type: 'done'; id: number; report: RunReport }
  | { type: 'failed'; id: number; error: { name: string; message: string; position?: SourcePosition } }
  /** reason: why the engine stopped the run itself (the memory watchdog); absent when the reader stopped it. */
  | { type: 'stopped'; id: number; reason?: string };
