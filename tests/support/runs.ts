/** Runs of 1,000 callers take several seconds each, longer on a loaded machine. */
export const RUN_TIMEOUT_MS = 120_000;
