import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { testOnBackends } from "./_testing.ts";
import { presetConfig } from "./config.ts";
import { completionLogProbs, packCompletions } from "./logprobs.ts";
import { copyParams, disposeParams, initParams } from "./params.ts";
import { generate, generateUncached } from "./sample.ts";
import { BOS_ID, encode } from "./tokenizer.ts";

const config = presetConfig("tiny");

testOnBackends("no tensor leaks across 20 training steps and 20 generations", async () => {
  const params = initParams(config, createPrng(1));
  const reference = copyParams(params);
  const optimizer = tf.train.adam(1e-3);
  const prompts = [[BOS_ID, ...encode("leak?")], [BOS_ID]];
  const { tokens, mask } = packCompletions([
    { prompt: prompts[0], completion: encode("no") },
    { prompt: prompts[1], completion: encode("none") },
  ]);
  // GRPO-shaped step: policy log-probs, frozen reference log-probs, a loss, an update.
  const step = () =>
    optimizer.minimize(() => {
      const logProbs = completionLogProbs({ params, config }, { tokens, mask });
      const refLogProbs = completionLogProbs({ params: reference, config }, { tokens, mask });
      return tf.mean(
        tf.add(tf.neg(logProbs), tf.mul(0.01, tf.square(tf.sub(logProbs, refLogProbs)))),
      ) as tf.Scalar;
    }, true)!.dispose();
  const rng = createPrng(2);
  step(); // optimizer slots are created on the first step
  await generate({ params, config }, { prompts, maxNewTokens: 6, rollouts: 2, rng });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) step();
  assertEquals(tf.memory().numTensors, before, "after 20 training steps");
  for (let i = 0; i < 20; i++) {
    await generate({ params, config }, { prompts, maxNewTokens: 6, rollouts: 2, rng });
  }
  await generateUncached({ params, config }, { prompts, maxNewTokens: 4, greedy: true });
  assertEquals(tf.memory().numTensors, before, "after 20 generations");
  optimizer.dispose();
  tf.dispose([tokens, mask]);
  disposeParams(params);
  disposeParams(reference);
});
