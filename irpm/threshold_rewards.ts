/**
 * The +/-1 rule shared by the mean, median and interval designs.
 *
 * @module
 */
import type { GroupRewards, GroupScores } from "./types.ts";

/**
 * Threshold rewards with strict comparisons (a score equal to its bar loses):
 *   chosen i:   +1 if s_c^i > chosenBar    else -1
 *   rejected j: +1 if s_r^j < rejectedBar  else -1
 * A design computes the bars from the other group (e.g. chosenBar = mean(S_r) + delta).
 *
 * @example
 * ```ts
 * import { thresholdRewards } from "./threshold_rewards.ts";
 * import { assertEquals } from "@std/assert";
 * const rewards = thresholdRewards({ chosen: [7, 6], rejected: [5, 7] }, { chosenBar: 6, rejectedBar: 7 });
 * assertEquals(rewards, { chosen: [1, -1], rejected: [1, -1] }); // 6 = 6 and 7 = 7 lose
 * ```
 */
export function thresholdRewards(
  scores: GroupScores,
  bars: { chosenBar: number; rejectedBar: number },
): GroupRewards {
  return {
    chosen: scores.chosen.map((s) => (s > bars.chosenBar ? 1 : -1)),
    rejected: scores.rejected.map((s) => (s < bars.rejectedBar ? 1 : -1)),
  };
}
