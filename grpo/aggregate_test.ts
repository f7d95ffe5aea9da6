import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { lossAggregations, seqMeanTokenMean, seqMeanTokenSumNorm, tokenMean } from "./aggregate.ts";

await tf.setBackend("cpu");

function scalar(t: tf.Tensor): number {
  return t.dataSync()[0];
}

// A long completion (4 tokens, loss 1 each) and a short one (1 token, loss 5), padded to T = 5.
// The padding holds garbage (NaN, Inf, 100) that must never reach the result.
const LOSS = [[1, 1, 1, 1, NaN], [5, Infinity, 100, -7, NaN]];
const MASK = [[1, 1, 1, 1, 0], [1, 0, 0, 0, 0]];

Deno.test("tokenMean: every token weighs the same", () => {
  // (1 + 1 + 1 + 1 + 5) / 5 = 1.8
  assertAlmostEquals(scalar(tokenMean(tf.tensor2d(LOSS), tf.tensor2d(MASK))), 1.8, 1e-6);
});

Deno.test("seqMeanTokenMean: every sequence weighs the same", () => {
  // (4 / 4 + 5 / 1) / 2 = 3
  assertAlmostEquals(scalar(seqMeanTokenMean(tf.tensor2d(LOSS), tf.tensor2d(MASK))), 3, 1e-6);
});

Deno.test("seqMeanTokenSumNorm: token sums over a constant, mean over sequences", () => {
  // default N = T = 5: (4 / 5 + 5 / 5) / 2 = 0.9;  N = 8: (4 / 8 + 5 / 8) / 2 = 0.5625
  const loss = tf.tensor2d(LOSS), mask = tf.tensor2d(MASK);
  assertAlmostEquals(scalar(seqMeanTokenSumNorm(loss, mask)), 0.9, 1e-6);
  assertAlmostEquals(scalar(seqMeanTokenSumNorm(loss, mask, { normalizer: 8 })), 0.5625, 1e-6);
  // unlike the other two, a longer padded length changes it unless the normaliser is fixed
  const padded = tf.tensor2d([[1, 1, 1, 1, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0, 0, 0]]);
  const paddedMask = tf.pad(mask, [[0, 0], [0, 3]]) as tf.Tensor2D;
  assertAlmostEquals(scalar(seqMeanTokenSumNorm(padded, paddedMask)), 0.5625, 1e-6);
  assertAlmostEquals(scalar(tokenMean(padded, paddedMask)), 1.8, 1e-6);
  assertAlmostEquals(scalar(seqMeanTokenMean(padded, paddedMask)), 3, 1e-6);
});

Deno.test("aggregations: empty mask gives 0 (not NaN); an empty row counts as 0 in seq means", () => {
  const loss = tf.tensor2d([[2, 4], [NaN, NaN]]);
  for (const agg of Object.values(lossAggregations)) {
    assertEquals(scalar(agg(loss, tf.zeros([2, 2]) as tf.Tensor2D)), 0);
  }
  const oneRow = tf.tensor2d([[1, 1], [0, 0]]);
  assertAlmostEquals(scalar(tokenMean(loss, oneRow)), 3, 1e-6); // (2 + 4) / 2
  assertAlmostEquals(scalar(seqMeanTokenMean(loss, oneRow)), 1.5, 1e-6); // (3 + 0) / 2
  assertAlmostEquals(scalar(seqMeanTokenSumNorm(loss, oneRow)), 1.5, 1e-6); // (6 / 2 + 0) / 2
});

Deno.test("aggregations: bool and int masks work like float ones", () => {
  const loss = tf.tensor2d(LOSS);
  const boolMask = tf.tensor2d(MASK, undefined, "bool");
  const intMask = tf.tensor2d(MASK, undefined, "int32");
  assertAlmostEquals(scalar(tokenMean(loss, boolMask)), 1.8, 1e-6);
  assertAlmostEquals(scalar(seqMeanTokenMean(loss, intMask)), 3, 1e-6);
});

Deno.test("lossAggregations: veRL names map to the three functions", () => {
  assertEquals(Object.keys(lossAggregations).sort(), [
    "seq-mean-token-mean",
    "seq-mean-token-sum-norm",
    "token-mean",
  ]);
  assertEquals(lossAggregations["token-mean"], tokenMean);
  assertEquals(lossAggregations["seq-mean-token-mean"], seqMeanTokenMean);
  assertEquals(lossAggregations["seq-mean-token-sum-norm"], seqMeanTokenSumNorm);
});

Deno.test("aggregations: bad input is rejected and nothing leaks", () => {
  const loss = tf.tensor2d(LOSS), mask = tf.tensor2d(MASK);
  for (const agg of Object.values(lossAggregations)) {
    assertThrows(() => agg(loss, tf.ones([2, 4]) as tf.Tensor2D), RangeError, "[2, 4]");
  }
  assertThrows(() => seqMeanTokenSumNorm(loss, mask, { normalizer: 0 }), RangeError, "normalizer");
  const before = tf.memory().numTensors;
  for (const agg of Object.values(lossAggregations)) agg(loss, mask).dispose();
  assertEquals(tf.memory().numTensors, before);
});
