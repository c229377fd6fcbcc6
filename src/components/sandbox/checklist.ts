/**
 * "What to look for": the expectations a run at the current values is about, as a checklist in plain
 * words. Before a run each is pending; after it, ticked or crossed from the RunReport
 * (src/run/expectations.ts), under the one-line verdict (src/run/verdict.ts).
 */
import type { RunReport } from '../../run/report.ts';
import { checkExpectation, plainWords } from '../../run/expectations.ts';
import { runVerdict } from '../../run/verdict.ts';
import type { Expectation } from '../../sandboxes/schema.ts';

type State = 'pending' | 'passed' | 'failed';
const MARKS: Record<State, { mark: string; words: string }> = {
  pending: { mark: '○', words: 'Not run yet: ' },
  passed: { mark: '✓', words: 'Seen in this run: ' },
  failed: { mark: '✗', words: 'Not seen in this run: ' },
};

function item(expectation: Expectation, state: State): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.expectation = expectation.id;
  li.dataset.state = state;
  const mark = Object.assign(document.createElement('span'), { className: 'mark', textContent: MARKS[state].mark });
  mark.setAttribute('aria-hidden', 'true');
  const words = Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: MARKS[state].words });
  li.append(mark, words, plainWords(expectation));
  return li;
}

/** Whether the report shows the expectation; a check whose path the report lacks counts as not seen. */
function seen(expectation: Expectation, report: RunReport): boolean {
  try {
    return checkExpectation(expectation, report).passed;
  } catch {
    return false;
  }
}

export interface Checklist {
  /** The expectations for these values, unticked. */
  show(expectations: Expectation[]): void;
  /** Each ticked or crossed from the report, the verdict written and announced once. */
  judge(expectations: Expectation[], report: RunReport): void;
  /** The verdict cleared (a run started, or several variants ran). */
  clearVerdict(): void;
}

export function createChecklist(list: HTMLElement, empty: HTMLElement, verdict: HTMLElement): Checklist {
  const show = (expectations: Expectation[], states: State[]) => {
    list.replaceChildren(...expectations.map((expectation, index) => item(expectation, states[index]!)));
    empty.hidden = expectations.length > 0;
  };
  return {
    show: (expectations) => show(expectations, expectations.map(() => 'pending')),
    judge(expectations, report) {
      const states = expectations.map((expectation): State => (seen(expectation, report) ? 'passed' : 'failed'));
      show(expectations, states);
      const met = states.filter((state) => state === 'passed').length;
      const failures = report.invocations.failed + report.invocations.throttled;
      // The live region is written once per run: the screen reader hears the verdict and the count of expectations met.
      const announcement = Object.assign(document.createElement('span'), {
        className: 'visually-hidden',
        textContent: `Run finished. ${expectations.length ? `${met} of ${expectations.length} expectations seen. ` : ''}`,
      });
      verdict.replaceChildren(announcement, Object.assign(document.createElement('span'), { textContent: runVerdict(report) }));
      verdict.dataset.result = failures ? 'failed' : 'passed';
    },
    clearVerdict() {
      // Emptied, never hidden: a live region must stay in the accessibility tree to be announced when it fills.
      verdict.replaceChildren();
      delete verdict.dataset.result;
    },
  };
}
