/**
 * IRPM: intergroup relative preference rewards for pointwise generative reward models.
 *
 * Read in this order:
 * - `parse.ts`: `<critique>...</critique><score>x</score>` -> {@link Judgment} (never a silent 0)
 * - `estimator.ts`: stochastic Bradley-Terry, P_hat = (1/(Gc Gr)) sum_ij sigmoid(s_c^i - s_r^j),
 *   its per-rollout marginals and diagnostics (standard error, within/between variance)
 * - `types.ts`, `group_stats.ts`, `t_quantile.ts`, `threshold_rewards.ts`: shared pieces
 * - `reward_mean.ts`, `reward_median.ts`, `reward_interval.ts`, `reward_preference.ts`,
 *   `reward_winrate.ts`: one design each; `designs.ts` picks one by name
 * - `margin.ts`: delta, fixed or adaptive (strength - 2)
 * - `format_penalty.ts`, `pair_rewards.ts`: stand-in scores, penalties, one pair end to end
 *
 * @example
 * ```ts
 * import { scorePair } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 * const j = (s: number) => `<critique>fine</critique><score>${s}</score>`;
 * const out = scorePair(
 *   { chosen: [7, 8, 6, 9].map(j), rejected: [5, 6, 7, 4].map(j) },
 *   { design: "mean", margin: "adaptive", strength: 3 }, // delta = 1: both bars are 6.5
 * );
 * assertEquals(out.chosen.map((r) => r.reward), [1, 1, -1, 1]);
 * ```
 * @module
 */
export * from "./parse.ts";
export * from "./estimator.ts";
export * from "./types.ts";
export * from "./group_stats.ts";
export * from "./t_quantile.ts";
export * from "./threshold_rewards.ts";
export * from "./reward_mean.ts";
export * from "./reward_median.ts";
export * from "./reward_interval.ts";
export * from "./reward_preference.ts";
export * from "./reward_winrate.ts";
export * from "./reward_preference_fixes.ts";
export * from "./weak_pairs.ts";
export * from "./designs.ts";
export * from "./margin.ts";
export * from "./format_penalty.ts";
export * from "./pair_rewards.ts";
