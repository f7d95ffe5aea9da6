/**
 * The mutable parts of training that a step reads and replaces: the trainable weights, the frozen
 * reference, the model's shape and the optimiser state. Its own file so that the step
 * (train/step.ts) and the update (train/grpo_update.ts) share it without importing each other.
 *
 * @module
 */
import type { AdamWState } from "../grpo/adamw.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params, TrainableParams } from "../model/params.ts";

/** The mutable parts of training that a step reads and replaces. */
export interface PolicyState {
  readonly params: TrainableParams;
  readonly reference: Params;
  readonly config: ModelConfig;
  optimizer: AdamWState;
}
