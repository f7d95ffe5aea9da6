import * as tf from "@tensorflow/tfjs-core";
import { assertAlmostEquals, assertEquals, assertGreater, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { assertClose, testOnBackends } from "./_testing.ts";
import { presetConfig } from "./config.ts";
import {
  completionLogProbs,
  completionLogProbsAndEntropy,
  packCompletions,
  tokenLogProbs,
} from "./logprobs.ts";
import { disposeParams, initParams } from "./params.ts";
import { generate } from "./sample.ts";
import { BOS_ID, encode } from "./tokenizer.ts";
import { forward } from "./transformer.ts";

const config = presetConfig("tiny");
const V = config.vocabSize;

/** Plain-JS log-softmax and entropy of one logits row (float64). */
function direct(row: ArrayLike<number>, target: number): { logProb: number; entropy: number } {
  const max = Math.max(...Array.from(row));
  const exps = Array.from(row, (l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  const logProbs = Array.from(row, (l) => l - max - Math.log(total));
  const entropy = -logProbs.reduce((h, lp) => h + Math.exp(lp) * lp, 0);
  return { logProb: logProbs[target], entropy };
}

testOnBackends(
  "completionLogProbs: equal a direct JS softmax of forward's logits, aligned and masked",
  async () => {
    const params = initParams(config, createPrng(1));
    const { tokens, mask } = packCompletions([
      { prompt: [BOS_ID, ...encode("ab")], completion: encode("xyz") },
      { prompt: [BOS_ID], completion: encode("hello") },
    ]);
    const { logProbs, entropy } = completionLogProbsAndEntropy({ params, config }, {
      tokens,
      mask,
    });
    assertEquals(logProbs.shape, [2, 6]);
    const logits = await forward({ params, config }, tokens).data();
    const ids = await tokens.data(), flags = await mask.data();
    const [got, gotH] = [await logProbs.data(), await entropy!.data()];
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 6; t++) {
        const i = b * 6 + t;
        if (flags[i] === 0) {
          assertEquals([Math.abs(got[i]), Math.abs(gotH[i])], [0, 0]); // masked (may be -0)
          continue;
        }
        const want = direct(logits.slice((i - 1) * V, i * V), ids[i]); // position t-1 predicts token t
        assertAlmostEquals(got[i], want.logProb, 1e-4);
        assertAlmostEquals(gotH[i], want.entropy, 1e-4);
      }
    }
    const only = await completionLogProbs({ params, config }, { tokens, mask }).data();
    assertClose(only, got, { tolerance: 0 });
    tf.dispose([tokens, mask, logProbs, entropy!]);
    disposeParams(params);
  },
);

testOnBackends(
  "completionLogProbs: equal the sampler's log-probs (cached, left-padded generation)",
  async () => {
    const params = initParams(config, createPrng(2));
    const prompts = [[BOS_ID, ...encode("q: 1+1")], [BOS_ID, ...encode("hi")]];
    // temperature 0.7: log-probs are still the model's untempered ones
    const rollouts = await generate({ params, config }, {
      prompts,
      maxNewTokens: 8,
      rollouts: 2,
      temperature: 0.7,
      rng: createPrng(5),
    });
    const rows = rollouts.map((r) => ({
      prompt: prompts[r.prompt],
      completion: r.tokens,
      logProbs: r.logProbs,
    }));
    const { tokens, mask, logProbs: sampled } = packCompletions(rows);
    const recomputed = completionLogProbs({ params, config }, { tokens, mask });
    assertClose(await recomputed.data(), await sampled!.data(), {
      tolerance: 1e-4,
      what: "recomputed vs sampled",
    });
    const completionTokens = rollouts.reduce((n, r) => n + r.tokens.length, 0);
    assertEquals(Array.from(await mask.data()).reduce((a, f) => a + f, 0), completionTokens);
    tf.dispose([tokens, mask, recomputed, sampled!]);
    disposeParams(params);
  },
);

testOnBackends("tokenLogProbs: gradient is onehot - softmax (d/dl log p_y)", async () => {
  const logits = tf.tensor2d([[1, 2, 3], [0, 0, 0]]);
  const targets = tf.tensor1d([2, 0], "int32");
  const grad = tf.grad((l: tf.Tensor) => tf.sum(tokenLogProbs(l as tf.Tensor2D, targets)))(logits);
  // softmax([1,2,3]) = [0.09003, 0.24473, 0.66524]; uniform row: 1/3 each
  assertClose(await grad.data(), [-0.09003, -0.24473, 1 - 0.66524, 2 / 3, -1 / 3, -1 / 3], {
    tolerance: 1e-4,
  });
  tf.dispose([logits, targets, grad]);
});

testOnBackends("completionLogProbs: gradients reach the parameters", async () => {
  const params = initParams(config, createPrng(3));
  const { tokens, mask } = packCompletions([{ prompt: [BOS_ID], completion: encode("ok!") }]);
  const { value, grads } = tf.variableGrads(
    () => tf.sum(completionLogProbs({ params, config }, { tokens, mask })) as tf.Scalar,
    Object.values(params),
  );
  const g = await grads[params["blocks.0.attention.qkv.weight"].name].data();
  assertGreater(Math.max(...g.map(Math.abs)), 0);
  tf.dispose([value, ...Object.values(grads), tokens, mask]);
  disposeParams(params);
});

Deno.test("packCompletions / completionLogProbs: bad shapes throw", () => {
  const params = initParams(config, createPrng(4));
  assertThrows(
    () => packCompletions([{ prompt: [1], completion: [3, 4], logProbs: [-1] }]),
    RangeError,
    "row 0: 1 logProbs for 2 completion tokens",
  );
  assertThrows(
    () => packCompletions([{ prompt: [1, 2], completion: [3] }], { length: 2 }),
    RangeError,
    "longest row (3)",
  );
  const tokens = tf.zeros([2, 4], "int32") as tf.Tensor2D, mask = tf.zeros([2, 3]) as tf.Tensor2D;
  assertThrows(() => completionLogProbs({ params, config }, { tokens, mask }), RangeError, "[2,3]");
  tf.dispose([tokens, mask]);
  disposeParams(params);
});
