/**
 * IRPM-Mean, the released main recipe: beat the other group's mean by the margin.
 *
 * @module
 */
import { mean } from "./group_stats.ts";
import { thresholdRewards } from "./threshold_rewards.ts";
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/**
 * Mean design (strict; equal to the bar loses):
 *   chosen i:   +1 if s_c^i > mean(S_r) + delta else -1
 *   rejected j: +1 if s_r^j < mean(S_c) - delta else -1
 * Works for any group sizes >= 1; `alpha` is ignored.
 *
 * @example
 * ```ts
 * import { meanReward } from "./reward_mean.ts";
 * import { assertEquals } from "@std/assert";
 * // mean(S_r) = 22/4 = 5.5, mean(S_c) = 30/4 = 7.5; delta = 1: bars 6.5 and 6.5
 * const rewards = meanReward({ chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] }, { margin: 1 });
 * assertEquals(rewards, { chosen: [1, 1, -1, 1], rejected: [1, 1, -1, 1] });
 * ```
 */
export function meanReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "meanReward");
  return thresholdRewards(scores, {
    chosenBar: mean(scores.rejected) + options.margin,
    rejectedBar: mean(scores.chosen) - options.margin,
  });
}
