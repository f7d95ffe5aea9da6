/**
 * The scalar Bradley-Terry reward model baseline: the same transformer as the GRM with a scalar
 * head on the last token (`scalar_head.ts`), trained on the same preference pairs with the same
 * step budget, batch size and AdamW settings as the IRPM run (`DEFAULT_TRAIN_CONFIG`), on the
 * B-T loss of `bt_loss.ts`. The training loop, step by step:
 *
 *   1. a batch of pairs (the trainer's seeded epoch order, `nextBatch`);
 *   2. chosen and rejected responses of the batch as one left-padded forward pass -> r_c, r_r;
 *   3. loss -log sigmoid(r_c - r_r - m) (+ centring), AdamW step with warm-up + cosine lr and
 *      grad-norm clipping (`optimizerStep`, which skips NaN/Inf steps; `maxBadSteps` of them in a
 *      row, or an update that makes the weights NaN/Inf, stop the run with a
 *      `TrainingDivergedError`, as in the IRPM trainer);
 *   4. metrics: loss, batch accuracy (r_c > r_r), reward mean/std, grad norm.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreferencePair } from "../data/types.ts";
import { adamwDispose, adamwInit, type AdamWState } from "../grpo/adamw.ts";
import { learningRate } from "../train/trainer.ts";
import { resolveMargin } from "../irpm/margin.ts";
import type { ModelConfig } from "../model/config.ts";
import type { TrainableParams } from "../model/params.ts";
import type { Prng } from "../rng/prng.ts";
import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
import { nextBatch } from "../train/data.ts";
import { optimizerStep } from "../train/optimize.ts";
import { stepOrDiverge, TrainingDivergedError } from "../train/divergence.ts";
import { btLoss } from "./bt_loss.ts";
import type { JudgeModel } from "./judge_checkpoint.ts";
import {
  initScalarHead,
  leftPaddedBatch,
  scalarPromptTokens,
  scalarRewards,
} from "./scalar_head.ts";

/** Settings of a scalar B-T run. */
export interface ScalarBtConfig {
  readonly steps: number;
  readonly batchPairs: number;
  readonly lr: number;
  readonly warmupSteps: number;
  readonly minLrRatio: number;
  readonly weightDecay: number;
  readonly gradClip: number;
  /** Stop after this many consecutive steps with a NaN/Inf loss or gradient. */
  readonly maxBadSteps: number;
  /** Fixed margin m, or "adaptive" (m = strength - 2, method.md's delta). */
  readonly margin: number | "adaptive";
  /** Reward-centring coefficient (0: off). */
  readonly centerCoef: number;
  /** Seed of the batch order (and, through the caller, of the head init). */
  readonly seed: number;
}

/** Defaults: the IRPM run's budget and optimizer, so the comparison is like for like. */
export const DEFAULT_SCALAR_BT_CONFIG: Readonly<ScalarBtConfig> = Object.freeze({
  steps: DEFAULT_TRAIN_CONFIG.steps, // same step budget as IRPM
  batchPairs: DEFAULT_TRAIN_CONFIG.batchPairs, // same pairs per step
  lr: DEFAULT_TRAIN_CONFIG.lr, // same AdamW settings
  warmupSteps: DEFAULT_TRAIN_CONFIG.warmupSteps,
  minLrRatio: DEFAULT_TRAIN_CONFIG.minLrRatio,
  weightDecay: DEFAULT_TRAIN_CONFIG.weightDecay,
  gradClip: DEFAULT_TRAIN_CONFIG.gradClip,
  maxBadSteps: DEFAULT_TRAIN_CONFIG.maxBadSteps,
  margin: 0, // the classic B-T loss
  centerCoef: 0, // off; 0.01 is the value of Eisenstein et al.
  seed: DEFAULT_TRAIN_CONFIG.seed,
});

/**
 * A scalar judge built on a transformer body: the body's variables (shared, not copied) plus a
 * new head from `rng`.
 */
export function scalarBtModel(
  body: { params: TrainableParams; config: Required<ModelConfig> },
  rng: Prng,
): JudgeModel {
  return {
    kind: "scalar",
    params: { ...body.params, ...initScalarHead(body.config, rng) },
    config: body.config,
  };
}

/**
 * The B-T loss of a batch of pairs (differentiable; `margin` and `centerCoef` default to
 * {@link DEFAULT_SCALAR_BT_CONFIG}'s); keeps `accuracy`, `reward_mean`, `reward_std`.
 */
