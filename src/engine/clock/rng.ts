/**
 * The only source of randomness in a run. Seeded, so a run is a function of its inputs: the same
 * seed gives the same arrivals, latencies and request ids in Node, in a Worker and in CI.
 * mulberry32: tiny, fast, and good enough for simulation draws (not for cryptography).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** Exponential with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number;
  /** 32 hex digits, for ids that look like AWS request ids. */
  hex(length: number): string;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    hex(length) {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}
