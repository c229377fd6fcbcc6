/**
 * What a chapter page needs to know about a sandbox before anything runs: enough to introduce it.
 * The full definition (parameters, traffic, expectations) is validated by the engine's schema in
 * `./schema.ts`; this view tolerates the fields it does not read.
 */
import { z } from 'zod';

export const sandboxCardSchema = z.looseObject({
  title: z.string().min(1).describe('The sandbox title shown above its editor.'),
  summary: z.string().min(1).describe('One sentence that frames what the reader should look for.'),
});

export type SandboxCard = z.infer<typeof sandboxCardSchema>;
