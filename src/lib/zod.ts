/**
 * zod, set up once for every schema of the product. Before its first parse zod probes for eval, to
 * compile a fast path for object schemas; the site's Content-Security-Policy forbids eval in pages, and
 * Chromium reports even the refused probe as a violation (Lighthouse counts it against best practices).
 * The schemas here are small: zod's interpreter is fast enough, in pages and in the engine Worker alike.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
