/**
 * Running evaluations: judges of every kind (pointwise GRM, pairwise GRM, scalar Bradley-Terry)
 * on preference data sets, reduced to the pure metrics of `eval/`. The CLIs `deno task eval`,
 * `deno task rank` and `deno task compare` are thin shells around this folder.
 *
 * Read in this order:
 * - `judgebench_jsonl.ts`, `eval_set.ts`: every data format -> {@link EvalPair}s
 * - `responses.ts`: the distinct responses behind the pairs (each judged once)
 * - `aggregate.ts`: per-pair outcomes -> accuracy under both conventions, RewardBench, RM-Bench;
 *   a both-order pairwise verdict as one outcome
 * - `evaluation.ts`: what an evaluation returns; `pointwise_scores.ts`: greedy + sampled scores
 * - `pointwise_eval.ts`, `pairwise_eval.ts`, `scalar_eval.ts`: one evaluator per kind
 * - `calibration.ts`: Spearman vs hidden quality, pooled and within candidate sets
 * - `run_eval.ts`: the evaluators and scorers by kind; `evaluateJudge`
 * - `ranking_run.ts`, `ranking_bench.ts`: best-of-n with each judge, calls and time
 * - `compare_table.ts`, `report.ts`, `markdown.ts`: the tables the CLIs print
 *
 * @example
 * ```ts
 * import { bothOrderPairOutcome, summarizeOutcomes } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 * const outcome = bothOrderPairOutcome({ forward: "A>B", swapped: "A>B" }); // position bias
 * assertEquals(summarizeOutcomes([{ id: "p", domain: "d", outcome }]).overall.tieRate, 1);
 * ```
 * @module
 */
export * from "./judgebench_jsonl.ts";
export * from "./eval_set.ts";
export * from "./responses.ts";
export * from "./aggregate.ts";
export * from "./evaluation.ts";
export * from "./pointwise_scores.ts";
export * from "./pointwise_eval.ts";
export * from "./pairwise_eval.ts";
export * from "./scalar_eval.ts";
export * from "./calibration.ts";
export * from "./run_eval.ts";
export * from "./ranking_run.ts";
export * from "./ranking_bench.ts";
export * from "./compare_table.ts";
export * from "./report.ts";
export * from "./markdown.ts";
