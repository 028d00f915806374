/**
 * @fileoverview Seeded randomness for the fuzzers and the seeded test generators: mulberry32,
 * xorshift32, plus the few draws the mutators use.
 * Every input is a pure function of (category, seed, iteration), so a failure can be regenerated.
 */

/** mulberry32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** xorshift32: a u32 per call (never 0; a zero seed counts as 1). */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A random u32. */
  u32(): number;
  pick<T>(a: readonly T[]): T;
  chance(p: number): boolean;
}

export function rngFrom(next: () => number): Rng {
  const int = (n: number): number => Math.floor(next() * Math.max(0, n));
  return {
    next,
    int,
    u32: () => Math.floor(next() * 4294967296) >>> 0,
    pick: <T>(a: readonly T[]): T => a[int(a.length)],
    chance: (p: number) => next() < p,
  };
}

/** The generator of input `iteration` of a fuzzing run seeded with `seed`. */
export function rngFor(seed: number, iteration: number): Rng {
  return rngFrom(mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(iteration + 1, 0x85ebca6b)) >>> 0));
}

/** Values that sit on boundaries parsers get wrong. */
export const INTERESTING32 = [0, 1, 2, 4, 7, 8, 12, 16, 24, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
