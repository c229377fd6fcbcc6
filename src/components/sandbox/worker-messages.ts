/**
 * The page's check of every message from the engine Worker. The Worker runs code from share links;
 * even isolated, it is the page's least trusted neighbour, so nothing it sends is used before it
 * parses as a FromWorker message (a `done` carries a complete RunReport). Loaded with the Worker,
 * not with the island: zod stays out of a page until its first Run.
 */
import { z } from '../../lib/zod.ts';
import { runReportSchema } from '../../run/report.ts';
import { SERIES } from '../../engine/metrics/metrics.ts';
import { CHART_LIMITS, CHART_SERIES } from '../../sandboxes/schema.ts';
import type { FromWorker } from './protocol.ts';

const id = z.number().int().nonnegative();
const position = z.object({ line: z.number().int().positive(), column: z.number().int().positive() });
const progress = z.object({ phase: z.enum(['download', 'start', 'ready']), loadedBytes: z.number().nonnegative().optional(), totalBytes: z.number().nonnegative().optional() });
const chartNames = z.enum([...new Set([...SERIES, ...CHART_SERIES, ...CHART_LIMITS, 'proxy.DatabaseConnectionsCurrentlyBorrowed', 'proxy.BorrowTimeouts', 'proxy.MaxDatabaseConnectionsAllowed'])]);
const sample = z.object({ startMs: z.number().nonnegative(), intervalMs: z.number().positive(), values: z.partialRecord(chartNames, z.number()) });
const logEvent = z.object({ t: z.number(), source: z.enum(['lambda', 'database', 'traffic', 'proxy']), kind: z.string(), text: z.string() });

const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('checked'), id, error: z.object({ message: z.string(), position: position.optional() }).optional() }),
  z.object({ type: z.literal('loading'), id, progress }),
  z.object({ type: z.literal('started'), id }),
  z.object({ type: z.literal('sample'), id, sample }),
  z.object({ type: z.literal('events'), id, events: z.array(logEvent) }),
  z.object({ type: z.literal('heartbeat'), id, heapBytes: z.number().nonnegative().optional() }),
  z.object({ type: z.literal('done'), id, report: runReportSchema }),
  z.object({ type: z.literal('failed'), id, error: z.object({ name: z.string(), message: z.string(), position: position.optional() }) }),
  z.object({ type: z.literal('stopped'), id, reason: z.string().max(500).optional() }),
]);

export type ReadMessage = { ok: true; message: FromWorker } | { ok: false; problem: string };

/** The message, or what is wrong with it in a few words (never the message itself: it may be huge or hostile). */
export function readWorkerMessage(data: unknown): ReadMessage {
  const parsed = fromWorkerSchema.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data as FromWorker };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` at ${issue.path.slice(0, 4).map(String).join('.')}` : '';
  return { ok: false, problem: `${issue.message}${where}`.slice(0, 160) };
}
