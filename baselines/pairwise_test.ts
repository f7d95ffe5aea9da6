import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertRejects,
} from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { syntheticSuite } from "../data/synthetic/suite.ts";
import type { PreferencePair } from "../data/types.ts";
import { adamwInit } from "../grpo/adamw.ts";
import { initBackend } from "../model/backend.ts";
import { presetConfig } from "../model/config.ts";
import { copyParams, disposeParams, initParams } from "../model/params.ts";
import { encode } from "../model/tokenizer.ts";
import { createPrng } from "../rng/prng.ts";
import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
import { loadTrainData } from "../train/data.ts";
import { TrainingDivergedError } from "../train/divergence.ts";
import { pairwisePromptTokens, pairwiseTarget } from "./pairwise_format.ts";
import { DEFAULT_PAIRWISE_WARMSTART, pairwiseWarmStart, trainPairwiseGrm } from "./pairwise_grm.ts";
import { PAIRWISE_MAX_NEW_TOKENS } from "./pairwise_judge.ts";
import { pairwiseGrpoStep } from "./pairwise_step.ts";

const tiny = presetConfig("tiny");

Deno.test("pairwise format: question + both responses + critique + verdict fit 64 tokens", () => {
  const rng = createPrng(0);
  let longestPrompt = 0, longestCompletion = 0;
  for (const row of syntheticSuite({ seed: 5, size: 5000 })) {
    const c = { context: row.context, first: row.response1, second: row.response2 };
    const prompt = pairwisePromptTokens(c, 1000);
    assertEquals(prompt.truncated, false);
    longestPrompt = Math.max(longestPrompt, prompt.tokens.length);
    const target = encode(
      pairwiseTarget(row, { first: row.response1, second: row.response2, rng }),
    );
    longestCompletion = Math.max(longestCompletion, target.length);
  }
  // Worst cases derived in pairwise_format.ts: 37 prompt tokens (BOS + 36), 23 completion tokens.
  assert(longestPrompt <= 37 && longestCompletion <= 23, `${longestPrompt} + ${longestCompletion}`);
  assert(longestCompletion <= PAIRWISE_MAX_NEW_TOKENS);
  assert(longestPrompt + PAIRWISE_MAX_NEW_TOKENS <= tiny.contextLength);
});

function step(
  policy: Parameters<typeof pairwiseGrpoStep>[0],
  pairs: readonly PreferencePair[],
) {
  const config = { ...DEFAULT_TRAIN_CONFIG, groupSize: 4, weightDecay: 0.01, lr: 1e-3 };
  return pairwiseGrpoStep(policy, { pairs, config, lr: 1e-3, rng: createPrng(11) });
}

Deno.test("pairwiseGrpoStep: no verdicts -> reward -1.5 everywhere, zero advantages, only weight decay", async () => {
  await initBackend("wasm");
  const params = initParams(tiny, createPrng(0)); // random: never writes a verdict
  const policy = {
    params,
    reference: copyParams(params),
    config: tiny,
    optimizer: adamwInit(params),
  };
  const pairs = (await loadTrainData({ ...DEFAULT_TRAIN_CONFIG, trainSize: 40, testSize: 2 })).train
    .slice(0, 3);
  const before = Array.from(await params["blocks.0.mlp.hidden.weight"].data());
  const tensors = tf.memory().numTensors;
  const { metrics } = await step(policy, pairs);
  assertEquals(tf.memory().numTensors, tensors); // the step frees what it creates
  assertEquals([
    metrics.reward,
    metrics.format_violation_rate,
    metrics.frac_reward_zero_std,
  ], [-1.5, 1, 1]);
  // All advantages are 0 and the KL to an identical reference has zero gradient, so AdamW only
  // decays: w' = w (1 - lr * weightDecay).
  const after = Array.from(await params["blocks.0.mlp.hidden.weight"].data());
  after.forEach((w, i) => assertAlmostEquals(w, before[i] * (1 - 1e-3 * 0.01), 1e-7));
  disposeParams(params);
  disposeParams(policy.reference);
});

Deno.test("pairwise warm-start teaches the format; then a GRPO step on mixed rewards updates the policy", async () => {
  await initBackend("wasm");
  const params = initParams(tiny, createPrng(0));
  const { history } = await pairwiseWarmStart({ params, config: tiny }, {
    ...DEFAULT_PAIRWISE_WARMSTART,
    steps: 150,
    batchSize: 16,
    lr: 3e-3,
    trainRows: 500,
    testRows: 10,
  });
  // Measured: token NLL 4.63 -> ~1.05 (ln 104 = 4.64 is a uniform guess over the vocabulary).
  assertGreater(history[0], 4.4);
  assertLess(history.at(-1)!, 1.6);
  const policy = {
    params,
    reference: copyParams(params),
    config: tiny,
    optimizer: adamwInit(params),
  };
  const pairs = (await loadTrainData({ ...DEFAULT_TRAIN_CONFIG, trainSize: 200, testSize: 2 }))
    .train.slice(0, 8);
  const before = Array.from(await params["blocks.0.mlp.hidden.weight"].data());
  const { metrics } = await step(policy, pairs);
  assertLess(metrics.format_violation_rate, 0.9); // some rollouts write a verdict
  assertLess(metrics.frac_reward_zero_std, 1); // so some groups have a signal
  assert(Number.isFinite(metrics.loss) && metrics.skipped_updates === 0);
  const after = Array.from(await params["blocks.0.mlp.hidden.weight"].data());
  const moved = after.filter((w, i) => Math.abs(w - before[i] * (1 - 1e-5)) > 1e-6).length;
  assertGreater(moved, after.length / 10); // a real gradient step, not just decay
  disposeParams(params);
  disposeParams(policy.reference);
});

Deno.test("pairwise baseline: an update that makes the weights NaN/Inf stops either phase", async () => {
  await initBackend("wasm");
  const params = initParams(tiny, createPrng(0));
  try {
    // lr 1e308 is Infinity in float32: the first update makes the weights NaN/Inf.
    await assertRejects(
      () =>
        pairwiseWarmStart({ params, config: tiny }, {
          ...DEFAULT_PAIRWISE_WARMSTART,
          steps: 3,
          batchSize: 4,
          lr: 1e308,
          trainRows: 20,
          testRows: 4,
        }),
      TrainingDivergedError,
      "pairwise format warm-start stopped: weights became non-finite at step 1 (params/",
    );
  } finally {
    disposeParams(params);
  }
  const fresh = initParams(tiny, createPrng(1));
  const policy = {
    params: fresh,
    reference: copyParams(fresh),
    config: tiny,
    optimizer: adamwInit(fresh),
  };
  try {
    const pairs = (await loadTrainData({ ...DEFAULT_TRAIN_CONFIG, trainSize: 200, testSize: 2 }))
      .train;
    await assertRejects(
      () =>
        trainPairwiseGrm(policy, {
          pairs,
          config: {
            ...DEFAULT_TRAIN_CONFIG,
            steps: 3,
            batchPairs: 1,
            groupSize: 2,
            lr: 1e308,
            warmupSteps: 0,
          },
        }),
      TrainingDivergedError,
      "pairwise baseline stopped: weights became non-finite at step 1 (params/",
    );
  } finally {
    disposeParams(fresh);
    disposeParams(policy.reference);
  }
});
