import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import { clipByGlobalNorm, globalNorm } from "./clip_grad.ts";

await tf.setBackend("cpu");

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

Deno.test("globalNorm: sqrt of the sum of all squares across tensors", () => {
  // [1, 2] and [[2], [4]]: 1 + 4 + 4 + 16 = 25 -> 5
  const n = globalNorm([tf.tensor1d([1, 2]), tf.tensor2d([[2], [4]])]);
  assertAlmostEquals(n.dataSync()[0], 5, 1e-6);
  assertEquals(globalNorm([]).dataSync()[0], 0);
});

Deno.test("clipByGlobalNorm: scales by maxNorm / (norm + 1e-6) when the norm is too large", async () => {
  // norm 5, maxNorm 0.5: scale = 0.5 / 5.000001 = 0.09999998
  const grads = { a: tf.tensor1d([1, 2]), b: tf.tensor2d([[2], [4]]) };
  const out = await clipByGlobalNorm(grads, 0.5);
  const scale = 0.5 / (5 + 1e-6);
  assertAlmostEquals(out.norm, 5, 1e-6);
  assertAlmostEquals(out.scale, scale, 1e-12);
  assert(out.finite);
  assertEquals(Object.keys(out.grads).sort(), ["a", "b"]);
  values(out.grads.a).forEach((x, i) => assertAlmostEquals(x, [1, 2][i] * scale, 1e-7));
  assertEquals(out.grads.b.shape, [2, 1]);
  assertAlmostEquals(globalNorm(Object.values(out.grads)).dataSync()[0], 0.5, 1e-6);
  assertEquals(values(grads.a), [1, 2]); // inputs untouched
});

Deno.test("clipByGlobalNorm: leaves small gradients alone (scale 1), arrays keep their order", async () => {
  // norm 0.5 with maxNorm 1: torch's coefficient 1 / 0.500001 > 1 is clamped to 1
  const out = await clipByGlobalNorm([tf.tensor1d([0.3]), tf.tensor1d([0.4])], 1);
  assertAlmostEquals(out.norm, 0.5, 1e-6);
  assertEquals(out.scale, 1);
  assert(Array.isArray(out.grads));
  assertAlmostEquals(values(out.grads[0])[0], 0.3, 1e-7);
  assertAlmostEquals(values(out.grads[1])[0], 0.4, 1e-7);
  // exactly at the threshold torch still scales by maxNorm / (norm + 1e-6), just under 1
  const edge = await clipByGlobalNorm([tf.tensor1d([3, 4])], 5);
  assertAlmostEquals(edge.scale, 5 / 5.000001, 1e-12);
  assert(edge.scale < 1);
});

Deno.test("clipByGlobalNorm: a non-finite norm is reported and the gradients come back unscaled", async () => {
  for (const bad of [NaN, Infinity]) {
    const out = await clipByGlobalNorm({ w: tf.tensor1d([1, bad]) }, 0.5);
    assertEquals(out.finite, false);
    assert(!Number.isFinite(out.norm));
    assertEquals(out.scale, 1);
    assertEquals(values(out.grads.w)[0], 1);
  }
});

Deno.test("clipByGlobalNorm: bad maxNorm is rejected; outputs are new tensors, nothing leaks", async () => {
  await assertRejects(() => clipByGlobalNorm([tf.scalar(1)], 0), RangeError, "0");
  await assertRejects(() => clipByGlobalNorm([tf.scalar(1)], NaN), RangeError, "NaN");
  const grads = [tf.tensor1d([3, 4]), tf.tensor1d([1])];
  const before = tf.memory().numTensors;
  for (const maxNorm of [0.1, 100]) {
    const out = await clipByGlobalNorm(grads, maxNorm);
    assert(out.grads.every((g, i) => g !== grads[i]));
    tf.dispose(out.grads);
  }
  assertEquals(tf.memory().numTensors, before);
});
