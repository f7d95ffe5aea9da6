/**
 * Gradient tests: exact gradients of the loss pieces, and GRPO steps on a toy policy.
 *
 * tfjs-core registers no gradient functions by itself; `model/gradients.ts` registers them all.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "../model/gradients.ts";
import { assert, assertAlmostEquals, assertEquals, assertGreater, assertLess } from "@std/assert";
import { createPrng, type Prng } from "../rng/prng.ts";
import { adamwDispose, adamwInit, adamwUpdate } from "./adamw.ts";
import { lossAggregations } from "./aggregate.ts";
import { grpoLoss, type GrpoLossOptions, type GrpoLossResult } from "./grpo_loss.ts";
import { klK1, klK2, klK3 } from "./kl.ts";
import { ppoClipLoss } from "./policy_loss.ts";

await tf.setBackend("cpu");

function assertAllClose(t: tf.Tensor, expected: number[][], tol = 1e-5): void {
  const actual = t.arraySync() as number[][];
  actual.forEach((row, b) =>
    row.forEach((a, i) =>
      assertAlmostEquals(a, expected[b][i], tol, `[${b}, ${i}]: ${a} vs ${expected[b][i]}`)
    )
  );
}

Deno.test("ppoClipLoss gradient: -A r where unclipped, 0 where either clip is active", () => {
  // d(-A r)/dlogp = -A r (r = exp(logp - old)). Same ratios and advantages as policy_loss_test:
  // row 0 (A = +1): r 1.5 clipped -> 0; r 0.5 -> -0.5; r 1.1 -> -1.1
  // row 1 (A = -1): r 0.5 clipped low -> 0; r 1.5 -> +1.5; r 4 dual-clipped -> 0 (without: +4)
  // row 2 (A = +2): r 4 clipped -> 0; r 1 -> -2; r 0.9 -> -1.8
  const logp = tf.log(tf.tensor2d([[1.5, 0.5, 1.1], [0.5, 1.5, 4], [4, 1, 0.9]])) as tf.Tensor2D;
  const old = tf.zerosLike(logp);
  const adv = tf.tensor1d([1, -1, 2]);
  const grad = (dualClip: number | null) =>
    tf.grad((x: tf.Tensor) =>
      tf.sum(
        ppoClipLoss({ logProbs: x as tf.Tensor2D, oldLogProbs: old, advantages: adv }, { dualClip })
          .loss,
      )
    )(
      logp,
    );
  assertAllClose(grad(3), [[0, -0.5, -1.1], [0, 1.5, 0], [0, -2, -1.8]]);
  assertAllClose(grad(null), [[0, -0.5, -1.1], [0, 1.5, 4], [0, -2, -1.8]]);
});

Deno.test("KL gradients: k1 -> 1, k2 -> logp - ref, k3 -> 1 - exp(ref - logp), 0 where clamped", () => {
  // logp - ref = [ln 2, -ln 2, 0, 5, -200]: k3 grads [1 - 1/2, 1 - 2, 0, 1 - e^-5, 0 (clamped)]
  const logp = tf.tensor2d([[Math.LN2, -Math.LN2, 0, 5, -200]]);
  const ref = tf.zerosLike(logp);
  const g = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) =>
    tf.grad((x: tf.Tensor) => tf.sum(f(x as tf.Tensor2D, ref)))(logp);
  assertAllClose(g(klK1), [[1, 1, 1, 1, 1]]);
  assertAllClose(g(klK2), [[Math.LN2, -Math.LN2, 0, 5, -200]], 1e-4);
  assertAllClose(g(klK3), [[0.5, -1, 0, 1 - Math.exp(-5), 0]]);
  // the reference is a constant: passing the policy's own log-probs as ref stops there too
  const self = tf.grad((x: tf.Tensor) => tf.sum(klK1(x as tf.Tensor2D, x as tf.Tensor2D)))(logp);
  assertAllClose(self, [[1, 1, 1, 1, 1]]);
});

Deno.test("aggregation gradients: mask / count on completion tokens, exactly 0 on (NaN) padding", () => {
  const loss = tf.tensor2d([[1, 1, 1, 1, NaN], [5, Infinity, 100, -7, NaN]]);
  const mask = tf.tensor2d([[1, 1, 1, 1, 0], [1, 0, 0, 0, 0]]);
  const g = (name: keyof typeof lossAggregations) =>
    tf.grad((x: tf.Tensor) => lossAggregations[name](x as tf.Tensor2D, mask))(loss);
  const q = 0.2; // token-mean: 1 / 5 completion tokens
  assertAllClose(g("token-mean"), [[q, q, q, q, 0], [q, 0, 0, 0, 0]]);
  // seq-mean-token-mean: 1 / (B * n_b) = 1/8 in row 0, 1/2 in row 1
  assertAllClose(g("seq-mean-token-mean"), [[0.125, 0.125, 0.125, 0.125, 0], [0.5, 0, 0, 0, 0]]);
  // seq-mean-token-sum-norm: 1 / (B * T) = 1/10 everywhere on completion tokens
  assertAllClose(g("seq-mean-token-sum-norm"), [[0.1, 0.1, 0.1, 0.1, 0], [0.1, 0, 0, 0, 0]]);
});

// ---- a toy policy: one categorical over 4 tokens, parameterised by a logits variable ----

const VOCAB = 4;
const REWARDED = 2;

/** Log-prob of each sampled token, [B, 1]: one-hot [B, V] times log softmax(logits) [V]. */
function tokenLogProbs(logits: tf.Tensor1D, oneHot: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1, true) as tf.Tensor2D;
}

