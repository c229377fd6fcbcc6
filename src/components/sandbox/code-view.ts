/**
 * The handler's code as static HTML: what a sandbox and the doctor's page show until the reader touches the code and the
 * editor (editor.ts) takes its place. The markup copies the editor's geometry (a line-number column
 * as wide as the longest number, lines that wrap, the same paddings, font and line height; the
 * styles are run-controls.css's `.code-static`) so the swap moves nothing on the page. Tokens carry the
 * editor's own `tok-*` classes, so both colour the code from the same theme variables.
 */

/** A run of text and the class that colours it, if any. */
export interface CodeToken {
  text: string;
  tok?: string;
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Each line one token, uncoloured: the reader's own code, which the build could not highlight. */
export const plainLines = (text: string): CodeToken[][] => text.split('\n').map((line) => [{ text: line }]);

/**
 * Per line, three grid cells: its number and the doctor's lint column (doctor-lint.ts), both hidden
 * from assistive technology and from copying, then the line.
 */
export function staticCodeHtml(lines: CodeToken[][]): string {
  return lines
    .map((tokens, index) => {
      const text = tokens.map((token) => (token.tok ? `<span class="${token.tok}">${escapeHtml(token.text)}</span>` : escapeHtml(token.text))).join('');
      return `<span class="code-number" aria-hidden="true">${index + 1}</span><span class="code-lint" aria-hidden="true"></span><span class="code-line">${text}</span>`;
    })
    .join('');
}

/**
 * Whether a handler folds on a phone to its first lines behind "Show all code" (Sandbox.astro's
 * `.editor[data-folded]` is eight lines high); two more lines are not worth a button.
 */
const FOLDED_LINES = 8;
export const foldsOnPhone = (text: string): boolean => text.split('\n').length > FOLDED_LINES + 2;

/** The code shown in a static block: its lines, without the line numbers. */
export const staticText = (block: HTMLElement): string => [...block.querySelectorAll('.code-line')].map((line) => line.textContent ?? '').join('\n');

/**
 * Where in the code a point of the static block is (the reader's click, as the selection holds it), as
 * an offset into the text; undefined when the point is not in a line.
 */
export function staticOffset(block: HTMLElement, node: Node, offset: number): number | undefined {
  const lines = [...block.querySelectorAll<HTMLElement>('.code-line')];
  let before = 0;
  for (const line of lines) {
    if (line.contains(node)) {
      const range = document.createRange();
      range.setStart(line, 0);
      range.setEnd(node, offset);
      return before + range.toString().length;
    }
    before += (line.textContent ?? '').length + 1;
  }
  return undefined;
}
