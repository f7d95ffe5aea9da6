/**
 * IRPM-Interval, the most conservative design: beat the far end of the other group's confidence
 * interval for its mean.
 *
 * @module
 */
import { mean, sampleVariance } from "./group_stats.ts";
import { studentTQuantile } from "./t_quantile.ts";
import { thresholdRewards } from "./threshold_rewards.ts";
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/** Two-sided level of the interval design when `alpha` is not given (a 95% interval). */
export const DEFAULT_ALPHA: number = 0.05;

/**
 * Student-t confidence interval of a group's mean:
 *   mean(x) -/+ t_{1 - alpha/2, G - 1} * sd(x) / sqrt(G),  sd unbiased (ddof 1).
 * Throws RangeError for G < 2 (no spread estimate) or alpha outside (0, 1).
 *
 * @example
 * ```ts
 * import { meanConfidenceInterval } from "./reward_interval.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // mean 5.5, sd = sqrt(5/3), se = sd/2 = 0.6454972; t(0.975, 3) = 3.18244630528371
 * const { low, high } = meanConfidenceInterval([5, 6, 7, 4]);
 * assertAlmostEquals(high, 5.5 + 3.18244630528371 * Math.sqrt(5 / 3) / 2, 1e-12);
 * assertAlmostEquals(low, 5.5 - 3.18244630528371 * Math.sqrt(5 / 3) / 2, 1e-12);
 * ```
 */
export function meanConfidenceInterval(
  scores: readonly number[],
  options: { alpha?: number } = {},
): { low: number; high: number } {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`meanConfidenceInterval: alpha must be in (0, 1), got ${String(alpha)}`);
  }
  if (scores.length < 2) {
    throw new RangeError(
      `meanConfidenceInterval: needs a group of at least 2 scores, got ${scores.length}`,
    );
  }
  const g = scores.length;
  const halfWidth = studentTQuantile(1 - alpha / 2, g - 1) * Math.sqrt(sampleVariance(scores) / g);
  const center = mean(scores);
  return { low: center - halfWidth, high: center + halfWidth };
}

/**
 * Interval design (strict; equal to the bar loses):
 *   chosen i:   +1 if s_c^i > CI_high(S_r) + delta else -1
 *   rejected j: +1 if s_r^j < CI_low(S_c)  - delta else -1
 * with the t-interval of {@link meanConfidenceInterval} at level `alpha` (default 0.05).
 * Throws RangeError when either group has fewer than 2 scores.
 *
 * @example
 * ```ts
 * import { intervalReward } from "./reward_interval.ts";
 * import { assertEquals } from "@std/assert";
 * // CI_high(S_r) = 5.5 + 3.1824463 * 0.6454972 = 7.5542603; CI_low(S_c) = 7.5 - 2.0542603 = 5.4457397
 * const rewards = intervalReward({ chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] }, { margin: 0 });
 * assertEquals(rewards, { chosen: [-1, 1, -1, 1], rejected: [1, -1, -1, 1] });
 * ```
 */
export function intervalReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "intervalReward");
  if (scores.chosen.length < 2 || scores.rejected.length < 2) {
    throw new RangeError(
      `intervalReward: needs at least 2 scores per group, got chosen ${scores.chosen.length}, ` +
        `rejected ${scores.rejected.length}`,
    );
  }
  const alpha = { alpha: options.alpha ?? DEFAULT_ALPHA };
  return thresholdRewards(scores, {
    chosenBar: meanConfidenceInterval(scores.rejected, alpha).high + options.margin,
    rejectedBar: meanConfidenceInterval(scores.chosen, alpha).low - options.margin,
  });
}
