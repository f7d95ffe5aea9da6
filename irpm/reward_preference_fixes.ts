/**
 * Two fixes of the soft preference design's collapse (open question 2): the paper reports that
 * IRPM-Preference's score variance keeps growing until training collapses (steps 400-600), and
 * switched to rule-based rewards. Both keep the direct preference objective (each rollout's credit
 * in P_hat) but take away the reward for pushing scores to the ends of the scale, which is what
 * the growing variance is: a gap of 10 earns sigmoid(10) ~ 1, a gap of 2 only 0.88.
 *
 * - `preference-capped`: each comparison's gap is clipped to +-{@link PREFERENCE_GAP_CAP} points
 *   before the sigmoid, so a rollout gains nothing by widening a gap past the cap.
 * - `preference-var`: the credit minus a penalty on how far the rollout's score lies from the
 *   pair's mean score, lambda (s - mean)^2 / 25 with lambda = {@link PREFERENCE_VARIANCE_PENALTY}:
 *   0.25 at the ends (a score of 0 or 10 around a mean of 5), 0.01 one point from the mean.
 *
 * @module
 */
import { sigmoid } from "./estimator.ts";
import { mean } from "./group_stats.ts";
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/** Score points past which a gap earns no more credit in `preference-capped`. */
export const PREFERENCE_GAP_CAP = 2;

/** lambda of `preference-var`: the penalty at a score 5 points from the pair's mean. */
export const PREFERENCE_VARIANCE_PENALTY = 0.25;

const clip = (x: number, cap: number) => Math.max(-cap, Math.min(cap, x));

/**
 * Capped preference design, rewards in (sigmoid(-2), sigmoid(2)) = (0.119, 0.881):
 *   chosen i:   (1 / Gr) sum_j sigmoid(clip(s_c^i - s_r^j, -2, 2))
 *   rejected j: (1 / Gc) sum_i sigmoid(clip(s_c^i - s_r^j, -2, 2))
 * The margin is ignored, as in the preference design.
 *
 * @example
 * ```ts
 * import { preferenceCappedReward } from "./reward_preference_fixes.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // gaps 9 and 1: sigmoid(2) = 0.8808 and sigmoid(1) = 0.7311 -> chosen 10 earns their mean
 * const r = preferenceCappedReward({ chosen: [10], rejected: [1, 9] }, { margin: 0 });
 * assertAlmostEquals(r.chosen[0], (0.8807970779778823 + 0.7310585786300049) / 2, 1e-15);
 * assertAlmostEquals(r.rejected[0], 0.8807970779778823, 1e-15); // the gap of 9 is capped at 2
 * ```
 */
export function preferenceCappedReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "preferenceCappedReward");
  const credit = (c: number, r: number) => sigmoid(clip(c - r, PREFERENCE_GAP_CAP));
  return {
    chosen: scores.chosen.map((c) => mean(scores.rejected.map((r) => credit(c, r)))),
    rejected: scores.rejected.map((r) => mean(scores.chosen.map((c) => credit(c, r)))),
  };
}

/**
 * Preference design with a score-variance penalty:
 *   reward = credit - lambda (s - m)^2 / 25,  m = the mean of the pair's 2G scores, lambda = 0.25,
 * the credit being the preference design's (each rollout's marginal in P_hat).
 *
 * @example
 * ```ts
 * import { preferenceVarianceReward } from "./reward_preference_fixes.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // scores 10 vs 0: mean 5, each 5 points away -> penalty 0.25 x 25 / 25 = 0.25
 * const r = preferenceVarianceReward({ chosen: [10], rejected: [0] }, { margin: 0 });
 * assertAlmostEquals(r.chosen[0], 1 / (1 + Math.exp(-10)) - 0.25, 1e-15);
 * // scores 6 vs 4: mean 5, one point away -> penalty 0.01
 * const near = preferenceVarianceReward({ chosen: [6], rejected: [4] }, { margin: 0 });
 * assertAlmostEquals(near.chosen[0], 0.8807970779778823 - 0.01, 1e-15);
 * ```
 */
export function preferenceVarianceReward(
  scores: GroupScores,
  options: DesignOptions,
): GroupRewards {
  checkGroupScores({ scores, options }, "preferenceVarianceReward");
  const m = mean([...scores.chosen, ...scores.rejected]);
  const penalty = (s: number) => PREFERENCE_VARIANCE_PENALTY * (s - m) ** 2 / 25;
  const credit = (c: number, r: number) => sigmoid(c - r);
  return {
    chosen: scores.chosen.map((c) => mean(scores.rejected.map((r) => credit(c, r))) - penalty(c)),
    rejected: scores.rejected.map((r) => mean(scores.chosen.map((c) => credit(c, r))) - penalty(r)),
  };
}
