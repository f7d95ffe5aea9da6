/**
 * The stochastic Bradley-Terry estimator (IRPM Eq. 3-4) and its per-rollout marginals.
 *
 * A GRM's score is a random variable, so IRPM models
 *   P(y_c > y_r) = E_{s_c, s_r} [ sigmoid(s_c - s_r) ]
 * and estimates it from Gc sampled chosen scores and Gr sampled rejected scores with the
 * two-sample U-statistic
 *   P_hat = (1 / (Gc Gr)) sum_i sum_j sigmoid(s_c^i - s_r^j).
 * (The paper writes 1/G^2 with Gc = Gr = G.)
 *
 * @module
 */
import { mean, sampleVariance, sumSquaredDeviations } from "./group_stats.ts";

/**
 * Logistic function sigmoid(x) = 1 / (1 + exp(-x)), computed without overflow:
 * exp(x) / (1 + exp(x)) for x < 0.
 *
 * @example
 * ```ts
 * import { sigmoid } from "./estimator.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(sigmoid(0), 0.5);
 * assertEquals(sigmoid(-1000), 0); // no NaN from exp(1000)
 * ```
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function checkGroups(chosen: readonly number[], rejected: readonly number[], where: string) {
  for (const [side, group] of [["chosen", chosen], ["rejected", rejected]] as const) {
    if (!Array.isArray(group)) {
      throw new TypeError(`${where}: ${side} must be an array, got ${String(group)}`);
    }
    if (group.length === 0) throw new RangeError(`${where}: ${side} is empty`);
    group.forEach((score, index) => {
      if (typeof score !== "number" || !Number.isFinite(score)) {
        throw new RangeError(
          `${where}: ${side}[${index}] must be a finite number, got ${String(score)}`,
        );
      }
    });
  }
}

/**
 * Intergroup preference estimate (Eq. 4):
 *   P_hat = (1 / (Gc Gr)) sum_{i=1}^{Gc} sum_{j=1}^{Gr} sigmoid(s_c^i - s_r^j).
 *
 * @example
 * ```ts
 * import { preferenceProbability } from "./estimator.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // pairs: sigmoid(2-1), sigmoid(2-0), sigmoid(0-1), sigmoid(0-0)
 * // = (0.7310585786 + 0.8807970780 + 0.2689414214 + 0.5) / 4
 * assertAlmostEquals(preferenceProbability([2, 0], [1, 0]), 0.5951992694944706, 1e-15);
 * ```
 */
export function preferenceProbability(
  chosen: readonly number[],
  rejected: readonly number[],
): number {
  return mean(chosenCredits(chosen, rejected));
}

/**
 * Credit of each chosen rollout: the marginal of the double sum over the rejected group,
 *   credit_c^i = (1 / Gr) sum_j sigmoid(s_c^i - s_r^j),
 * so that mean_i credit_c^i = P_hat.
 *
 * @example
 * ```ts
 * import { chosenCredits } from "./estimator.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const [high, low] = chosenCredits([2, 0], [1, 0]);
 * assertAlmostEquals(high, (0.7310585786300049 + 0.8807970779778823) / 2, 1e-15);
 * assertAlmostEquals(low, (0.2689414213699951 + 0.5) / 2, 1e-15);
 * ```
 */
export function chosenCredits(chosen: readonly number[], rejected: readonly number[]): number[] {
  checkGroups(chosen, rejected, "chosenCredits");
  return chosen.map((c) => mean(rejected.map((r) => sigmoid(c - r))));
}

/**
 * Credit of each rejected rollout: the marginal of the double sum over the chosen group,
 *   credit_r^j = (1 / Gc) sum_i sigmoid(s_c^i - s_r^j),
 * i.e. how surely the chosen group beats this rejected rollout (high is good for it).
 *
 * @example
 * ```ts
 * import { rejectedCredits } from "./estimator.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const [one, zero] = rejectedCredits([2, 0], [1, 0]);
 * assertAlmostEquals(one, (0.7310585786300049 + 0.2689414213699951) / 2, 1e-15); // = 0.5
 * assertAlmostEquals(zero, (0.8807970779778823 + 0.5) / 2, 1e-15);
 * ```
 */
