import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  adamwDefaults,
  adamwDispose,
  adamwInit,
  adamwStateFromTensors,
  adamwStateTensors,
  adamwUpdate,
} from "./adamw.ts";

await tf.setBackend("cpu");

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

function assertAllClose(actual: number[], expected: number[], tol: number): void {
  assertEquals(actual.length, expected.length);
  actual.forEach((a, i) =>
    assertAlmostEquals(a, expected[i], tol, `index ${i}: ${a} vs ${expected[i]}`)
  );
}

/** Plain-number twin of torch.optim.AdamW for one parameter vector (an independent reference). */
function adamwTwin(
  p: number[],
  grads: number[][],
  o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number },
): number[] {
  const x = [...p], m = p.map(() => 0), v = p.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < x.length; i++) {
      x[i] *= 1 - o.lr * o.weightDecay;
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
      const mHat = m[i] / (1 - o.beta1 ** t), vHat = v[i] / (1 - o.beta2 ** t);
      x[i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
  });
  return x;
}

const OPTS = { lr: 0.1, ...adamwDefaults }; // beta1 0.9, beta2 0.999, eps 1e-8, wd 0.01
const G1 = [0.5, -1], G2 = [0.1, 0.2];

Deno.test("adamwUpdate: one and two steps on a 2-element parameter, by hand and against the twin", () => {
  const w = tf.variable(tf.tensor1d([1, -2]));
  let state = adamwInit({ w });
  // step 1: p *= 1 - 0.1 * 0.01 -> [0.999, -1.998]; m = 0.1 g = [0.05, -0.1];
  // v = 0.001 g^2 = [0.00025, 0.001]; m_hat = m / 0.1 = [0.5, -1]; sqrt(v_hat) = sqrt(v / 0.001) =
  // [0.5, 1]; p -= 0.1 * m_hat / (sqrt(v_hat) + 1e-8) = [0.1, -0.1] -> [0.899, -1.898]
  state = adamwUpdate({ w }, { grads: { w: tf.tensor1d(G1) }, state, ...OPTS });
  assertAllClose(values(w), [0.899, -1.898], 1e-6);
  assertAllClose(values(state.m.w), [0.05, -0.1], 1e-8);
  assertAllClose(values(state.v.w), [0.00025, 0.001], 1e-9);
  assertEquals(state.step, 1);
  // step 2: p *= 0.999 -> [0.898101, -1.896102]; m = 0.9 m + 0.1 g = [0.055, -0.07];
  // v = 0.999 v + 0.001 g^2 = [0.00025975, 0.001039]; m_hat = m / 0.19 = [0.2894737, -0.3684211];
  // sqrt(v_hat) = sqrt(v / 0.001999) = [0.3604719, 0.7209437]; step = 0.1 m_hat / sqrt(v_hat)
  // = [0.0803043, -0.0511026] -> p = [0.8177967, -1.8449994]
  state = adamwUpdate({ w }, { grads: { w: tf.tensor1d(G2) }, state, ...OPTS });
  assertAllClose(values(w), [0.8177969063826518, -1.8449993939894946], 1e-6);
  assertAllClose(values(w), adamwTwin([1, -2], [G1, G2], OPTS), 1e-6);
  assertEquals(state.step, 2);
  adamwDispose(state);
  w.dispose();
});

Deno.test("adamwUpdate: matches the twin over 20 steps with other hyper-parameters", () => {
  const opts = { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 };
  const grads = Array.from(
    { length: 20 },
    (_, k) => [Math.sin(k), Math.cos(3 * k) - 0.5, 0.01 * k],
  );
  const w = tf.variable(tf.tensor1d([0.3, -0.7, 2]));
  let state = adamwInit({ w });
  for (const g of grads) {
    state = adamwUpdate({ w }, { grads: { w: tf.tensor1d(g) }, state, ...opts });
  }
  assertAllClose(values(w), adamwTwin([0.3, -0.7, 2], grads, opts), 1e-5);
  adamwDispose(state);
  w.dispose();
});

Deno.test("adamwUpdate: weight decay is decoupled (zero gradient still shrinks the parameter)", () => {
  // g = 0: m = v = 0, the Adam step is 0 / (0 + eps) = 0, only p *= 1 - lr * wd = 1 - 0.5 * 0.1
  const w = tf.variable(tf.tensor1d([2, -4]));
  const state = adamwUpdate({ w }, {
    grads: { w: tf.zeros([2]) },
    state: adamwInit({ w }),
    lr: 0.5,
    weightDecay: 0.1,
  });
  assertAllClose(values(w), [1.9, -3.8], 1e-6);
  adamwDispose(state);
});

