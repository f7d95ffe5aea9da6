/**
 * A small seeded pseudo-random generator (xoshiro128**), passed explicitly to every sampler.
 *
 * The state is four 32-bit words; `state()` returns a copy so a checkpoint can record it and
 * {@link prngFromState} can resume the exact stream.
 *
 * @module
 */

/** A seeded stream of random numbers. Every sampler in the kit takes one of these. */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
  /** A copy of the four 32-bit state words. */
  state(): number[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator from an integer seed.
 *
 * @example
 * ```ts
 * import { createPrng } from "./prng.ts";
 * import { assertEquals } from "@std/assert";
 * const a = createPrng(42), b = createPrng(42);
 * assertEquals([a.next(), a.int(10)], [b.next(), b.int(10)]);
 * ```
 */
export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
  const mix = splitmix32(seed);
  return prngFromState([mix(), mix(), mix(), mix()]);
}

/**
 * Resumes a generator from a state recorded with `state()`.
 *
 * @example
 * ```ts
 * import { createPrng, prngFromState } from "./prng.ts";
 * import { assertEquals } from "@std/assert";
 * const a = createPrng(7);
 * a.next();
 * const b = prngFromState(a.state());
 * assertEquals(a.next(), b.next());
 * ```
 */
export function prngFromState(state: readonly number[]): Prng {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new RangeError(`PRNG state must be four uint32 words, got ${JSON.stringify(state)}`);
  }
  if (state.every((w) => w === 0)) throw new RangeError("PRNG state must not be all zero");
  const s = Uint32Array.from(state);
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const next = () => nextUint32() / 4294967296;
  return {
    next,
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
      return Math.floor(next() * n);
    },
    normal() {
      const u = 1 - next(); // (0, 1]: log(u) is finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    state: () => Array.from(s),
  };
}
