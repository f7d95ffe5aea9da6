/**
 * The IRPM training loop: batches -> {@link irpmStep} -> metrics, with evaluation, samples and
 * checkpoints on their schedules, NaN/Inf steps skipped and counted, a stop with a
 * {@link TrainingDivergedError} as soon as an update makes the weights NaN/Inf (before any
 * evaluation or checkpoint of them), and everything that touches files passed in as callbacks
 * (the CLI writes the run directory).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { warmupCosineLr } from "../grpo/schedule.ts";
import { createPrng, prngFromState } from "../rng/prng.ts";
import type { TrainConfig } from "./config.ts";
import { type DataCursor, nextBatch, type TrainData } from "./data.ts";
import { evaluatePairs, type PairEvaluation } from "./evaluate.ts";
import { stepOrDiverge, TrainingDivergedError } from "./divergence.ts";
import { irpmStep, type PolicyState, type RolloutSample, type StepMetrics } from "./step.ts";

export { TrainingDivergedError } from "./divergence.ts";

/** Where a run is: everything a checkpoint must hold besides tensors. */
export interface LoopState {
  /** Steps completed. */
  step: number;
  cursor: DataCursor;
  /** Sampling PRNG state. */
  prngState: number[];
  consecutiveBadSteps: number;
}

/** Side effects of the loop, supplied by the caller. */
export interface TrainerCallbacks {
  onStep?(step: number, metrics: StepMetrics): void | Promise<void>;
  onSamples?(step: number, samples: RolloutSample[]): void | Promise<void>;
  onEval?(step: number, evaluation: PairEvaluation): void | Promise<void>;
  onSkip?(step: number, reason: string): void | Promise<void>;
  /** Called after steps on the checkpoint schedule and at the end. */
  onCheckpoint?(state: Readonly<LoopState>): void | Promise<void>;
}

/**
 * The state a fresh run starts from: step 0, the first batch, and the sampling PRNG seeded with
 * `seed + 1` (the data order uses `seed`).
 *
 * @example
 * ```ts
 * import { freshLoopState } from "./trainer.ts";
 * import { assertEquals } from "@std/assert";
 * const s = freshLoopState(0);
 * assertEquals([s.step, s.cursor, s.consecutiveBadSteps], [0, { epoch: 0, index: 0 }, 0]);
 * assertEquals(freshLoopState(0).prngState, s.prngState); // deterministic
 * ```
 */
export function freshLoopState(seed: number): LoopState {
  return {
    step: 0,
    cursor: { epoch: 0, index: 0 },
    prngState: createPrng(seed + 1).state(),
    consecutiveBadSteps: 0,
  };
}

/** Total optimizer steps of a config over a training set. */
export function totalSteps(config: Readonly<TrainConfig>, trainPairs: number): number {
  return config.epochs === null
    ? config.steps
    : Math.max(1, Math.ceil((config.epochs * trainPairs) / config.batchPairs));
}

/**
 * Learning rate at a step of any recipe with a peak lr, warm-up and cosine floor (IRPM, the
 * warm-starts, the baselines): linear warm-up then cosine, warm-up capped below the total.
 */
export function learningRate(
  config: Readonly<Pick<TrainConfig, "lr" | "warmupSteps" | "minLrRatio">>,
  at: { step: number; total: number },
): number {
  const { step, total } = at;
  return warmupCosineLr(step, {
    peakLr: config.lr,
    warmupSteps: Math.min(config.warmupSteps, total - 1),
    totalSteps: total,
    minLrRatio: config.minLrRatio,
  });
}

/** Evaluates the held-out pairs with the current policy (greedy). */
export function evaluatePolicy(
  policy: PolicyState,
  run: { data: TrainData; config: Readonly<TrainConfig> },
): Promise<PairEvaluation> {
  const { data, config } = run;
  return evaluatePairs(policy, data.test.slice(0, config.evalPairs), {
    maxNewTokens: config.maxNewTokens,
  });
}

/**
 * Runs from `state.step` to the configured total. Evaluates at step 0 when starting fresh (the
 * warm-start baseline), every `evalEvery` steps and at the end. Throws a
 * {@link TrainingDivergedError} after `maxBadSteps` consecutive skipped steps, or at once when an
 * update makes the weights NaN/Inf (then neither `onStep`, `onEval` nor `onCheckpoint` is called
 * for that step).
 */
export async function trainLoop(
  policy: PolicyState,
  run: { data: TrainData; config: Readonly<TrainConfig>; state: LoopState },
  callbacks: TrainerCallbacks = {},
): Promise<LoopState> {
  const { data, config, state } = run;
  const total = totalSteps(config, data.train.length);
  const rng = prngFromState(state.prngState);
  if (state.step === 0 && config.evalEvery >= 0) {
    await callbacks.onEval?.(0, await evaluatePolicy(policy, { data, config }));
  }
  const stopAt = Math.min(total, config.stopAfter ?? total);
  // A resumed run starts from its checkpoint; a fresh one has none yet.
  let lastCheckpoint: number | null = state.step > 0 ? state.step : null;
  while (state.step < stopAt) {
    const { batch, cursor } = nextBatch(data.train, {
      cursor: state.cursor,
      batch: config.batchPairs,
      seed: config.seed,
    });
    const lr = learningRate(config, { step: state.step, total });
    const before = tf.memory().numTensors;
    const result = await stepOrDiverge(
      () => irpmStep(policy, { pairs: batch, config, lr, rng }),
      { step: state.step + 1, lastCheckpoint },
    );
    const leaked = tf.memory().numTensors - before;
    state.step++;
    state.cursor = cursor;
    state.prngState = rng.state();
    const metrics: StepMetrics = {
      ...result.metrics,
      step: state.step,
      epoch: cursor.epoch + cursor.index / data.train.length,
    };
    if (leaked !== 0) metrics.tensor_delta = leaked;
    await callbacks.onStep?.(state.step, metrics);
    if (result.skippedUpdates > 0) {
      state.consecutiveBadSteps++;
      await callbacks.onSkip?.(
        state.step,
        `non-finite loss or gradient (loss ${metrics.loss}, grad_norm ${metrics.grad_norm}); update skipped`,
      );
      if (state.consecutiveBadSteps >= config.maxBadSteps) {
        throw new TrainingDivergedError(
          `training stopped at step ${state.step}: ${state.consecutiveBadSteps} consecutive steps ` +
            `with a NaN/Inf loss or gradient (--max-bad-steps ${config.maxBadSteps}); ` +
            `try a lower --lr or --grad-clip`,
        );
      }
    } else {
      state.consecutiveBadSteps = 0;
    }
    if (config.sampleEvery > 0 && state.step % config.sampleEvery === 0) {
      await callbacks.onSamples?.(state.step, result.samples);
    }
    const last = state.step === total;
    if (last || (config.evalEvery > 0 && state.step % config.evalEvery === 0)) {
      await callbacks.onEval?.(state.step, await evaluatePolicy(policy, { data, config }));
    }
    const stopping = state.step === stopAt;
    if (stopping || (config.checkpointEvery > 0 && state.step % config.checkpointEvery === 0)) {
      await callbacks.onCheckpoint?.(state);
      lastCheckpoint = state.step;
    }
  }
  return state;
}
