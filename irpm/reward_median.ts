/**
 * IRPM-Median: beat the other group's median by the margin (robust to one wild score).
 *
 * @module
 */
import { median } from "./group_stats.ts";
import { thresholdRewards } from "./threshold_rewards.ts";
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/**
 * Median design (strict; equal to the bar loses; even G takes the mean of the middle two):
 *   chosen i:   +1 if s_c^i > median(S_r) + delta else -1
 *   rejected j: +1 if s_r^j < median(S_c) - delta else -1
 * Works for any group sizes >= 1; `alpha` is ignored.
 *
 * @example
 * ```ts
 * import { medianReward } from "./reward_median.ts";
 * import { assertEquals } from "@std/assert";
 * // median(S_r) = median(2, 5, 6, 7) = 5.5; median(S_c) = median(6, 6, 8, 9) = 7
 * const rewards = medianReward({ chosen: [9, 6, 6, 8], rejected: [2, 6, 5, 7] }, { margin: 1 });
 * assertEquals(rewards, { chosen: [1, -1, -1, 1], rejected: [1, -1, 1, -1] }); // bars 6.5, 6
 * ```
 */
export function medianReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "medianReward");
  return thresholdRewards(scores, {
    chosenBar: median(scores.rejected) + options.margin,
    rejectedBar: median(scores.chosen) - options.margin,
  });
}
