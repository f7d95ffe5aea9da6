/**
 * The mutable parts of training that a step reads and replaces: the trainable weights, the frozen
 * reference, the model's shape and the optimiser state. Its own file so that the step
 * (train/step.ts) and the update (train/grpo_update.ts) share it without importing each other.
 *
 * @module
 */
import { adamwInit, type AdamWState } from "../grpo/adamw.ts";
import type { ModelConfig } from "../model/config.ts";
import { copyParams, type Params, type TrainableParams } from "../model/params.ts";

/** The mutable parts of training that a step reads and replaces. */
export interface PolicyState {
  readonly params: TrainableParams;
  readonly reference: Params;
  readonly config: ModelConfig;
  optimizer: AdamWState;
}

/**
 * A policy that starts training at `model`: its weights (used in place), a frozen reference that
 * copies them (the KL anchor) and a fresh AdamW state. The caller disposes the reference and the
 * optimizer state when done.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { startingPolicy } from "./policy_state.ts";
 * import { initParams } from "../model/params.ts";
 * import { presetConfig } from "../model/config.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assert, assertEquals } from "@std/assert";
 * await tf.setBackend("cpu");
 * const config = presetConfig("tiny");
 * const params = initParams(config, createPrng(0));
 * const policy = startingPolicy({ params, config });
 * assert(policy.reference.tokenEmbedding !== params.tokenEmbedding); // a copy
 * assertEquals(policy.optimizer.step, 0);
 * ```
 */
export function startingPolicy(
  model: { params: TrainableParams; config: ModelConfig },
): PolicyState {
  return {
    params: model.params,
    reference: copyParams(model.params),
    config: model.config,
    optimizer: adamwInit(model.params),
  };
}
