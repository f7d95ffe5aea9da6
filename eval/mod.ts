/**
 * Evaluation metrics for pointwise GRMs: pure functions from per-response scores (a number, or
 * `null` for an unparseable judgment) to benchmark numbers, each with its per-item trace.
 *
 * Read in this order:
 * - `pair_decision.ts`: one pair -> IRPM outcome (win 1, tie 0.5, invalid 0) and strict (tie 0)
 * - `accuracy.ts`: accuracy, strict accuracy, tie and parse-error rates, binomial SEs, by domain
 * - `voting.ts`: voting@k (mean of the valid sampled scores) and the k table (k = 1 greedy)
 * - `spearman.ts`: Spearman's rho with average ranks for ties, invalid pairs excluded and counted
 * - `rewardbench.ts`: RewardBench sections (count-weighted, math-prm upweighted) and overall score
 * - `rm_bench.ts`: RM-Bench 3 x 3 style matrix -> hard (i < j) / normal / easy, per domain
 * - `judgebench.ts`: both-order pairwise counting (JudgeBench's counter rule and the strict one)
 * - `ranking.ts`: best-of-n picks, Copeland round robin, regret, judge-call counts
 * - `critique_ceiling.ts`: synthetic suite: accuracy if scores followed the critiques' error counts
 *
 * @example
 * ```ts
 * import { pairwiseAccuracy, votingScore } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 * const chosen = votingScore([7, 8, null]); // 7.5
 * const rejected = votingScore([7, 7, 7]); // 7
 * assertEquals(pairwiseAccuracy([{ chosen, rejected }]).overall.accuracy, 1);
 * ```
 * @module
 */
export * from "./pair_decision.ts";
export * from "./accuracy.ts";
export * from "./voting.ts";
export * from "./spearman.ts";
export * from "./rewardbench.ts";
export * from "./rm_bench.ts";
export * from "./judgebench.ts";
export * from "./ranking.ts";
export * from "./critique_ceiling.ts";
