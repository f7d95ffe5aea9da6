/**
 * A toy model of a GRM's score: a discrete distribution over the score grid 0, 1, ..., 10.
 *
 * A GRM writes its score after sampling a critique at temperature 1, so the same response gets
 * different scores on different rollouts. Here that randomness is a normal "opinion" rounded to
 * the grid and clipped to [0, 10]. Because the distribution is discrete, the stochastic
 * Bradley-Terry expectation (IRPM Eq. 3) is an exact finite sum: a ground truth for simulations.
 *
 * @module
 */
import { sigmoid } from "../../irpm/mod.ts";
import type { Prng } from "../../rng/mod.ts";

/** Score values and their probabilities (same length, probabilities sum to 1). */
export type ScoreDistribution = {
  readonly values: readonly number[];
  readonly probabilities: readonly number[];
};

/**
 * Complementary error function, erfc(x) = (2 / sqrt(pi)) int_x^inf exp(-t^2) dt, by the Chebyshev
 * fit of Numerical Recipes (`erfcc`, fractional error < 1.2e-7 everywhere).
 *
 * @example
 * ```ts
 * import { erfc } from "./score_model.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(erfc(0), 1, 1e-7);
 * assertAlmostEquals(erfc(1), 0.15729920705028513, 1e-7); // tabulated erfc(1)
 * ```
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                                t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal CDF: Phi(z) = erfc(-z / sqrt(2)) / 2.
 *
 * @example
 * ```ts
 * import { normalCdf } from "./score_model.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(normalCdf(1.959963984540054), 0.975, 1e-7);
 * ```
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The score distribution of round(clip(X, 0, 10)) with X ~ N(mean, sd^2):
 *   P(k) = Phi((k + 0.5 - mean) / sd) - Phi((k - 0.5 - mean) / sd) for k = 1..9,
 *   P(0) = Phi((0.5 - mean) / sd),  P(10) = 1 - Phi((9.5 - mean) / sd).
 *
 * @example
 * ```ts
 * import { discretizedNormal } from "./score_model.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const d = discretizedNormal(5, 1);
 * assertEquals(d.values.length, 11);
 * assertAlmostEquals(d.probabilities[5], 0.3829249225480262, 1e-6); // P(|Z| < 0.5)
 * assertAlmostEquals(d.probabilities.reduce((a, b) => a + b), 1, 1e-12);
 * ```
 */
export function discretizedNormal(mean: number, sd: number): ScoreDistribution {
  if (!Number.isFinite(mean) || !(sd > 0) || !Number.isFinite(sd)) {
    throw new RangeError(
      `discretizedNormal: need a finite mean and sd > 0, got mean ${mean}, sd ${sd}`,
    );
  }
  const values = Array.from({ length: 11 }, (_, k) => k);
  const cdfAt = (
    edge: number,
  ) => (edge <= -0.5 ? 0 : edge >= 10.5 ? 1 : normalCdf((edge - mean) / sd));
  const probabilities = values.map((k) => {
    const upper = k === 10 ? 1 : cdfAt(k + 0.5);
    const lower = k === 0 ? 0 : cdfAt(k - 0.5);
    return upper - lower;
  });
  return { values, probabilities };
}

/**
 * Expected score: E[s] = sum_k value_k P(k).
 *
 * @example
 * ```ts
 * import { distributionMean } from "./score_model.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(distributionMean({ values: [4, 8], probabilities: [0.75, 0.25] }), 5); // 3 + 2
 * ```
 */
export function distributionMean(distribution: ScoreDistribution): number {
  return distribution.values.reduce((sum, v, k) => sum + v * distribution.probabilities[k], 0);
}

/**
 * Stochastic Bradley-Terry preference (IRPM Eq. 3), exact for discrete scores:
 *   P(y_c > y_r) = E[sigmoid(s_c - s_r)] = sum_a sum_b P_c(a) P_r(b) sigmoid(a - b).
 *
 * @example
 * ```ts
 * import { expectedPreference } from "./score_model.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const c = { values: [6, 8], probabilities: [0.5, 0.5] };
 * const r = { values: [6], probabilities: [1] };
 * // (sigmoid(0) + sigmoid(2)) / 2 = (0.5 + 0.8807970779778823) / 2
 * assertAlmostEquals(expectedPreference(c, r), 0.6903985389889412, 1e-15);
 * ```
 */
export function expectedPreference(chosen: ScoreDistribution, rejected: ScoreDistribution): number {
  let total = 0;
  chosen.values.forEach((a, i) => {
    rejected.values.forEach((b, j) => {
      total += chosen.probabilities[i] * rejected.probabilities[j] * sigmoid(a - b);
    });
  });
  return total;
}

/**
 * Draws `count` scores by inverting the CDF with one uniform draw each.
 *
 * @example
 * ```ts
 * import { sampleScores } from "./score_model.ts";
 * import { createPrng } from "../../rng/mod.ts";
 * import { assertEquals } from "@std/assert";
 * const always7 = { values: [7], probabilities: [1] };
 * assertEquals(sampleScores(always7, { count: 3, rng: createPrng(1) }), [7, 7, 7]);
 * ```
 */
export function sampleScores(
  distribution: ScoreDistribution,
  draws: { count: number; rng: Prng },
): number[] {
  const { count, rng } = draws;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`sampleScores: count must be a non-negative integer, got ${count}`);
  }
  const { values, probabilities } = distribution;
  return Array.from({ length: count }, () => {
    const u = rng.next();
    let cumulative = 0;
    for (let k = 0; k < values.length; k++) {
      cumulative += probabilities[k];
      if (u < cumulative) return values[k];
    }
    return values[values.length - 1]; // u just below 1 and rounding left the sum at 1 - 1e-16
  });
}