export function rejectedCredits(chosen: readonly number[], rejected: readonly number[]): number[] {
  checkGroups(chosen, rejected, "rejectedCredits");
  return rejected.map((r) => mean(chosen.map((c) => sigmoid(c - r))));
}

/** What {@link estimatorDiagnostics} reports about one pair. */
export type EstimatorDiagnostics = {
  /** P_hat, the intergroup estimate of P(chosen > rejected). */
  pHat: number;
  /** Estimated standard error of P_hat (two-sample U-statistic, DeLong); NaN if Gc or Gr < 2. */
  standardError: number;
  /** Pooled unbiased within-group variance of the scores; NaN if Gc + Gr < 3. */
  withinVariance: number;
  /** Squared gap of the group means, (mean_c - mean_r)^2. */
  betweenVariance: number;
  /** betweenVariance / withinVariance (Infinity if only the within part is 0, 0 if both are). */
  signalToNoise: number;
};

/**
 * Diagnostics of the intergroup estimate for one pair.
 *
 *   pHat            = (1 / (Gc Gr)) sum_i sum_j sigmoid(s_c^i - s_r^j)
 *   standardError   = sqrt( var(credit_c) / Gc + var(credit_r) / Gr )
 *                     the DeLong / Hoeffding variance estimate of a two-sample U-statistic, with
 *                     the marginal credits as placement values and var unbiased (ddof 1);
 *                     NaN when Gc < 2 or Gr < 2 (one rollout says nothing about spread)
 *   withinVariance  = (SS(S_c) + SS(S_r)) / (Gc + Gr - 2), SS = sum of squared deviations,
 *                     i.e. ((Gc - 1) var_c + (Gr - 1) var_r) / (Gc + Gr - 2)
 *   betweenVariance = (mean(S_c) - mean(S_r))^2
 *   signalToNoise   = betweenVariance / withinVariance
 *                     (Infinity when within = 0 < between; 0 when both are 0; NaN if within is)
 *
 * @example
 * ```ts
 * import { estimatorDiagnostics } from "./estimator.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const d = estimatorDiagnostics([2, 0], [1, 0]);
 * assertEquals(d.withinVariance, 1.25); // (SS [2,0] = 2 + SS [1,0] = 0.5) / (2 + 2 - 2)
 * assertEquals(d.betweenVariance, 0.25); // (1 - 0.5)^2
 * assertAlmostEquals(d.signalToNoise, 0.2, 1e-15);
 * ```
 */
export function estimatorDiagnostics(
  chosen: readonly number[],
  rejected: readonly number[],
): EstimatorDiagnostics {
  const creditC = chosenCredits(chosen, rejected);
  const creditR = rejectedCredits(chosen, rejected);
  const gc = chosen.length;
  const gr = rejected.length;
  const standardError = gc < 2 || gr < 2
    ? NaN
    : Math.sqrt(sampleVariance(creditC) / gc + sampleVariance(creditR) / gr);
  const dof = gc + gr - 2;
  const withinVariance = dof > 0
    ? (sumSquaredDeviations(chosen) + sumSquaredDeviations(rejected)) / dof
    : NaN;
  const betweenVariance = (mean(chosen) - mean(rejected)) ** 2;
  let signalToNoise: number;
  if (Number.isNaN(withinVariance)) signalToNoise = NaN;
  else if (withinVariance === 0) signalToNoise = betweenVariance > 0 ? Infinity : 0;
  else signalToNoise = betweenVariance / withinVariance;
  return { pHat: mean(creditC), standardError, withinVariance, betweenVariance, signalToNoise };
}
