/**
 * The proxy's per-second series under CloudWatch's names (namespace AWS/RDS, per-proxy metrics,
 * fact sheet A5). Gauges keep the maximum within each second (the `Maximum` statistic); latencies
 * keep the mean within the second in microseconds, CloudWatch's unit for them; counters count.
 * `BorrowQueueLength` and `BorrowTimeouts` are connlab's own (CloudWatch has no such metric).
 */
export const PROXY_GAUGES = ['ClientConnections', 'DatabaseConnections', 'DatabaseConnectionsCurrentlyBorrowed', 'DatabaseConnectionsCurrentlySessionPinned', 'MaxDatabaseConnectionsAllowed', 'BorrowQueueLength'] as const;
export const PROXY_LATENCIES = ['DatabaseConnectionsBorrowLatency', 'QueryDatabaseResponseLatency'] as const;
export const PROXY_COUNTERS = ['BorrowTimeouts'] as const;

export type ProxyGauge = (typeof PROXY_GAUGES)[number];
export type ProxyLatency = (typeof PROXY_LATENCIES)[number];
export type ProxyCounter = (typeof PROXY_COUNTERS)[number];
export type ProxySeriesName = ProxyGauge | ProxyLatency | ProxyCounter;

export class ProxyMetrics {
  readonly series = {} as Record<ProxySeriesName, number[]>;
  readonly #current = {} as Record<ProxyGauge, number>;
  readonly #sums = {} as Record<ProxyLatency, { total: number; count: number }>;
  /** All latency samples, µs, for percentiles. */
  readonly samples = { DatabaseConnectionsBorrowLatency: [] as number[], QueryDatabaseResponseLatency: [] as number[] };
  readonly #now: () => number;
  #second = 0;
  /** Told every gauge level and count as it is recorded (the live chart's sampler listens here). */
  tap: ((name: ProxyGauge | ProxyCounter, kind: 'gauge' | 'counter', value: number) => void) | undefined;

  constructor(now: () => number) {
    this.#now = now;
    for (const name of [...PROXY_GAUGES, ...PROXY_LATENCIES, ...PROXY_COUNTERS]) this.series[name] = [0];
    for (const name of PROXY_GAUGES) this.#current[name] = 0;
    for (const name of PROXY_LATENCIES) this.#sums[name] = { total: 0, count: 0 };
  }

  gauge(name: ProxyGauge, value: number): void {
    this.#advance();
    this.#current[name] = value;
    const column = this.series[name];
    if (value > column[this.#second]!) column[this.#second] = value;
    this.tap?.(name, 'gauge', value);
  }

  count(name: ProxyCounter, by = 1): void {
    this.#advance();
    this.series[name][this.#second]! += by;
    this.tap?.(name, 'counter', by);
  }

  latency(name: ProxyLatency, microseconds: number): void {
    this.#advance();
    const sum = this.#sums[name];
    sum.total += microseconds;
    sum.count++;
    this.series[name][this.#second] = Math.round(sum.total / sum.count);
    this.samples[name].push(microseconds);
  }

  /** Close every second up to `endMs`, so each series has one point per second. */
  finish(endMs: number): void {
    this.#advance(Math.ceil(endMs / 1000) - 1);
  }

  #advance(to = Math.floor(this.#now() / 1000)): void {
    while (this.#second < to) {
      this.#second++;
      for (const name of PROXY_GAUGES) this.series[name].push(this.#current[name]);
      for (const name of PROXY_LATENCIES) {
        this.series[name].push(0);
        this.#sums[name] = { total: 0, count: 0 };
      }
      for (const name of PROXY_COUNTERS) this.series[name].push(0);
    }
  }
}
