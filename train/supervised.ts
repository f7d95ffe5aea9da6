/**
 * Supervised training on prompt -> target examples: the loop the three warm-starts share (the
 * GRM's, `warmstart.ts`; the pairwise baseline's format warm-start; the policy's). Each brings its
 * own examples, batch order and evaluation; the step is the same.
 *
 * Loss: token-mean negative log-likelihood of the target tokens.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { tokenMean } from "../grpo/aggregate.ts";
import { adamwInit, type AdamWState } from "../grpo/adamw.ts";
import type { ModelConfig } from "../model/config.ts";
import { completionLogProbs, packCompletions } from "../model/logprobs.ts";
import type { TrainableParams } from "../model/params.ts";
import type { OptimizerConfig } from "./config.ts";
import { stepOrDiverge } from "./divergence.ts";
import { optimizerStep } from "./optimize.ts";
import { learningRate } from "./trainer.ts";

/** One supervised example: prompt tokens and target tokens. */
export interface WarmStartExample {
  readonly prompt: readonly number[];
  readonly completion: readonly number[];
}

/** Token-mean NLL of the completion tokens of one batch. */
export function supervisedLoss(
  model: { params: TrainableParams; config: ModelConfig },
  batch: { tokens: tf.Tensor2D; mask: tf.Tensor2D },
): tf.Scalar {
  return tf.tidy(() => tf.neg(tokenMean(completionLogProbs(model, batch), batch.mask)));
}

/** The optimizer settings and schedule length of a supervised phase. */
export interface SupervisedRecipe extends
  Readonly<
    Pick<OptimizerConfig, "lr" | "warmupSteps" | "minLrRatio" | "weightDecay" | "gradClip">
  > {
  /** Steps of the learning-rate schedule. */
  readonly steps: number;
}

/** What a supervised phase trains on: the recipe and the examples of each step. */
export interface SupervisedPlan {
  readonly recipe: Readonly<SupervisedRecipe>;
  /** The examples of step `step` (0-based); called once a step, in step order. */
  readonly batch: (step: number) => readonly WarmStartExample[];
}

/** One finished step of {@link supervisedSteps}. */
export interface SupervisedProgress {
  /** Steps done (1-based). */
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Token positions of the packed batch, padding included. */
  readonly tokens: number;
  /** Seconds of this step (packing excluded) and since the phase began. */
  readonly stepSeconds: number;
  readonly seconds: number;
}

/** How a supervised phase runs besides its plan. */
export interface SupervisedStepsOptions {
  /** Stop (evaluating first) after this many steps of the schedule. Default: all of them. */
  readonly stopAfter?: number;
  /** Pad every batch to this many tokens. Default: the longest example of the batch. */
  readonly packLength?: number;
  /** Who is training, in a divergence error (e.g. "policy warm-start"). Default "warm-start". */
  readonly what?: string;
  /** Call `onEval` every N steps (0: only after the last step). Default 0. */
  readonly evalEvery?: number;
  /** After each step. */
  readonly onStep?: (progress: SupervisedProgress) => void;
  /** After `onStep`, on the `evalEvery` schedule and after the last step. */
  readonly onEval?: (step: number) => void | Promise<void>;
}

/**
 * Runs `plan.recipe.steps` AdamW steps (or `stopAfter`) of {@link supervisedLoss} on `model`'s
 * variables in place, from a fresh optimizer state, with the warm-up + cosine schedule
 * ({@link learningRate}). Stops with a `TrainingDivergedError` naming the step when an update
 * makes the weights NaN/Inf. Returns the optimizer state (the caller disposes it) and the steps
 * run.
 */
export async function supervisedSteps(
  model: { params: TrainableParams; config: ModelConfig },
  plan: SupervisedPlan,
  options: SupervisedStepsOptions = {},
): Promise<{ optimizer: AdamWState; steps: number }> {
  const { recipe } = plan;
  const { evalEvery = 0, what = "warm-start" } = options;
  let optimizer = adamwInit(model.params);
  const started = performance.now();
  const stopAt = Math.min(recipe.steps, options.stopAfter ?? recipe.steps);
  for (let step = 0; step < stopAt; step++) {
    const batch = plan.batch(step);
    const packed = packCompletions(batch, { length: options.packLength });
    const lr = learningRate(recipe, { step, total: recipe.steps });
    const t0 = performance.now();
    let result;
    try {
      result = await stepOrDiverge(
        () =>
          optimizerStep({ params: model.params }, {
            state: optimizer,
            lossFn: () => supervisedLoss(model, packed),
            lr,
            weightDecay: recipe.weightDecay,
            gradClip: recipe.gradClip,
          }),
        { step: step + 1, what },
      );
    } finally {
      tf.dispose([packed.tokens, packed.mask]);
    }
    optimizer = result.state;
    const now = performance.now();
    options.onStep?.({
      step: step + 1,
      loss: result.loss,
      lr,
      gradNorm: result.gradNorm,
      tokens: packed.tokens.size,
      stepSeconds: (now - t0) / 1000,
      seconds: (now - started) / 1000,
    });
    const last = step + 1 === stopAt;
    if (last || (evalEvery > 0 && (step + 1) % evalEvery === 0)) await options.onEval?.(step + 1);
  }
  return { optimizer, steps: stopAt };
}