function sample(probs: ArrayLike<number>, n: number, rng: Prng): number[] {
  return Array.from({ length: n }, () => {
    let u = rng.next(), k = 0;
    while (k < probs.length - 1 && u >= probs[k]) u -= probs[k++];
    return k;
  });
}

function probsOf(logits: tf.Tensor1D): number[] {
  return tf.tidy(() => Array.from(tf.softmax(logits).dataSync()));
}

/** KL(p || uniform) = sum p log(p * V). */
function klToUniform(p: number[]): number {
  return p.reduce((s, pi) => s + (pi > 0 ? pi * Math.log(pi * VOCAB) : 0), 0);
}

/**
 * Runs `steps` on-policy GRPO steps (sample B tokens, one grpoLoss, one AdamW update) and returns
 * the tensor count after each step.
 */
function train(
  logits: tf.Variable<tf.Rank.R1>,
  advantageOf: (token: number) => number,
  o: { steps: number; lr: number; loss: GrpoLossOptions; seed: number },
): number[] {
  const rng = createPrng(o.seed);
  const params = { [logits.name]: logits };
  const refLogits = tf.zeros([VOCAB]) as tf.Tensor1D; // the frozen reference: uniform
  let state = adamwInit(params);
  const counts: number[] = [];
  for (let step = 0; step < o.steps; step++) {
    const actions = sample(probsOf(logits), 32, rng);
    const oneHot = tf.tidy(() =>
      tf.cast(tf.oneHot(tf.tensor1d(actions, "int32"), VOCAB), "float32")
    );
    const oldLogProbs = tf.tidy(() => tokenLogProbs(logits, oneHot as tf.Tensor2D)); // no grad
    const refLogProbs = tf.tidy(() => tokenLogProbs(refLogits, oneHot as tf.Tensor2D));
    const advantages = tf.tensor1d(actions.map(advantageOf));
    const mask = tf.onesLike(oldLogProbs);
    let out: GrpoLossResult | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logProbs = tokenLogProbs(logits, oneHot as tf.Tensor2D);
      out = grpoLoss({ logProbs, oldLogProbs, refLogProbs, advantages, mask }, o.loss);
      Object.values(out).forEach((t) => tf.keep(t)); // keep the metrics past variableGrads' tidy
      return out.loss;
    });
    assert(out !== undefined && Number.isFinite(out.clipFraction.dataSync()[0]));
    state = adamwUpdate(params, { grads, state, lr: o.lr, weightDecay: 0 });
    tf.dispose([value, grads, out, oneHot, oldLogProbs, refLogProbs, advantages, mask]);
    counts.push(tf.memory().numTensors);
  }
  adamwDispose(state);
  refLogits.dispose();
  return counts;
}

