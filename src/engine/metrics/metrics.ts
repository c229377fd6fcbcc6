/**
 * Per-second series under CloudWatch's names, invocation outcomes (counts, errors grouped by code and
 * exact message, latency percentiles, a sample of their logs), and a capped event log. Each series
 * has a kind: a gauge is a level that holds until it changes, and records the maximum reached within
 * each second (the `Maximum` statistic); a sample is a reading taken now and then, the maximum of a
 * second's readings and 0 in a second without one; a counter counts within the second.
 */
export type SeriesKind = 'gauge' | 'sample' | 'counter';

/** The run's series: the function's, the instance's. */
export const SERIES = ['ConcurrentExecutions', 'Invocations', 'Errors', 'Throttles', 'DatabaseConnections', 'ZombieConnections', 'EnvironmentsAlive', 'ColdStarts'] as const;
export type SeriesName = (typeof SERIES)[number];
const RUN_SERIES: Readonly<Record<SeriesName, SeriesKind>> = {
  ConcurrentExecutions: 'gauge',
  Invocations: 'counter',
  Errors: 'counter',
  Throttles: 'counter',
  DatabaseConnections: 'gauge',
  ZombieConnections: 'gauge',
  EnvironmentsAlive: 'gauge',
  ColdStarts: 'counter',
};

/** One invocation's outcome as metrics read it (the Lambda model's InvocationOutcome has this shape). */
export interface InvocationRecord {
  requestId: string;
  ok: boolean;
  throttled: boolean;
  receivedAt: number;
  finishedAt: number;
  /** null for a throttled invocation, which no environment ran. */
  environment: string | null;
  error?: { code: string; message: string };
}

export interface InvocationLog {
  requestId: string;
  environment: string;
  lines: string[];
}

export interface LogEvent {
  t: number;
  source: 'lambda' | 'database' | 'traffic' | 'proxy';
  kind: string;
  text: string;
}

export interface MetricsOptions<Name extends string = SeriesName> {
  eventLogLimit: number;
  /** The series kept, by name; the run's by default. */
  series?: Readonly<Record<Name, SeriesKind>>;
  /** Invocation logs kept: those of the first `first` invocations, then the first of each error code, up to `limit`. */
  logs?: { first: number; limit: number };
  /** Told every gauge level and count as it is recorded (the live chart's sampler listens here). */
  tap?: (name: Name, kind: SeriesKind, value: number) => void;
  onEvent?: (event: LogEvent) => void;
}

export class Metrics<Name extends string = SeriesName> {
  readonly series: Record<Name, number[]>;
  readonly events: LogEvent[] = [];
  eventsDropped = 0;
  readonly errors = new Map<string, { code: string; message: string; count: number }>();
  readonly latencies: number[] = [];
  /** Invocations by outcome; `total` counts the throttled ones too. */
  readonly invocations = { total: 0, succeeded: 0, failed: 0, throttled: 0 };
  readonly logs: InvocationLog[] = [];
  readonly #kinds: Readonly<Record<Name, SeriesKind>>;
  readonly #names: readonly Name[];
  readonly #current: Record<Name, number>;
  #second = 0;
  #logged = 0;
  readonly #loggedCodes = new Set<string>();
  readonly #options: MetricsOptions<Name>;
  readonly #now: () => number;

  constructor(now: () => number, options: MetricsOptions<Name>) {
    this.#now = now;
    this.#options = options;
    this.#kinds = options.series ?? (RUN_SERIES as Record<string, SeriesKind> as Record<Name, SeriesKind>);
    this.#names = Object.keys(this.#kinds) as Name[];
    this.series = Object.fromEntries(this.#names.map((name) => [name, [0]])) as Record<Name, number[]>;
    this.#current = Object.fromEntries(this.#names.map((name) => [name, 0])) as Record<Name, number>;
  }

  /** A gauge's new level, or a sample's reading. */
  gauge(name: Name, value: number): void {
    this.#advance();
    this.#current[name] = value;
    const column = this.series[name];
    if (value > column[this.#second]!) column[this.#second] = value;
    this.#options.tap?.(name, this.#kinds[name], value);
  }

  count(name: Name, by = 1): void {
    this.#advance();
    this.series[name][this.#second]! += by;
    this.#options.tap?.(name, 'counter', by);
  }

  /**
   * One invocation's outcome: counted (in the Invocations, Errors and Throttles series when they are
   * kept), its latency when it succeeded, its error grouped.
   */
  invocation(outcome: InvocationRecord): void {
    const counts = this.invocations;
    counts.total++;
    if (outcome.throttled) {
      counts.throttled++;
      this.#countKept('Throttles');
    } else {
      this.#countKept('Invocations');
      if (outcome.ok) {
        counts.succeeded++;
        this.latency(outcome.finishedAt - outcome.receivedAt);
      } else {
        counts.failed++;
        this.#countKept('Errors');
      }
    }
    if (outcome.error) this.error(outcome.error.code, outcome.error.message);
  }

  /** Whether an invocation's log lines would be kept: asked first, so unwanted lines are never built. */
  wantsLogs(): boolean {
    return this.logs.length < (this.#options.logs?.limit ?? 0);
  }

  /** An invocation's log lines, kept if among the first, or the first to fail with its error code. */
  invocationLog(outcome: InvocationRecord, lines: readonly string[]): void {
    const policy = this.#options.logs;
    if (!policy) return;
    const code = outcome.ok ? null : (outcome.error?.code ?? null);
    const keep = this.#logged < policy.first || (code !== null && !this.#loggedCodes.has(code));
    this.#logged++;
    if (code !== null) this.#loggedCodes.add(code);
    // Throttled invocations never ran, so every logged outcome names its environment.
    if (keep && this.logs.length < policy.limit) this.logs.push({ requestId: outcome.requestId, environment: outcome.environment ?? '', lines: [...lines] });
  }

  #countKept(name: string): void {
    if (name in this.#kinds) this.count(name as Name);
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
  }

  #advance(to = Math.floor(this.#now() / 1000)): void {
    while (this.#second < to) {
      this.#second++;
      for (const name of this.#names) this.series[name].push(this.#kinds[name] === 'gauge' ? this.#current[name] : 0);
    }
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
