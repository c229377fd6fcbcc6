/**
 * The live chart's series: finer than the RunReport's one point per second, so a 2-second run still
 * draws a curve. Buckets of `intervalMs` keep, per series, the maximum a gauge reached (the level
 * holds into the next bucket), a counter as a rate per second (so runs with different buckets
 * compare), or a probe's reading when the bucket closes (a level, or a running total's growth as a
 * rate per second). It only records: nothing here schedules work or draws a random number, so a run
 * with a sampler is the run without one.
 */
export type SampledKind = 'gauge' | 'counter';

export interface ChartSample {
  /** Start of the bucket, virtual ms. */
  startMs: number;
  /** Length of the bucket, ms. */
  intervalMs: number;
  /** Each series' value in the bucket, by name; a series first recorded later is absent from earlier buckets. */
  values: Record<string, number>;
}

interface Probe {
  read: () => number;
  /** 'level': the reading itself; 'total': how fast a running total grew within the bucket, per second. */
  kind: 'level' | 'total';
  last: number;
}

/** A bucket size that gives a run of `durationMs` about 200 points: 10 ms to 1 s, in steps of 1, 2 and 5. */
export function chartIntervalMs(durationMs: number): number {
  const target = durationMs / 200;
  for (const step of [10, 20, 50, 100, 200, 500]) if (step >= target) return step;
  return 1000;
}

export class ChartSampler {
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #onSample: (sample: ChartSample) => void;
  readonly #kinds = new Map<string, SampledKind>();
  readonly #levels = new Map<string, number>();
  readonly #bucket = new Map<string, number>();
  readonly #probes = new Map<string, Probe>();
  #index = 0;

  constructor(now: () => number, intervalMs: number, onSample: (sample: ChartSample) => void) {
    this.#now = now;
    this.#intervalMs = intervalMs;
    this.#onSample = onSample;
  }

  gauge(name: string, value: number): void {
    this.#advance();
    this.#kinds.set(name, 'gauge');
    this.#levels.set(name, value);
    this.#bucket.set(name, Math.max(this.#bucket.get(name) ?? 0, value));
  }

  count(name: string, by = 1): void {
    this.#advance();
    this.#kinds.set(name, 'counter');
    this.#bucket.set(name, (this.#bucket.get(name) ?? 0) + by);
  }

  /** A series read when each bucket closes, from state the sampler does not see change (a queue's depth, a table's consumed units). */
  probe(name: string, kind: Probe['kind'], read: () => number): void {
    this.#probes.set(name, { read, kind, last: kind === 'total' ? read() : 0 });
  }

  /** Close every bucket up to `endMs`, the run's end. */
  finish(endMs: number): void {
    this.#advance(Math.ceil(endMs / this.#intervalMs) - 1);
    this.#emit();
  }

  #advance(to = Math.floor(this.#now() / this.#intervalMs)): void {
    while (this.#index < to) {
      this.#emit();
      this.#index++;
      this.#bucket.clear();
      for (const [name, kind] of this.#kinds) this.#bucket.set(name, kind === 'gauge' ? (this.#levels.get(name) ?? 0) : 0);
    }
  }

  #emit(): void {
    const perSecond = 1000 / this.#intervalMs;
    const values: Record<string, number> = {};
    for (const [name, value] of this.#bucket) values[name] = this.#kinds.get(name) === 'counter' ? value * perSecond : value;
    for (const [name, probe] of this.#probes) {
      const reading = probe.read();
      values[name] = probe.kind === 'level' ? reading : (reading - probe.last) * perSecond;
      probe.last = reading;
    }
    this.#onSample({ startMs: this.#index * this.#intervalMs, intervalMs: this.#intervalMs, values });
  }
}
