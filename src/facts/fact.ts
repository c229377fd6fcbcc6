/**
 * A number the product shows, with where it comes from.
 *
 * Every limit, latency and price lives in one table per service (`src/facts/<service>.ts`). A value
 * is either sourced (a URL, with the section of `shared/reference/aws-facts.md` that verified it)
 * or an explicit assumption that says how a reader could calibrate it. The page renders `source`
 * next to the number, so nothing here may be vague.
 */
export interface Sourced<T> {
  readonly value: T;
  readonly unit: string;
  /** A public URL for the fact. */
  readonly source: string;
  /** The section of the fact sheet, e.g. `A1`, so reviewers can check the wording. */
  readonly factSheet?: string;
  readonly note?: string;
}

export interface Assumed<T> {
  readonly value: T;
  readonly unit: string;
  readonly source: 'assumption';
  /** Why this value, and how to measure the real one. */
  readonly calibrate: string;
}

export type Fact<T = number> = Sourced<T> | Assumed<T>;

export const isAssumption = <T>(fact: Fact<T>): fact is Assumed<T> => fact.source === 'assumption';
