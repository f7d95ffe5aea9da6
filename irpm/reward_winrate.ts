/**
 * IRPM win-rate (hard Bradley-Terry) design: the fraction of the other group a rollout beats.
 *
 * @module
 */
import {
  checkGroupScores,
  type DesignOptions,
  type GroupRewards,
  type GroupScores,
} from "./types.ts";

/**
 * Win-rate design, rewards in [0, 1], strict (a tie counts as a loss for both):
 *   chosen i:   (1 / Gr) sum_j [s_c^i > s_r^j]
 *   rejected j: (1 / Gc) sum_i [s_r^j < s_c^i]
 * As in method.md and the released code, the margin (and `alpha`) are ignored.
 *
 * @example
 * ```ts
 * import { winrateReward } from "./reward_winrate.ts";
 * import { assertEquals } from "@std/assert";
 * const rewards = winrateReward({ chosen: [9, 6], rejected: [6, 2] }, { margin: 0 });
 * // 9 beats both; 6 beats only 2 (6 = 6 is no win). 6 is beaten by 9 only; 2 by both.
 * assertEquals(rewards, { chosen: [1, 0.5], rejected: [0.5, 1] });
 * ```
 */
export function winrateReward(scores: GroupScores, options: DesignOptions): GroupRewards {
  checkGroupScores({ scores, options }, "winrateReward");
  const { chosen, rejected } = scores;
  return {
    chosen: chosen.map((c) => rejected.filter((r) => c > r).length / rejected.length),
    rejected: rejected.map((r) => chosen.filter((c) => r < c).length / chosen.length),
  };
}
