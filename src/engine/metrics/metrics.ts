/**
 * Per-second series under CloudWatch's names, errors grouped by code and exact message, latency
 * percentiles, and a capped event log. Gauges record the maximum reached within each second (the
 * `Maximum` statistic); counters count within the second.
 */
export const SERIES = ['ConcurrentExecutions', 'Invocations', 'Errors', 'Throttles', 'DatabaseConnections', 'ZombieConnections', 'EnvironmentsAlive', 'ColdStarts'] as const;
export type SeriesName = (typeof SERIES)[number];
const GAUGES: ReadonlySet<SeriesName> = new Set(['ConcurrentExecutions', 'DatabaseConnections', 'ZombieConnections', 'EnvironmentsAlive']);

export interface Sample {
  second: number;
  values: Record<SeriesName, number>;
}

export interface LogEvent {
  t: number;
  source: 'lambda' | 'database' | 'traffic' | 'proxy';
  kind: string;
  text: string;
}

export interface MetricsOptions {
  eventLogLimit: number;
  onSample?: (sample: Sample) => void;
  onEvent?: (event: LogEvent) => void;
}

export class Metrics {
  readonly series: Record<SeriesName, number[]>;
  readonly events: LogEvent[] = [];
  eventsDropped = 0;
  readonly errors = new Map<string, { code: string; message: string; count: number }>();
  readonly latencies: number[] = [];
  readonly #current: Record<SeriesName, number>;
  #second = 0;
  readonly #options: MetricsOptions;
  readonly #now: () => number;

  constructor(now: () => number, options: MetricsOptions) {
    this.#now = now;
    this.#options = options;
    this.series = Object.fromEntries(SERIES.map((name) => [name, [0]])) as Record<SeriesName, number[]>;
    this.#current = Object.fromEntries(SERIES.map((name) => [name, 0])) as Record<SeriesName, number>;
  }

  gauge(name: SeriesName, value: number): void {
    this.#advance();
    this.#current[name] = value;
    const column = this.series[name];
    if (value > column[this.#second]!) column[this.#second] = value;
  }

  count(name: SeriesName, by = 1): void {
    this.#advance();
    this.series[name][this.#second]! += by;
  }

  error(code: string, message: string): void {
    const key = `${code}\u0000${message}`;
    const entry = this.errors.get(key);
    if (entry) entry.count++;
    else this.errors.set(key, { code, message, count: 1 });
  }

  latency(ms: number): void {
    this.latencies.push(ms);
  }

  event(source: LogEvent['source'], kind: string, text: string): void {
    const event = { t: round3(this.#now()), source, kind, text };
    this.#options.onEvent?.(event);
    if (this.events.length < this.#options.eventLogLimit) this.events.push(event);
    else this.eventsDropped++;
  }

  /** Close every second up to `endMs` (the run's end), so the series has one point per virtual second. */
  finish(endMs: number): void {
    this.#advance(Math.ceil(endMs / 1000) - 1);
    this.#emit(this.#second);
  }

  #advance(to = Math.floor(this.#now() / 1000)): void {
    while (this.#second < to) {
      this.#emit(this.#second);
      this.#second++;
      for (const name of SERIES) this.series[name].push(GAUGES.has(name) ? this.#current[name] : 0);
    }
  }

  #emit(second: number): void {
    if (!this.#options.onSample) return;
    const values = Object.fromEntries(SERIES.map((name) => [name, this.series[name][second]!])) as Record<SeriesName, number>;
    this.#options.onSample({ second, values });
  }
}

/** Nearest-rank percentile of unsorted values (0 when there are none). */
export function percentile(values: readonly number[], p: number, sorted = false): number {
  if (values.length === 0) return 0;
  const ordered = sorted ? values : [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return ordered[rank - 1]!;
}

export const round3 = (value: number): number => Math.round(value * 1000) / 1000;
