/**
 * Training the pairwise GRM baseline, in two phases like the pointwise GRM:
 *
 * 1. {@link pairwiseWarmStart}: a short supervised phase that teaches the pairwise format
 *    (`pairwise_format.ts`) on synthetic rows, from a given body (normally the pointwise
 *    warm-start, so both GRMs start from the same model). The target verdict is a fair coin,
 *    independent of which response is better, so no preference is learned here.
 * 2. {@link trainPairwiseGrm}: GRPO on the +1/-1 verdict reward with the -0.5 format penalty, on
 *    the same pairs, batch size, step budget and optimizer settings as an IRPM run (the same
 *    `TrainConfig` drives both), the frozen reference being the model after phase 1.
 *
 * @module
 */
import { type SyntheticRow, syntheticSplits } from "../data/synthetic/suite.ts";
import type { PreferencePair } from "../data/types.ts";
import { adamwDispose } from "../grpo/adamw.ts";
import type { ModelConfig } from "../model/config.ts";
import type { TrainableParams } from "../model/params.ts";
import { encode } from "../model/tokenizer.ts";
import { createPrng, type Prng } from "../rng/prng.ts";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from "../train/config.ts";
import { nextBatch } from "../train/data.ts";
import { stepOrDiverge, TrainingDivergedError } from "../train/divergence.ts";
import type { PolicyState, StepMetrics } from "../train/step.ts";
import { learningRate } from "../train/trainer.ts";
import {
  type SupervisedRecipe,
  supervisedSteps,
  type WarmStartExample,
} from "../train/supervised.ts";
import { pairwisePromptTokens, pairwiseTarget } from "./pairwise_format.ts";
import { pairwiseGrpoStep } from "./pairwise_step.ts";

/** The pairwise format warm-start recipe (steps and optimizer settings as every warm-start's). */
export interface PairwiseWarmStartConfig extends SupervisedRecipe {
  readonly batchSize: number;
  /** Raw synthetic rows (each gives one example in a random order). */
  readonly trainRows: number;
  /** Held-out raw rows kept out of training (the trainer's 2 x testSize). */
  readonly testRows: number;
  readonly seed: number;
}

/** Defaults: enough steps for a warm-started body to switch format on a 2-core CPU. */
export const DEFAULT_PAIRWISE_WARMSTART: Readonly<PairwiseWarmStartConfig> = Object.freeze({
  steps: 300, // from the pointwise warm-start the format switch takes a few hundred steps
  batchSize: 64, // as the pointwise warm-start
  lr: 1e-3, // below the fresh warm-start's 2e-3: the body is already trained
  warmupSteps: 20,
  minLrRatio: 0.05,
  weightDecay: 0.01,
  gradClip: 1,
  trainRows: 4000,
  testRows: 2 * DEFAULT_TRAIN_CONFIG.testSize, // the same held-out prompts as the IRPM trainer
  seed: 0,
});

/**
 * One example per row: the two responses in a random order (one `rng.int(2)` draw), target =
 * critique + coin-flip verdict (`pairwiseTarget`, one more draw).
 *
 * @example
 * ```ts
 * import { pairwiseWarmStartExamples } from "./pairwise_grm.ts";
 * import { syntheticSuite } from "../data/synthetic/suite.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { decode } from "../model/tokenizer.ts";
 * import { assertEquals, assertMatch } from "@std/assert";
 * const examples = pairwiseWarmStartExamples(syntheticSuite({ seed: 0, size: 50 }), { rng: createPrng(1), contextLength: 64 });
 * assertEquals(examples.length, 50);
 * assertMatch(decode(examples[0].completion), /^<critique>\S+: \d vs \d err<\/critique><score>[12]<\/score>$/);
 * ```
 */
