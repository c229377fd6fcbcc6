/**
 * Answers the guide shows the wizard's output for: the last chapter prints the handler the wizard generates for
 * them (src/components/ProductionHandler.astro), and tests/content holds the chapter to that output.
 */
import { defaultAnswers, type Answers } from './answers.ts';

/** A spiky peak of 1,000 concurrent invocations against a small RDS instance: the wizard picks RDS Proxy with IAM. */
const spikyPeakOnSmallInstance: Answers = { ...defaultAnswers, peakConcurrency: 1_000, traffic: 'spiky', auth: 'iam' };

export const productionHandlerAnswers = {
  node: { ...spikyPeakOnSmallInstance, runtimeLanguage: 'nodejs22.x-typescript' },
  python: { ...spikyPeakOnSmallInstance, runtimeLanguage: 'python3.12-python' },
} as const satisfies Record<'node' | 'python', Answers>;
