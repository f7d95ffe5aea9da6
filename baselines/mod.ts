/**
 * The baselines IRPM is compared with, on the same transformer, pairs and step budget:
 *
 * - scalar Bradley-Terry reward model: `scalar_head.ts` (a linear head on the last token),
 *   `bt_loss.ts` (-log sigmoid(r_c - r_r - m) + optional centring), `scalar_bt.ts` (training);
 * - pairwise GRM: `pairwise_format.ts` (prompt with both responses, critique + verdict 1|2 in the
 *   score tag), `pairwise_judge.ts` (generation), `pairwise_step.ts` (one GRPO step on the
 *   verdict reward), `pairwise_grm.ts` (format warm-start + training loop);
 * - `train_baselines.ts`: both from one IRPM `TrainConfig`;
 * - `judge_checkpoint.ts`: checkpoints of every kind of judge (`config.kind` in the sidecar).
 *
 * @example
 * ```ts
 * import { btLossValue, verdictReward } from "./mod.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * assertAlmostEquals(btLossValue([0], [0]), Math.log(2), 1e-12); // equal rewards: -log sigmoid(0)
 * assertEquals(verdictReward("B>A", "B>A"), 1);
 * ```
 * @module
 */
export * from "./scalar_head.ts";
export * from "./bt_loss.ts";
export * from "./scalar_bt.ts";
export * from "./pairwise_format.ts";
export * from "./pairwise_judge.ts";
export * from "./pairwise_step.ts";
export * from "./pairwise_grm.ts";
export * from "./train_baselines.ts";
export * from "./judge_checkpoint.ts";
