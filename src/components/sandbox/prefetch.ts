/**
 * PostgreSQL (PGlite's WebAssembly, its file bundle and the data directory, 3.3 MB with brotli)
 * starts loading when a sandbox comes within a viewport's height of being seen and the reader has
 * shown they are there (scrolled, typed, touched or moved the pointer), so that Run waits only for
 * what is left. Not at load alone: the download and WebAssembly compile in the Worker take CPU the
 * page's start-up needs, and on a 2-core machine a chapter whose sandbox is near the top
 * (/guide/beyond-default-compute/) scored 75–81 in Lighthouse with it and 85–89 without. Not for a
 * reader who asked to save data (Save-Data) or whose connection is 2G: there the bytes wait for Run.
 * The page's one Worker is shared by every sandbox on it, so the first sandbox to come near
 * prefetches for all of them.
 */
import { prefetchPostgres } from './engine-client.ts';
import { readSandboxSource } from './sandbox-source.ts';

/** What the Network Information API says of the connection (absent in Firefox and Safari). */
export interface ConnectionInfo {
  saveData?: boolean;
  effectiveType?: string;
}

/** True unless the reader saves data or is on a 2G-class connection; unknown means prefetch. */
export function shouldPrefetch(connection: ConnectionInfo | undefined): boolean {
  if (!connection) return true;
  if (connection.saveData) return false;
  return connection.effectiveType !== '2g' && connection.effectiveType !== 'slow-2g';
}

/** What shows the reader is at the page, as opposed to a page merely loaded (or measured). */
const presence = ['scroll', 'wheel', 'keydown', 'pointerdown', 'touchstart', 'pointermove'] as const;

/**
 * Whether the reader showed up before the watch was set: this module loads after the page, and a
 * single scroll (or a link to a section further down) can come first, with no event after it. Not
 * `navigator.userActivation`: a navigation the browser starts (an address typed, or a test's goto)
 * already counts as activation.
 */
function alreadyScrolled(): boolean {
  return scrollX !== 0 || scrollY !== 0;
}

/**
 * Prefetches PostgreSQL, and what a run of the first sandbox to come near loads, once the reader is
 * present and one of `sandboxes` is within one viewport height of the viewport, whichever is last.
 * Set at page load, beside the islands' own watch (Sandbox.astro), not by an island. The watch for
 * nearness starts with presence: its first report is of where the sandboxes are then. A page
 * already scrolled when the watch is set counts as present.
 * Not the chart: uPlot builds an Intl.NumberFormat as it is evaluated, which starts the browser's
 * ICU number formatting (65–360 ms on a 4× slowed CPU), so it waits for a Run rather than land in
 * the page's start-up (tests/e2e/start-up.spec.ts).
 */
export function prefetchWhenNear(sandboxes: readonly Element[]): void {
  if (!shouldPrefetch((navigator as { connection?: ConnectionInfo }).connection)) return;
  // Capture, so that a scroll inside a scrolling box (which does not bubble) counts too.
  const listening = { capture: true, passive: true } as const;
  const present = (): void => {
    for (const type of presence) removeEventListener(type, present, listening);
    const observer = new IntersectionObserver(
      (entries) => {
        const near = entries.find((entry) => entry.isIntersecting);
        if (!near) return;
        observer.disconnect();
        prefetchPostgres(readSandboxSource(near.target));
      },
      { rootMargin: '100% 0px' },
    );
    for (const sandbox of sandboxes) observer.observe(sandbox);
  };
  if (alreadyScrolled()) present();
  else for (const type of presence) addEventListener(type, present, listening);
}
