/**
 * Seeded pseudo-random numbers for the clinic-day simulator (pure, no I/O), so a simulated day is a
 * function of its seed and every benchmark figure can be reproduced.
 *
 * The generator is mulberry32 (Tommy Ettinger, 2017; the same one `server/clinic/seed/demo.ts` uses):
 * a 32-bit state advanced by the odd constant 0x6D2B79F5 (a Weyl sequence, so the period is exactly
 * 2^32), whose output is mixed by two xorshift-multiply rounds and divided by 2^32, giving a float in
 * [0, 1) with 32 random bits. It is fast and statistically good enough for a simulation of a few thousand
 * draws per day; it is not cryptographic and must never be used for ids, codes or secrets.
 *
 * Distributions built on it (each consumes a documented number of draws, so a sequence stays stable):
 * - `uniform(a, b)`: a + (b − a) × u, one draw;
 * - `int(n)`: ⌊n × u⌋ in 0..n−1, one draw; `pick(xs)`: `xs[int(xs.length)]`;
 * - `chance(p)`: u < p, one draw;
 * - `normal(mean, sd)`: Box–Muller, z = √(−2 ln(1 − u1)) × cos(2π u2), two draws (the sine twin is
 *   discarded, which keeps the draw count fixed);
 * - `truncatedNormal(mean, sd, lo, hi)`: `normal` redrawn until it falls in [lo, hi] (rejection, so the
 *   shape inside the bounds is exactly normal; after 100 misses the last draw is clamped);
 * - `lognormal(sigma)`: exp(sigma × z), one `normal`: median 1, so it multiplies a typical value.
 */

/** A function returning the next float in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: the raw generator. The seed is taken modulo 2^32 (`>>> 0`); each call returns the next
 * float in [0, 1) (a multiple of 2^−32).
 */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded random numbers and the distributions the simulator draws from (see the module comment). */
export interface Rng {
  /** Next float in [0, 1). */
  next(): number;
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number;
  /** Integer in 0..n−1. */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An element of a non-empty list, uniformly. */
  pick<T>(xs: readonly T[]): T;
  /** Normal with this mean and standard deviation. */
  normal(mean: number, sd: number): number;
  /** Normal restricted to [lo, hi] by rejection. */
  truncatedNormal(mean: number, sd: number, lo: number, hi: number): number;
  /** exp(sigma × standard normal): median 1. */
  lognormal(sigma: number): number;
}

/** An `Rng` over mulberry32(seed). @throws RangeError from `pick` on an empty list. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const normal = (mean: number, sd: number) => {
    const u1 = next();
    const u2 = next();
    return mean + sd * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  };
  return {
    next,
    uniform: (a, b) => a + (b - a) * next(),
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick<T>(xs: readonly T[]): T {
      if (xs.length === 0) throw new RangeError('pick from an empty list');
      return xs[Math.floor(next() * xs.length)]!;
    },
    normal,
    truncatedNormal(mean, sd, lo, hi) {
      let x = normal(mean, sd);
      for (let i = 0; i < 100 && (x < lo || x > hi); i++) x = normal(mean, sd);
      return Math.min(hi, Math.max(lo, x));
    },
    lognormal: (sigma) => Math.exp(sigma * normal(0, 1)),
  };
}
