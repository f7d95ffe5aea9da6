/**
 * Helpers shared by the training tests (not part of the public API): a model smaller than the
 * `tiny` preset, a fast run config, and a model taught just enough of the judge format to write
 * valid judgments most of the time (a random model never does, so every reward would be the
 * format penalty and every advantage 0).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreferencePair } from "../data/types.ts";
import { adamwDispose, adamwInit } from "../grpo/adamw.ts";
import { type ModelConfig, modelConfig } from "../model/config.ts";
import { packCompletions } from "../model/logprobs.ts";
import { copyParams, disposeParams, initParams, type TrainableParams } from "../model/params.ts";
import { encode, VOCAB_SIZE } from "../model/tokenizer.ts";
import { createPrng } from "../rng/prng.ts";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from "./config.ts";
import { judgePromptTokens } from "./judge.ts";
import { optimizerStep } from "./optimize.ts";
import type { PolicyState } from "./step.ts";
import { supervisedLoss } from "./supervised.ts";

/** Width 16, one block: half the `tiny` preset's width, for fast tests. */
export const TEST_MODEL: Required<ModelConfig> = modelConfig({
  vocabSize: VOCAB_SIZE,
  width: 16,
  depth: 1,
  heads: 2,
  contextLength: 64,
});

/** A run config for tests: small batches, G = 2, short generations, no warm-start. */
export function testConfig(overrides: Partial<TrainConfig> = {}): Readonly<TrainConfig> {
  return Object.freeze({
    ...DEFAULT_TRAIN_CONFIG,
    preset: "tiny",
    warmStart: "off",
    groupSize: 2,
    batchPairs: 2,
    maxNewTokens: 12,
    trainSize: 60,
    testSize: 8,
    evalPairs: 4,
    lr: 1e-2,
    warmupSteps: 1,
    ...overrides,
  });
}

/** A policy on `params` with a frozen reference (a copy of `reference`, default `params`). */
export function testPolicy(
  params: TrainableParams,
  reference: TrainableParams = params,
): PolicyState {
  return {
    params,
    reference: copyParams(reference),
    config: TEST_MODEL,
    optimizer: adamwInit(params),
  };
}

/** Frees a policy's params, reference and optimizer state. */
export function disposePolicy(policy: PolicyState): void {
  disposeParams(policy.params);
  disposeParams(policy.reference);
  adamwDispose(policy.optimizer);
}

/**
 * Random {@link TEST_MODEL} params overfit for `steps` AdamW steps on 8 examples whose target is
 * `<critique></critique><score>d</score>` with a random digit d. Afterwards the model writes a
 * valid judgment for most judge prompts (about 85% at temperature 1 with 40 steps), with scores
 * that vary from rollout to rollout: rewards and advantages are then not all equal.
 * `completion` replaces the target's token ids (given the digit).
 */
export async function formatTrainedParams(
  pairs: readonly PreferencePair[],
  options: { seed?: number; steps?: number; completion?: (digit: number) => number[] } = {},
): Promise<TrainableParams> {
  const {
    seed = 1,
    steps = 40,
    completion = (d: number) => encode(`<critique></critique><score>${d}</score>`),
  } = options;
  const rng = createPrng(seed + 1000);
  const examples = pairs.slice(0, 4).flatMap((p) =>
    [p.chosen, p.rejected].map((response) => ({
      prompt: judgePromptTokens({ context: p.context, response }, 52).tokens,
      completion: completion(rng.int(10)),
    }))
  );
  const params = initParams(TEST_MODEL, createPrng(seed));
  let optimizer = adamwInit(params);
  const batch = packCompletions(examples);
  for (let i = 0; i < steps; i++) {
    const result = await optimizerStep({ params }, {
      state: optimizer,
      lossFn: () => supervisedLoss({ params, config: TEST_MODEL }, batch),
      lr: 3e-2,
      weightDecay: 0,
      gradClip: 1,
    });
    optimizer = result.state;
  }
  tf.dispose([batch.tokens, batch.mask]);
  adamwDispose(optimizer);
  return params;
}

/** Copies of every parameter's values, by name. */
export async function snapshot(
  params: Readonly<Record<string, tf.Tensor>>,
): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(params)) {
    out[name] = Float32Array.from(await p.data() as Float32Array);
  }
  return out;
}