export function scalarBtLoss(
  model: JudgeModel,
  pairs: readonly PreferencePair[],
  options: {
    margin?: number | "adaptive";
    centerCoef?: number;
    keep?: (name: string, value: tf.Scalar) => void;
  } = {},
): tf.Scalar {
  const {
    margin = DEFAULT_SCALAR_BT_CONFIG.margin,
    centerCoef = DEFAULT_SCALAR_BT_CONFIG.centerCoef,
  } = options;
  const n = pairs.length;
  const rows = [
    ...pairs.map((p) =>
      scalarPromptTokens({ context: p.context, response: p.chosen }, model.config.contextLength)
    ),
    ...pairs.map((p) =>
      scalarPromptTokens({ context: p.context, response: p.rejected }, model.config.contextLength)
    ),
  ];
  const margins = pairs.map((p) => resolveMargin(margin, p.strength));
  const batch = leftPaddedBatch(rows);
  try {
    return tf.tidy(() => {
      const rewards = scalarRewards(model, batch); // [2B]
      const chosen = tf.slice(rewards, [0], [n]), rejected = tf.slice(rewards, [n], [n]);
      if (options.keep) {
        options.keep("accuracy", tf.mean(tf.cast(tf.greater(chosen, rejected), "float32")));
        const { mean, variance } = tf.moments(rewards);
        options.keep("reward_mean", mean as tf.Scalar);
        options.keep("reward_std", tf.sqrt(variance) as tf.Scalar);
      }
      return btLoss(chosen, rejected, { margins, centerCoef });
    });
  } finally {
    tf.dispose([batch.tokens, batch.padMask]);
  }
}

/** One logged step. */
export type ScalarBtMetrics = Record<string, number>;

/** Trains a scalar judge in place (its variables change); returns the optimizer and history. */
export async function trainScalarBt(
  model: JudgeModel,
  run: { pairs: readonly PreferencePair[]; config?: Readonly<ScalarBtConfig> },
  callbacks: { onStep?: (step: number, metrics: ScalarBtMetrics) => void } = {},
): Promise<{ optimizer: AdamWState; history: ScalarBtMetrics[] }> {
  const { pairs, config = DEFAULT_SCALAR_BT_CONFIG } = run;
  if (model.kind !== "scalar") {
    throw new TypeError(`trainScalarBt: needs a scalar judge, got ${model.kind}`);
  }
  let optimizer = adamwInit(model.params);
  let cursor = { epoch: 0, index: 0 };
  const history: ScalarBtMetrics[] = [];
  let badSteps = 0;
  for (let step = 0; step < config.steps; step++) {
    const started = performance.now();
    // 1. A batch of pairs.
    const next = nextBatch(pairs, { cursor, batch: config.batchPairs, seed: config.seed });
    cursor = next.cursor;
    // 2-3. Rewards, loss, AdamW step.
    const lr = learningRate(config, { step, total: config.steps });
    const result = await stepOrDiverge(
      () =>
        optimizerStep({ params: model.params }, {
          state: optimizer,
          lossFn: (keep) =>
            scalarBtLoss(model, next.batch, {
              margin: config.margin,
              centerCoef: config.centerCoef,
              keep,
            }),
          lr,
          weightDecay: config.weightDecay,
          gradClip: config.gradClip,
        }),
      { step: step + 1, what: "scalar-bt baseline" },
    );
    optimizer = result.state;
    // 4. Metrics.
    const metrics = {
      step: step + 1,
      loss: result.loss,
      ...result.metrics,
      grad_norm: result.gradNorm,
      lr,
      skipped: result.skipped ? 1 : 0,
      step_seconds: (performance.now() - started) / 1000,
    };
    history.push(metrics);
    callbacks.onStep?.(step + 1, metrics);
    badSteps = result.skipped ? badSteps + 1 : 0;
    if (badSteps >= config.maxBadSteps) {
      adamwDispose(optimizer);
      throw new TrainingDivergedError(
        `scalar-bt baseline stopped at step ${step + 1}: ${badSteps} consecutive steps with a ` +
          `NaN/Inf loss or gradient (--max-bad-steps ${config.maxBadSteps}); ` +
          "try a lower --lr or --grad-clip",
      );
    }
  }
  return { optimizer, history };
}
