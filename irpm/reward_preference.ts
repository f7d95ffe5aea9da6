/**
 * IRPM preference (soft Bradley-Terry) design: each rollout's marginal credit in P_hat.
 * The paper reports this one collapses training (score variance keeps growing).
 *
 * @module
 */
import { chosenCredits, rejectedCredits } from "./estimator.ts";
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/**
 * Preference design, rewards in (0, 1):
 *   chosen i:   (1 / Gr) sum_j sigmoid(s_c^i - s_r^j)
 *   rejected j: (1 / Gc) sum_i sigmoid(s_c^i - s_r^j)
 * As in method.md and the released code, the margin (and `alpha`) are ignored.
 *
 * @example
 * ```ts
 * import { preferenceReward } from "./reward_preference.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const { chosen, rejected } = preferenceReward({ chosen: [1], rejected: [0] }, { margin: 0 });
 * assertAlmostEquals(chosen[0], 0.7310585786300049, 1e-15); // sigmoid(1)
 * assertAlmostEquals(rejected[0], 0.7310585786300049, 1e-15); // same pair, seen from the rejected side
 * ```
 */
export function preferenceReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "preferenceReward");
  return {
    chosen: chosenCredits(scores.chosen, scores.rejected),
    rejected: rejectedCredits(scores.chosen, scores.rejected),
  };
}
