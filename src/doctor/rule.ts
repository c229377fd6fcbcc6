/**
 * What a rule is: its texts (the same for the command line, the page and the rules reference) and a
 * check over the facts of one handler file. Each rule lives in its own module under ./rules/.
 */
import type { HandlerFacts, Place } from './model.ts';

export type Severity = 'error' | 'warning' | 'info';

export const severities: readonly Severity[] = ['error', 'warning', 'info'];

/** What the reader asked the doctor to assume about where the handler runs. */
export interface Deployment {
  /** The handler reaches the database through RDS Proxy (`--proxy`, or a proxy host name in the code). */
  proxy: boolean;
  /** How many execution environments may run at once (`--concurrency`). */
  concurrency?: number;
  /** The connections an ordinary role may open on the database (`--max-connections`, or from `--instance`). */
  maxConnections?: number;
}

export interface RuleText {
  id: string;
  severity: Severity;
  /** One line: what is wrong, in general. Findings carry their own, more precise message. */
  title: string;
  /** Why it hurts, in one or two sentences. */
  why: string;
  /** What to do instead, as code where the fix is code. */
  fix: string;
  /** The chapter that shows it (its id under /guide/), and the sandbox in it, when one runs it. */
  chapter: string;
  sandbox?: string;
}

/**
 * A fix the page can apply in one click: replace the characters from..to with `insert`. Only where the
 * replacement is certain from the code alone (a setting's value), never a guess at code that moves.
 */
export interface FixEdit {
  /** What the button says, e.g. `Set max: 1`. */
  label: string;
  from: number;
  to: number;
  insert: string;
}

export interface RuleHit {
  place: Place;
  message: string;
  edit?: FixEdit;
}

export interface Rule extends RuleText {
  check(facts: HandlerFacts, deployment: Deployment): RuleHit[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  place: Place;
  edit?: FixEdit;
}
