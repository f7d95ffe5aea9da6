/**
 * IRPM Kit: train pointwise generative reward models from pairwise preferences with IRPM + GRPO
 * in TensorFlow.js under Deno. Each folder is a namespace here; import a folder's `mod.ts` (or a
 * single file) directly for shorter names.
 *
 * @example
 * ```ts
 * import { irpm } from "./mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // P_hat for one chosen score 7 vs one rejected score 5: sigmoid(2)
 * assertAlmostEquals(irpm.preferenceProbability([7], [5]), 1 / (1 + Math.exp(-2)), 1e-12);
 * ```
 * @module
 */
export * as irpm from "./irpm/mod.ts";
export * as grpo from "./grpo/mod.ts";
export * as data from "./data/mod.ts";
export * as model from "./model/mod.ts";
export * as checkpoint from "./checkpoint/mod.ts";
export * as train from "./train/mod.ts";
export * as evaluation from "./eval/mod.ts";
export * as viz from "./viz/mod.ts";
export * as rng from "./rng/mod.ts";
export * as evalRun from "./eval_run/mod.ts";
export * as baselines from "./baselines/mod.ts";
export * as config from "./config/mod.ts";
export * as policy from "./policy/mod.ts";
