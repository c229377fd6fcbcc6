/**
 * PostgreSQL (PGlite's WebAssembly, its file bundle and the data directory, 3.3 MB with brotli)
 * starts loading when a sandbox comes within a viewport's height of being seen, so that Run waits
 * only for what is left. Not for a reader who asked to save data (Save-Data) or whose connection is
 * 2G: there the bytes wait for Run. The page's one Worker is shared by every sandbox on it, so the
 * first sandbox to come near prefetches for all of them.
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

/**
 * Prefetches PostgreSQL, and what a run of the first sandbox to come near loads, once one of
 * `sandboxes` is within one viewport height of the viewport. Set at page load, beside the islands'
 * own watch (Sandbox.astro), not by an island.
 * Not the chart: uPlot builds an Intl.NumberFormat as it is evaluated, which starts the browser's
 * ICU number formatting (65–360 ms on a 4× slowed CPU), so it waits for a Run rather than land in
 * the page's start-up (tests/e2e/start-up.spec.ts).
 */
export function prefetchWhenNear(sandboxes: readonly Element[]): void {
  if (!shouldPrefetch((navigator as { connection?: ConnectionInfo }).connection)) return;
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
}
