import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { grpoLoss, grpoLossDefaults, type GrpoLossInputs } from "./grpo_loss.ts";

await tf.setBackend("cpu");

const LN2 = Math.log(2);

function scalar(t: tf.Tensor | undefined): number {
  assert(t !== undefined);
  return t.dataSync()[0];
}

/**
 * Two sequences, T = 3. Row 0 (A = +1) has 3 completion tokens with ratios [1.5, 1, 1]; row 1
 * (A = -1) has 2 with ratios [1, 4] and a padding slot whose old log-prob is NaN.
 * logp - ref = [[ln 2, 0, 0], [0, -ln 2, pad]].
 * Per-token PPO loss (clip 0.2, dual clip 3): row 0 [-1.2, -1, -1], row 1 [1, min(4, 3) = 3].
 * k3 = exp(ref - logp) - (ref - logp) - 1: row 0 [0.5 + ln 2 - 1, 0, 0], row 1 [0, 2 - ln 2 - 1];
 * the two non-zero values sum to exactly 0.5.
 */
function batch(): GrpoLossInputs {
  const logProbs = tf.tensor2d([[-1, -2, -0.5], [-1, -3, -0.7]]);
  const logRatio = tf.tensor2d([[Math.log(1.5), 0, 0], [0, Math.log(4), NaN]]);
  const logpMinusRef = tf.tensor2d([[LN2, 0, 0], [0, -LN2, 0]]);
  return {
    logProbs,
    oldLogProbs: tf.sub(logProbs, logRatio),
    refLogProbs: tf.sub(logProbs, logpMinusRef),
    advantages: tf.tensor1d([1, -1]),
    mask: tf.tensor2d([[1, 1, 1], [1, 1, 0]]),
  };
}

Deno.test("grpoLoss: IRPM defaults (token-mean, k3, klCoef 0.001), every metric by hand", () => {
  const out = grpoLoss(batch());
  // policy: (-1.2 - 1 - 1 + 1 + 3) / 5 = 0.16;  kl: 0.5 / 5 = 0.1;  loss = 0.16 + 0.001 * 0.1
  assertAlmostEquals(scalar(out.policyLoss), 0.16, 1e-6);
  assertAlmostEquals(scalar(out.kl), 0.1, 1e-6);
  assertAlmostEquals(scalar(out.loss), 0.1601, 1e-6);
  // one clipped token (row 0, ratio 1.5) and one dual-clipped (row 1, ratio 4) out of 5
  assertAlmostEquals(scalar(out.clipFraction), 0.2, 1e-6);
  assertAlmostEquals(scalar(out.dualClipFraction), 0.2, 1e-6);
  // approxKl = mean(old - logp) = -(ln 1.5 + ln 4) / 5 = -0.358351893845611
  assertAlmostEquals(scalar(out.approxKl), -0.358351893845611, 1e-6);
});

Deno.test("grpoLoss: the aggregation applies to both the policy and the KL term", () => {
  // seq-mean-token-mean: policy ((-3.2 / 3) + (4 / 2)) / 2 = 0.4666667;
  // kl ((0.1931472 / 3) + (0.3068528 / 2)) / 2 = 0.1089044; klCoef 1
  const seq = grpoLoss(batch(), { aggregation: "seq-mean-token-mean", klCoef: 1 });
  assertAlmostEquals(scalar(seq.policyLoss), 1.4 / 3, 1e-6);
  assertAlmostEquals(scalar(seq.loss), 1.4 / 3 + 0.10890440162000456, 1e-6);
  assertAlmostEquals(scalar(seq.kl), 0.1, 1e-6); // the kl metric is always the token mean
  // seq-mean-token-sum-norm, N = T = 3: ((-3.2 / 3) + (4 / 3)) / 2 = 0.1333333; N = 4: 0.1
  const drGrpo = grpoLoss(batch(), { aggregation: "seq-mean-token-sum-norm", klCoef: 0 });
  assertAlmostEquals(scalar(drGrpo.loss), 0.4 / 3, 1e-6);
  const fixedN = grpoLoss(batch(), { aggregation: "seq-mean-token-sum-norm", normalizer: 4 });
  assertAlmostEquals(scalar(fixedN.policyLoss), 0.1, 1e-6);
});