export function pairwiseWarmStartExamples(
  rows: readonly SyntheticRow[],
  options: { rng: Prng; contextLength: number },
): WarmStartExample[] {
  const { rng, contextLength } = options;
  return rows.map((row) => {
    const swap = rng.int(2) === 1;
    const [first, second] = swap ? [row.response2, row.response1] : [row.response1, row.response2];
    const completion = encode(pairwiseTarget(row, { first, second, rng }));
    const prompt =
      pairwisePromptTokens({ context: row.context, first, second }, contextLength).tokens;
    if (prompt.length + completion.length > contextLength) {
      throw new RangeError(
        `pairwise example of row "${row.id}" needs ${prompt.length + completion.length} tokens, ` +
          `context is ${contextLength}`,
      );
    }
    return { prompt, completion };
  });
}

/** Runs the pairwise format warm-start in place on `model` (its variables change). */
export async function pairwiseWarmStart(
  model: { params: TrainableParams; config: ModelConfig },
  recipe: Readonly<PairwiseWarmStartConfig> = DEFAULT_PAIRWISE_WARMSTART,
  callbacks: { onStep?: (step: number, loss: number) => void } = {},
): Promise<{ history: number[] }> {
  const rng = createPrng(recipe.seed + 7919);
  const { train } = syntheticSplits({
    seed: recipe.seed,
    train: recipe.trainRows,
    test: recipe.testRows,
  });
  const examples = pairwiseWarmStartExamples(train, {
    rng,
    contextLength: model.config.contextLength,
  });
  let cursor = { epoch: 0, index: 0 };
  const batch = () => {
    const next = nextBatch(examples, { cursor, batch: recipe.batchSize, seed: recipe.seed });
    cursor = next.cursor;
    return next.batch;
  };
  const history: number[] = [];
  const { optimizer } = await supervisedSteps(model, { recipe, batch }, {
    packLength: model.config.contextLength,
    what: "pairwise format warm-start",
    onStep: ({ step, loss }) => {
      history.push(loss);
      callbacks.onStep?.(step, loss);
    },
  });
  adamwDispose(optimizer);
  return { history };
}

/**
 * GRPO on the verdict reward for `config.steps` steps (or `config.epochs`), batches from the
 * trainer's seeded epoch order, lr from the trainer's schedule. Mutates `policy`. Stops with a
 * `TrainingDivergedError` as the IRPM trainer does: after `config.maxBadSteps` consecutive steps
 * with a NaN/Inf loss or gradient, or at once when an update makes the weights NaN/Inf.
 */
export async function trainPairwiseGrm(
  policy: PolicyState,
  run: { pairs: readonly PreferencePair[]; config: Readonly<TrainConfig> },
  callbacks: { onStep?: (step: number, metrics: StepMetrics) => void | Promise<void> } = {},
): Promise<{ history: StepMetrics[] }> {
  const { pairs, config } = run;
  const total = config.epochs === null
    ? config.steps
    : Math.max(1, Math.ceil((config.epochs * pairs.length) / config.batchPairs));
  const rng = createPrng(config.seed + 1);
  let cursor = { epoch: 0, index: 0 };
  const history: StepMetrics[] = [];
  let badSteps = 0;
  for (let step = 0; step < total; step++) {
    const next = nextBatch(pairs, { cursor, batch: config.batchPairs, seed: config.seed });
    cursor = next.cursor;
    const result = await stepOrDiverge(
      () =>
        pairwiseGrpoStep(policy, {
          pairs: next.batch,
          config,
          lr: learningRate(config, { step, total }),
          rng,
        }),
      { step: step + 1, what: "pairwise baseline" },
    );
    const metrics = { ...result.metrics, step: step + 1 };
    history.push(metrics);
    await callbacks.onStep?.(step + 1, metrics);
    badSteps = result.skippedUpdates > 0 ? badSteps + 1 : 0;
    if (badSteps >= config.maxBadSteps) {
      throw new TrainingDivergedError(
        `pairwise baseline stopped at step ${step + 1}: ${badSteps} consecutive steps with a ` +
          `NaN/Inf loss or gradient (--max-bad-steps ${config.maxBadSteps}); ` +
          "try a lower --lr or --grad-clip",
      );
    }
  }
  return { history };
}