Deno.test("adamwUpdate: a parameter without a gradient is skipped, decay included", () => {
  const a = tf.variable(tf.tensor1d([1])), b = tf.variable(tf.tensor1d([1]));
  const state = adamwUpdate({ a, b }, {
    grads: { a: tf.tensor1d([1]) },
    state: adamwInit({ a, b }),
    lr: 0.1,
  });
  assertEquals(values(b), [1]);
  assert(values(a)[0] < 0.91);
  assertEquals(values(state.m.b), [0]);
  adamwDispose(state);
});

Deno.test("adamwUpdate: bad input is rejected with the name or value in the message", () => {
  const w = tf.variable(tf.tensor1d([1, 2]));
  const fresh = () => adamwInit({ w });
  const g = { w: tf.zeros([2]) };
  assertThrows(
    () => adamwUpdate({ w }, { grads: { x: tf.zeros([2]) }, state: fresh(), lr: 0.1 }),
    TypeError,
    '"x"',
  );
  assertThrows(
    () => adamwUpdate({ w }, { grads: { w: tf.zeros([3]) }, state: fresh(), lr: 0.1 }),
    RangeError,
    "[3]",
  );
  assertThrows(
    () => adamwUpdate({ w }, { grads: g, state: { step: 0, m: {}, v: {} }, lr: 0.1 }),
    RangeError,
    "moments",
  );
  assertThrows(() => adamwUpdate({ w }, { grads: g, state: fresh(), lr: -1 }), RangeError, "-1");
  assertThrows(
    () => adamwUpdate({ w }, { grads: g, state: fresh(), lr: 0.1, beta2: 1 }),
    RangeError,
    "beta2",
  );
  assertThrows(
    () => adamwUpdate({ w }, { grads: g, state: fresh(), lr: 0.1, eps: 0 }),
    RangeError,
    "eps",
  );
  const notVariable = { w: tf.tensor1d([1, 2]) } as unknown as Record<string, tf.Variable>;
  assertThrows(
    () => adamwUpdate(notVariable, { grads: g, state: fresh(), lr: 0.1 }),
    TypeError,
    "tf.Variable",
  );
});

Deno.test("adamw: tensor count stays flat across 50 updates", () => {
  const w = tf.variable(tf.randomNormal([4, 3], 0, 1, "float32", 1));
  const bias = tf.variable(tf.zeros([3]));
  const grads = { w: tf.onesLike(w), bias: tf.fill([3], 0.5) };
  let state = adamwInit({ w, bias });
  state = adamwUpdate({ w, bias }, { grads, state, lr: 1e-3 });
  const after1 = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) state = adamwUpdate({ w, bias }, { grads, state, lr: 1e-3 });
  assertEquals(tf.memory().numTensors, after1);
  assertEquals(state.step, 51);
  const beforeDispose = tf.memory().numTensors;
  adamwDispose(state);
  assertEquals(tf.memory().numTensors, beforeDispose - 4);
});

Deno.test("adamw checkpoint tensors: round trip resumes the exact trajectory", async () => {
  const start = [0.5, -0.25];
  const w1 = tf.variable(tf.tensor1d(start));
  let s1 = adamwInit({ w1 });
  s1 = adamwUpdate({ w1 }, { grads: { w1: tf.tensor1d(G1) }, state: s1, ...OPTS });
  const named = adamwStateTensors(s1);
  assertEquals(Object.keys(named).sort(), ["adamw.m.w1", "adamw.step", "adamw.v.w1"]);
  assertEquals(named["adamw.step"].dtype, "int32");
  // resume into a new state (as after reading a checkpoint) and take step 2 on both
  let s2 = await adamwStateFromTensors({ ...named, "model.other": tf.zeros([1]) });
  tf.dispose(named);
  const w2 = tf.variable(tf.clone(w1));
  s1 = adamwUpdate({ w1 }, { grads: { w1: tf.tensor1d(G2) }, state: s1, ...OPTS });
  s2 = adamwUpdate({ w1: w2 }, { grads: { w1: tf.tensor1d(G2) }, state: s2, ...OPTS });
  assertEquals(values(w2), values(w1));
  assertAllClose(values(w1), adamwTwin(start, [G1, G2], OPTS), 1e-6);
  assertEquals(s2.step, 2);
});

Deno.test("adamwStateFromTensors: malformed maps are rejected", async () => {
  const m = tf.zeros([2]), v = tf.zeros([2]);
  await assertRejects(
    () => adamwStateFromTensors({ "adamw.m.w": m, "adamw.v.w": v }),
    RangeError,
    "adamw.step",
  );
  const step = tf.scalar(3, "int32");
  await assertRejects(
    () => adamwStateFromTensors({ "adamw.step": step, "adamw.m.w": m }),
    RangeError,
    "m [w] vs v []",
  );
  await assertRejects(
    () => adamwStateFromTensors({ "adamw.step": step, "adamw.m.w": m, "adamw.v.w": tf.zeros([3]) }),
    RangeError,
    "[3]",
  );
  await assertRejects(
    () => adamwStateFromTensors({ "adamw.step": tf.scalar(-1, "int32") }),
    RangeError,
    "-1",
  );
});
