/**
 * The handler the wizard generates for the guide's example answers, computed the way the wizard computes it:
 * decide() picks the pattern and the generator options, generate() writes the project. The last chapter renders
 * this at build time, so it cannot drift from what a reader gets from the wizard or `connlab generate`.
 */
import { generate, type GeneratedFile } from '../templates/index.ts';
import { decide } from '../wizard/decide.ts';
import { productionHandlerAnswers } from '../wizard/examples.ts';

export type HandlerRuntime = keyof typeof productionHandlerAnswers;

const HANDLER_PATH = /^(src\/handler\.(ts|mjs)|app\/handler\.py)$/;

export function productionHandler(runtime: HandlerRuntime): GeneratedFile {
  const recommendation = decide(productionHandlerAnswers[runtime]);
  const handler = generate(recommendation.generate).find((file) => HANDLER_PATH.test(file.path));
  if (!handler) throw new Error(`The generated ${recommendation.pattern} project for ${runtime} has no handler file`);
  return handler;
}
