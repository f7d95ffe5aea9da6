/**
 * Choosing one token from a row of logits, in plain JavaScript (no tensors): temperature, top-p
 * (nucleus) filtering, greedy argmax, and the log-probability of a token under the untempered
 * softmax.
 *
 * @module
 */
import type { Prng } from "../rng/prng.ts";

/** How to pick a token. */
export interface TokenChoice {
  /** Softmax temperature tau: p_i ∝ exp(l_i / tau). 0 means greedy. Default 1. */
  readonly temperature?: number;
  /** Keep the smallest set of most likely tokens whose mass reaches topP (in (0, 1]). Default 1. */
  readonly topP?: number;
  /** Argmax (ignores temperature, topP and the PRNG). Default false. */
  readonly greedy?: boolean;
}

/** Which part of a flat logits array is the row: `logits[offset, offset + size)`. */
export interface LogitsRow {
  /** First index of the row. Default 0. */
  readonly offset?: number;
  /** Row length (the vocabulary size). Default `logits.length`. */
  readonly size?: number;
}

/** Checks a {@link TokenChoice}; throws a RangeError naming the bad field. */
export function checkTokenChoice(choice: TokenChoice): void {
  const { temperature = 1, topP = 1 } = choice;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
  }
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
}

/**
 * Index of the largest logit in `logits[offset, offset + size)` (first one on ties).
 *
 * @example
 * ```ts
 * import { argmax } from "./token_sampling.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(argmax([9, 1, 5, 5], 1, 3), 1); // among [1, 5, 5] the first 5
 * ```
 */
export function argmax(logits: ArrayLike<number>, offset = 0, size = logits.length): number {
  let best = 0;
  for (let i = 1; i < size; i++) if (logits[offset + i] > logits[offset + best]) best = i;
  return best;
}

/**
 * log softmax(l)_id = l_id - log sum_j exp(l_j), at temperature 1, over `logits[offset, +size)`.
 *
 * @example
 * ```ts
 * import { logProbOf } from "./token_sampling.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // logits [0, ln 3]: p = [1/4, 3/4]
 * assertAlmostEquals(logProbOf([0, Math.log(3)], 1), Math.log(0.75), 1e-12);
 * ```
 */
export function logProbOf(logits: ArrayLike<number>, id: number, row: LogitsRow = {}): number {
  const { offset = 0, size = logits.length } = row;
  const max = logits[offset + argmax(logits, offset, size)];
  let total = 0;
  for (let i = 0; i < size; i++) total += Math.exp(logits[offset + i] - max);
  return logits[offset + id] - max - Math.log(total);
}

/**
 * Sampling distribution over one row: softmax(l / tau), then top-p: sort by probability
 * (descending, ties by index), keep the shortest prefix whose mass is >= topP (at least one
 * token), renormalise. Returns a dense probability array of length `size`.
 *
 * @example
 * ```ts
 * import { samplingProbs } from "./token_sampling.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // logits ln[1, 2, 7] -> p = [0.1, 0.2, 0.7]; topP 0.8 keeps {0.7, 0.2} -> [0, 2/9, 7/9]
 * const p = samplingProbs([0, Math.log(2), Math.log(7)], { topP: 0.8 });
 * assertAlmostEquals(p[0], 0, 1e-12);
 * assertAlmostEquals(p[1], 2 / 9, 1e-12);
 * assertAlmostEquals(p[2], 7 / 9, 1e-12);
 * ```
 */
export function samplingProbs(
  logits: ArrayLike<number>,
  choice: TokenChoice & LogitsRow = {},
): Float64Array {
  const { temperature = 1, topP = 1, greedy = false, offset = 0, size = logits.length } = choice;
  const probs = new Float64Array(size);
  const best = argmax(logits, offset, size);
  if (greedy || temperature === 0) {
    probs[best] = 1;
    return probs;
  }
  const max = logits[offset + best];
  let total = 0;
  for (let i = 0; i < size; i++) {
    probs[i] = Math.exp((logits[offset + i] - max) / temperature);
    total += probs[i];
  }
  for (let i = 0; i < size; i++) probs[i] /= total;
  if (topP >= 1) return probs;
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) =>
    probs[b] - probs[a] || a - b
  );
  let mass = 0, kept = 0;
  while (kept < size && (kept === 0 || mass < topP)) mass += probs[order[kept++]];
  for (let k = kept; k < size; k++) probs[order[k]] = 0;
  for (let i = 0; i < size; i++) probs[i] /= mass;
  return probs;
}

/**
 * Draws one token id from a row of logits with the PRNG (inverse CDF on one uniform draw).
 * Greedy choices consume no randomness.
 *
 * @example
 * ```ts
 * import { sampleToken } from "./token_sampling.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * const logits = [0, 3, 1];
 * assertEquals(sampleToken(logits, createPrng(1), { greedy: true }), 1);
 * assertEquals(sampleToken(logits, createPrng(1), { topP: 1e-9 }), 1); // tiny top-p = greedy
 * ```
 */
export function sampleToken(
  logits: ArrayLike<number>,
  rng: Prng,
  choice: TokenChoice & LogitsRow = {},
): number {
  const { offset = 0, size = logits.length } = choice;
  if (choice.greedy || choice.temperature === 0) return argmax(logits, offset, size);
  const probs = samplingProbs(logits, choice);
  const u = rng.next();
  let cumulative = 0, last = 0;
  for (let i = 0; i < size; i++) {
    if (probs[i] === 0) continue;
    last = i;
    cumulative += probs[i];
    if (u < cumulative) return i;
  }
  return last; // u within rounding of 1
}
