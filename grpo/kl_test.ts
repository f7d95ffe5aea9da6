import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { klEstimators, klK1, klK2, klK3 } from "./kl.ts";

await tf.setBackend("cpu");

const LN2 = Math.log(2);

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

function assertAllClose(actual: number[], expected: number[], tol = 1e-6): void {
  assertEquals(actual.length, expected.length);
  actual.forEach((a, i) =>
    assertAlmostEquals(a, expected[i], tol, `index ${i}: ${a} vs ${expected[i]}`)
  );
}

// Three tokens with logp - ref = [ln 2, -ln 2, 0] (policy twice, half, equal to the reference).
const LOGP = [[LN2, -LN2, -1.7]];
const REF = [[0, 0, -1.7]];

Deno.test("klK1: logp - ref", () => {
  assertAllClose(values(klK1(tf.tensor2d(LOGP), tf.tensor2d(REF))), [LN2, -LN2, 0]);
});

Deno.test("klK2: 0.5 (logp - ref)^2", () => {
  // 0.5 * 0.6931472^2 = 0.2402265 for both signs
  assertAllClose(values(klK2(tf.tensor2d(LOGP), tf.tensor2d(REF))), [0.2402265, 0.2402265, 0]);
});

Deno.test("klK3: exp(d) - d - 1 with d = ref - logp", () => {
  // d = -ln 2: 0.5 + 0.6931472 - 1 = 0.1931472;  d = +ln 2: 2 - 0.6931472 - 1 = 0.3068528
  assertAllClose(values(klK3(tf.tensor2d(LOGP), tf.tensor2d(REF))), [0.1931472, 0.3068528, 0]);
});

Deno.test("klK3: veRL clamps, d to [-20, 20] and the value to [-10, 10]", () => {
  // d = 5: e^5 - 6 = 142.41 -> 10;  d = -25 (clamped to -20): e^-20 + 19 = 19 -> 10;
  // d = 200 would overflow float32 without the inner clamp; d = 2: e^2 - 3 = 4.389056 (unclamped)
  const logp = tf.tensor2d([[-5, 25, -200, -2]]);
  const ref = tf.zeros([1, 4]) as tf.Tensor2D;
  assertAllClose(values(klK3(logp, ref)), [10, 10, 10, Math.exp(2) - 3], 1e-5);
  // k1 and k2 are not clamped (veRL does not clamp them either)
  assertAllClose(values(klK2(logp, ref)), [12.5, 312.5, 20000, 2], 1e-3);
});

Deno.test("klK3 is non-negative and averages to the true KL over on-policy samples", () => {
  // p = [0.5, 0.25, 0.25], q = [0.25, 0.25, 0.5]: KL(p||q) = 0.5 ln 2 + 0 + 0.25 ln 0.5 = 0.25 ln 2.
  // Weighting each token's k3 (and k1) by p gives the exact expectation under sampling from p.
  const p = [0.5, 0.25, 0.25], q = [0.25, 0.25, 0.5];
  const logp = tf.log(tf.tensor2d([p])) as tf.Tensor2D;
  const ref = tf.log(tf.tensor2d([q])) as tf.Tensor2D;
  const k3 = values(klK3(logp, ref)), k1 = values(klK1(logp, ref));
  assert(k3.every((k) => k >= 0));
  const expect = (ks: number[]) => ks.reduce((s, k, i) => s + p[i] * k, 0);
  assertAlmostEquals(expect(k3), 0.25 * LN2, 1e-6);
  assertAlmostEquals(expect(k1), 0.25 * LN2, 1e-6);
});

Deno.test("klEstimators: record of the three, all zero when policy = reference", () => {
  assertEquals(Object.keys(klEstimators).sort(), ["k1", "k2", "k3"]);
  assertEquals([klEstimators.k1, klEstimators.k2, klEstimators.k3], [klK1, klK2, klK3]);
  const x = tf.tensor2d([[-0.1, -3], [-20, -1e-3]]);
  for (const k of Object.values(klEstimators)) assertEquals(values(k(x, x)), [0, 0, 0, 0]);
});

Deno.test("KL estimators: shape errors and no leaks", () => {
  const a = tf.zeros([2, 3]) as tf.Tensor2D;
  for (const k of Object.values(klEstimators)) {
    assertThrows(() => k(a, tf.zeros([3, 2]) as tf.Tensor2D), RangeError, "[3, 2]");
    assertThrows(() => k(tf.zeros([3]) as unknown as tf.Tensor2D, a), RangeError, "[B, T]");
  }
  const before = tf.memory().numTensors;
  for (const k of Object.values(klEstimators)) k(a, a).dispose();
  assertEquals(tf.memory().numTensors, before);
});