Deno.test("toy policy: the first GRPO gradient raises the rewarded token's logit", () => {
  // On-policy (ratio 1, nothing clipped), token-mean over B = 5 samples:
  //   loss = -(1/5) sum_i A_i log p(a_i),   d log p(a) / d logit_k = 1[a = k] - p_k
  //   grad_k = -(1/5) [S_k - p_k sum_i A_i],  S_k = sum of A_i over samples of token k
  // samples [0, 2, 1, 3, 2], A [-1, +1, -1, -1, +1]: sum A = -1, p_k = 0.25;
  //   k = 2: S = 2 -> -(1/5)(2 + 0.25) = -0.45;  k = 0, 1, 3: S = -1 -> -(1/5)(-1 + 0.25) = 0.15
  const logits = tf.variable(tf.zeros([VOCAB]) as tf.Tensor1D);
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d([0, 2, 1, 3, 2], "int32"), VOCAB), "float32");
  const oldLogProbs = tf.fill([5, 1], Math.log(0.25)) as tf.Tensor2D;
  const { grads } = tf.variableGrads(() => {
    const logProbs = tokenLogProbs(logits, oneHot as tf.Tensor2D);
    const advantages = tf.tensor1d([-1, 1, -1, -1, 1]);
    return grpoLoss({ logProbs, oldLogProbs, advantages, mask: tf.onesLike(logProbs) }, {
      klCoef: 0,
    }).loss;
  });
  const g = Array.from(grads[logits.name].dataSync());
  [0.15, 0.15, -0.45, 0.15].forEach((x, k) => assertAlmostEquals(g[k], x, 1e-6));
  // the mask above is built from the model output on purpose: backprop must not trip over it
  // (tfjs has no gradient for comparison ops). On-policy, logProbs itself may serve as
  // oldLogProbs (its gradient is stopped) and gives the same gradient.
  const shortcut = tf.variableGrads(() => {
    const logProbs = tokenLogProbs(logits, oneHot as tf.Tensor2D);
    const advantages = tf.tensor1d([-1, 1, -1, -1, 1]);
    const mask = tf.ones([5, 1]) as tf.Tensor2D;
    return grpoLoss({ logProbs, oldLogProbs: logProbs, advantages, mask }, { klCoef: 0 }).loss;
  });
  const g2 = Array.from(shortcut.grads[logits.name].dataSync());
  [0.15, 0.15, -0.45, 0.15].forEach((x, k) => assertAlmostEquals(g2[k], x, 1e-6));
  logits.dispose();
});

Deno.test("toy policy: GRPO with AdamW moves probability to the rewarded token, no leaks", () => {
  const logits = tf.variable(tf.zeros([VOCAB]) as tf.Tensor1D);
  const before = probsOf(logits)[REWARDED];
  const counts = train(logits, (a) => (a === REWARDED ? 1 : -1), {
    steps: 15,
    lr: 0.1,
    loss: {},
    seed: 11,
  });
  const after = probsOf(logits)[REWARDED];
  assertAlmostEquals(before, 0.25, 1e-6);
  assertGreater(after, 0.7); // 0.854 with this seed
  assertEquals(counts[counts.length - 1], counts[0]); // flat tensor count across steps
  logits.dispose();
});

Deno.test("toy policy: with zero advantages the KL term pulls the policy back to the reference", () => {
  for (const klEstimator of ["k2", "k3"] as const) {
    const logits = tf.variable(tf.tensor1d([2, 0, 0, -1]));
    const klBefore = klToUniform(probsOf(logits));
    train(logits, () => 0, { steps: 30, lr: 0.1, loss: { klCoef: 1, klEstimator }, seed: 5 });
    const klAfter = klToUniform(probsOf(logits));
    assertGreater(klBefore, 0.5); // 0.585
    assertLess(klAfter, 0.1 * klBefore, `${klEstimator}: KL ${klBefore} -> ${klAfter}`); // ~0.02
    logits.dispose();
  }
  // control: without the KL term nothing moves (zero advantages, zero weight decay)
  const logits = tf.variable(tf.tensor1d([2, 0, 0, -1]));
  const klBefore = klToUniform(probsOf(logits));
  train(logits, () => 0, { steps: 5, lr: 0.1, loss: { klCoef: 0 }, seed: 5 });
  assertAlmostEquals(klToUniform(probsOf(logits)), klBefore, 1e-6);
  logits.dispose();
});
