/**
 * Time as a service process sees it (the Data API, SQS, an event source mapping): virtual in a run,
 * where a spawned process's timers wait on the scheduler; the wall clock for `connlab serve`.
 */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Uniform in [0, 1): the seeded generator in a run. */
  random(): number;
}