Deno.test("grpoLoss: estimator choice, clip options and dual clip off pass through", () => {
  // k1: (ln 2 - ln 2) / 5 = 0;  k2: 2 * 0.5 * ln2^2 / 5 = 0.0960906
  const k1 = grpoLoss(batch(), { klEstimator: "k1", klCoef: 0.5 });
  assertAlmostEquals(scalar(k1.loss), 0.16, 1e-6);
  const k2 = grpoLoss(batch(), { klEstimator: "k2", klCoef: 0.5 });
  assertAlmostEquals(scalar(k2.loss), 0.16 + 0.5 * 0.09609060278364027, 1e-6);
  // no dual clip: row 1's ratio-4 token costs 4, policy (-3.2 + 1 + 4) / 5 = 0.36
  const noDual = grpoLoss(batch(), { dualClip: null, klCoef: 0 });
  assertAlmostEquals(scalar(noDual.policyLoss), 0.36, 1e-6);
  assertEquals(scalar(noDual.dualClipFraction), 0);
  // clipHigh 0.6: the ratio-1.5 token is no longer clipped, -1.5 instead of -1.2
  const wide = grpoLoss(batch(), { clipHigh: 0.6, klCoef: 0 });
  assertAlmostEquals(scalar(wide.policyLoss), 0.16 - 0.3 / 5, 1e-6);
  assertAlmostEquals(scalar(wide.clipFraction), 0, 1e-6);
});

Deno.test("grpoLoss: without refLogProbs (klCoef 0) there is no kl metric, loss is its own tensor", () => {
  const { refLogProbs: _, ...noRef } = batch();
  const out = grpoLoss(noRef, { klCoef: 0 });
  assertEquals(out.kl, undefined);
  assert(out.loss !== out.policyLoss);
  out.loss.dispose();
  assertAlmostEquals(scalar(out.policyLoss), 0.16, 1e-6);
});

Deno.test("grpoLoss: defaults are the IRPM recipe and frozen", () => {
  assertEquals({ ...grpoLossDefaults }, {
    clipLow: 0.2,
    clipHigh: 0.2,
    dualClip: 3,
    klCoef: 0.001,
    klEstimator: "k3",
    aggregation: "token-mean",
    normalizer: undefined,
  });
  assert(Object.isFrozen(grpoLossDefaults));
  // an explicit undefined falls back to the default (null would turn dual clip off instead)
  assertAlmostEquals(scalar(grpoLoss(batch(), { klCoef: undefined }).loss), 0.1601, 1e-6);
});

Deno.test("grpoLoss: bad names and options are rejected with the value in the message", () => {
  const b = batch();
  // deno-lint-ignore no-explicit-any
  const loose = (o: Record<string, unknown>) => grpoLoss(b, o as any);
  assertThrows(() => loose({ klEstimator: "k4" }), RangeError, '"k4"');
  assertThrows(() => loose({ aggregation: "mean" }), RangeError, "token-mean");
  assertThrows(() => loose({ klCoef: -1 }), RangeError, "-1");
  assertThrows(() => loose({ clipRatio: 0.2 }), TypeError, "clipRatio");
  const { refLogProbs: _, ...noRef } = b;
  assertThrows(() => grpoLoss(noRef), TypeError, "refLogProbs");
  assertThrows(() => grpoLoss({ ...b, mask: tf.ones([2, 2]) as tf.Tensor2D }), RangeError, "mask");
});

Deno.test("grpoLoss: no tensors leak", () => {
  const b = batch();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) tf.dispose(grpoLoss(b));
  tf.dispose(grpoLoss(b, { aggregation: "seq-mean-token-sum-norm", klEstimator: "k2" }));
  assertEquals(tf.memory().numTensors, before);
});
