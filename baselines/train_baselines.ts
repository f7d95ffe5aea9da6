/**
 * Both baselines trained from one IRPM `TrainConfig`, so a comparison uses the same pairs, batch
 * size, step budget, learning rate, schedule, weight decay and clipping for every judge, starting
 * from the same body (normally the pointwise warm-start).
 *
 * @module
 */
import type { PreferencePair } from "../data/types.ts";
import { adamwDispose } from "../grpo/adamw.ts";
import type { ModelConfig } from "../model/config.ts";
import { disposeParams, type TrainableParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import type { TrainConfig } from "../train/config.ts";
import type { StepMetrics } from "../train/step.ts";
import { startingPolicy } from "../train/policy_state.ts";
import type { JudgeModel } from "./judge_checkpoint.ts";
import {
  DEFAULT_PAIRWISE_WARMSTART,
  pairwiseWarmStart,
  type PairwiseWarmStartConfig,
  trainPairwiseGrm,
} from "./pairwise_grm.ts";
import {
  DEFAULT_SCALAR_BT_CONFIG,
  type ScalarBtConfig,
  scalarBtModel,
  trainScalarBt,
} from "./scalar_bt.ts";

/**
 * The scalar B-T settings of an IRPM config: its steps, batch, lr, schedule, decay, clip,
 * bad-step limit, seed.
 *
 * @example
 * ```ts
 * import { scalarBtConfigFrom } from "./train_baselines.ts";
 * import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
 * import { assertEquals } from "@std/assert";
 * const c = scalarBtConfigFrom({ ...DEFAULT_TRAIN_CONFIG, steps: 7, batchPairs: 3 });
 * assertEquals([c.steps, c.batchPairs, c.lr, c.margin], [7, 3, DEFAULT_TRAIN_CONFIG.lr, 0]);
 * ```
 */
export function scalarBtConfigFrom(
  config: Readonly<TrainConfig>,
  overrides: Partial<ScalarBtConfig> = {},
): ScalarBtConfig {
  return {
    ...DEFAULT_SCALAR_BT_CONFIG,
    steps: config.steps,
    batchPairs: config.batchPairs,
    lr: config.lr,
    warmupSteps: config.warmupSteps,
    minLrRatio: config.minLrRatio,
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
    maxBadSteps: config.maxBadSteps,
    seed: config.seed,
    ...overrides,
  };
}

/** A trained baseline and how long it took. */
export interface TrainedBaseline {
  readonly model: JudgeModel;
  readonly seconds: number;
  readonly history: Record<string, number>[];
}

/** Scalar B-T on `pairs` from `body` (whose variables become the model's: not copied). */
export async function trainScalarBaseline(
  body: { params: TrainableParams; config: Required<ModelConfig> },
  run: { pairs: readonly PreferencePair[]; config: Readonly<TrainConfig> },
  options: {
    overrides?: Partial<ScalarBtConfig>;
    onStep?: (step: number, m: StepMetrics) => void;
  } = {},
): Promise<TrainedBaseline> {
  const { pairs, config } = run;
  const started = performance.now();
  const model = scalarBtModel(body, createPrng(config.seed + 31));
  const { optimizer, history } = await trainScalarBt(model, {
    pairs,
    config: scalarBtConfigFrom(config, options.overrides),
  }, { onStep: options.onStep });
  adamwDispose(optimizer);
  return { model, seconds: (performance.now() - started) / 1000, history };
}

/**
 * Pairwise GRM on `pairs` from `body` (variables reused): the format warm-start, then GRPO with
 * the same config as IRPM; the frozen reference is the model after the format warm-start.
 */
export async function trainPairwiseBaseline(
  body: { params: TrainableParams; config: Required<ModelConfig> },
  run: { pairs: readonly PreferencePair[]; config: Readonly<TrainConfig> },
  options: {
    warmStart?: Readonly<PairwiseWarmStartConfig>;
    onWarmStartStep?: (step: number, loss: number) => void;
    onStep?: (step: number, m: StepMetrics) => void;
  } = {},
): Promise<TrainedBaseline> {
  const { config } = run;
  const started = performance.now();
  const recipe = options.warmStart ?? { ...DEFAULT_PAIRWISE_WARMSTART, seed: config.seed };
  if (recipe.steps > 0) await pairwiseWarmStart(body, recipe, { onStep: options.onWarmStartStep });
  const policy = startingPolicy(body);
  const { history } = await trainPairwiseGrm(policy, run, { onStep: options.onStep });
  disposeParams(policy.reference);
  adamwDispose(policy.optimizer);
  return {
    model: { kind: "pairwise", params: body.params, config: body.config },
    seconds: (performance.now() - started) / 1000,
    history,
  };
}

/** The baselines `deno task train --model` can train, by name. */
export type BaselineName = "scalar-bt" | "pairwise";

/** Progress callbacks shared by the baseline trainers. */
export interface BaselineCallbacks {
  /** Pairwise only: a step of the format warm-start that precedes GRPO. */
  onWarmStartStep?: (step: number, loss: number) => void;
  onStep?: (step: number, m: Record<string, number>) => void;
}

/**
 * Each baseline's trainer with one signature (chosen at the edge by `--model`): the scalar
 * Bradley-Terry head, or the pairwise GRM (format warm-start of
 * {@link DEFAULT_PAIRWISE_WARMSTART} steps, seeded by the config, then GRPO).
 */
export const BASELINE_TRAINERS: Readonly<
  Record<
    BaselineName,
    (
      body: { params: TrainableParams; config: Required<ModelConfig> },
      run: { pairs: readonly PreferencePair[]; config: Readonly<TrainConfig> },
      callbacks?: BaselineCallbacks & { pairwiseWarmStartSteps?: number },
    ) => Promise<TrainedBaseline>
  >
> = Object.freeze({
  "scalar-bt": (body, run, callbacks = {}) =>
    trainScalarBaseline(body, run, { onStep: callbacks.onStep }),
  pairwise: (body, run, callbacks = {}) =>
    trainPairwiseBaseline(body, run, {
      warmStart: {
        ...DEFAULT_PAIRWISE_WARMSTART,
        seed: run.config.seed,
        steps: callbacks.pairwiseWarmStartSteps ?? DEFAULT_PAIRWISE_WARMSTART.steps,
      },
      onWarmStartStep: callbacks.onWarmStartStep,
      onStep: callbacks.onStep,
    }),
});
