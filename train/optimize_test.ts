import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { adamwDispose, adamwInit } from "../grpo/adamw.ts";
import { initBackend } from "../model/backend.ts";
import { firstNonFiniteParam, NonFiniteWeightsError, TrainingDivergedError } from "./divergence.ts";
import { optimizerStep } from "./optimize.ts";

const values = async (t: tf.Tensor) => Array.from(await t.data());

function setup(initial: number[]) {
  const w = tf.variable(tf.tensor1d(initial), true);
  return { w, params: { w }, state: adamwInit({ w }) };
}

Deno.test("optimizerStep: one AdamW step on sum(w^2), kept metrics read back", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([1, 2, 3]);
  const before = tf.memory().numTensors;
  const result = await optimizerStep({ params }, {
    state,
    lossFn: (keep) => {
      keep("w_mean", tf.mean(w) as tf.Scalar);
      return tf.sum(tf.square(w)) as tf.Scalar;
    },
    lr: 0.1,
    weightDecay: 0,
    gradClip: 0,
  });
  // loss = 1 + 4 + 9 = 14; g = 2w = [2, 4, 6], |g| = sqrt(56) = 7.4833
  assertEquals(result.loss, 14);
  assertAlmostEquals(result.gradNorm, Math.sqrt(56), 1e-5);
  assertEquals(result.skipped, false);
  assertAlmostEquals(result.metrics.w_mean, 2, 1e-6);
  // step 1: m_hat = g, v_hat = g^2, so each weight moves by lr * g / (|g| + eps) = 0.1
  const w1 = await values(w);
  [0.9, 1.9, 2.9].forEach((x, i) => assertAlmostEquals(w1[i], x, 1e-6));
  assertEquals(result.state.step, 1);
  assertAlmostEquals((await values(result.state.m.w))[2], 0.1 * 6, 1e-6); // m = (1 - 0.9) g
  assertEquals(tf.memory().numTensors, before, "the old moments are freed, the new ones kept");
  adamwDispose(result.state);
  w.dispose();
});

Deno.test("optimizerStep: decoupled weight decay; clipping reports the norm before the clip", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([1, 2, 3]);
  const result = await optimizerStep({ params }, {
    state,
    lossFn: () => tf.sum(tf.square(w)) as tf.Scalar,
    lr: 0.1,
    weightDecay: 0.01,
    gradClip: 1,
  });
  // gradNorm is the norm BEFORE clipping; clipped g = g / 7.4833 has norm 1, so m = 0.1 g / 7.4833
  assertAlmostEquals(result.gradNorm, Math.sqrt(56), 1e-5);
  const m = await values(result.state.m.w);
  [2, 4, 6].forEach((g, i) => assertAlmostEquals(m[i], 0.1 * g / Math.sqrt(56), 1e-6));
  // Adam's first step is scale-free, so the step is still 0.1; decay: w (1 - 0.1 * 0.01)
  const w1 = await values(w);
  [1, 2, 3].forEach((x, i) => assertAlmostEquals(w1[i], x * 0.999 - 0.1, 1e-6));
  adamwDispose(result.state);
  w.dispose();
});

Deno.test("optimizerStep: a NaN loss skips the step: weights, state and tensors unchanged", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([1, 2, 3]);
  const before = tf.memory().numTensors;
  const result = await optimizerStep({ params }, {
    state,
    lossFn: (keep) => {
      keep("w_mean", tf.mean(w) as tf.Scalar);
      return tf.mul(tf.sum(w), NaN) as tf.Scalar;
    },
    lr: 0.1,
    weightDecay: 0.01,
    gradClip: 0.5,
  });
  assert(result.skipped);
  assert(Number.isNaN(result.loss) && Number.isNaN(result.gradNorm));
  assertAlmostEquals(result.metrics.w_mean, 2, 1e-6); // kept metrics are still reported
  assert(result.state === state, "the state passed in is returned, not consumed");
  assertEquals(await values(w), [1, 2, 3]);
  assertEquals(await values(state.m.w), [0, 0, 0]); // still alive and still zero
  assertEquals(state.step, 0);
  assertEquals(tf.memory().numTensors, before);
  adamwDispose(state);
  w.dispose();
});

Deno.test("optimizerStep: a finite loss with an infinite gradient is skipped too", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([0, 1, 4]);
  // loss = sqrt(0) + sqrt(1) + sqrt(4) = 3; d sqrt(x)/dx = 1 / (2 sqrt(x)) is Inf at 0
  for (const gradClip of [0, 1]) {
    const result = await optimizerStep({ params }, {
      state,
      lossFn: () => tf.sum(tf.sqrt(w)) as tf.Scalar,
      lr: 0.1,
      weightDecay: 0,
      gradClip,
    });
    assertEquals([result.loss, result.skipped], [3, true]);
    assert(!Number.isFinite(result.gradNorm));
    assertEquals(await values(w), [0, 1, 4]);
  }
  adamwDispose(state);
  w.dispose();
});

Deno.test("optimizerStep: a model without parameters is an error", async () => {
  await initBackend("cpu");
  await assertRejects(
    () =>
      optimizerStep({ params: {} }, {
        state: { step: 0, m: {}, v: {} },
        lossFn: () => tf.scalar(0),
        lr: 1,
        weightDecay: 0,
        gradClip: 0,
      }),
    RangeError,
    "no parameters",
  );
});

Deno.test("optimizerStep: a loss function that throws leaks no kept metric and leaves the weights", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([1, 2]);
  // tfjs itself leaks the intermediates of a function that throws inside variableGrads (its
  // gradient scope is never closed): measure that, then require optimizerStep to add nothing
  let before = tf.memory().numTensors;
  try {
    tf.variableGrads(() => {
      tf.mean(w);
      throw new Error("x");
    }, [w]);
  } catch { /* expected */ }
  const engineLeak = tf.memory().numTensors - before;
  before = tf.memory().numTensors;
  await assertRejects(
    () =>
      optimizerStep({ params }, {
        state,
        lossFn: (keep) => {
          keep("w_mean", tf.mean(w) as tf.Scalar);
          throw new Error("shape mismatch in the loss");
        },
        lr: 0.1,
        weightDecay: 0,
        gradClip: 0,
      }),
    Error,
    "shape mismatch",
  );
  assertEquals(tf.memory().numTensors - before, engineLeak, "the kept metric was disposed");
  assertEquals(await values(w), [1, 2]);
  adamwDispose(state);
  w.dispose();
});

Deno.test("optimizerStep: an update that makes a weight NaN/Inf throws NonFiniteWeightsError naming it", async () => {
  await initBackend("cpu");
  const a = tf.variable(tf.tensor1d([1, 2]), true);
  const { w, state } = setup([1, 2, 3]);
  const params = { a, w };
  const full = adamwInit(params);
  adamwDispose(state);
  const before = tf.memory().numTensors;
  // w's gradient 2w is finite, and so is the loss; lr 1e39 overflows float32 in the update of w
  // only (a has no gradient, so no update and no decay).
  const error = await assertRejects(
    () =>
      optimizerStep({ params }, {
        state: full,
        lossFn: () => tf.sum(tf.square(w)) as tf.Scalar,
        lr: 1e39,
        weightDecay: 0,
        gradClip: 0,
      }),
    NonFiniteWeightsError,
    "weights became non-finite after an optimizer step (params/w: 3 of 3 values NaN/Inf " +
      "after an update with lr 1e+39, loss 14, grad_norm 7.483)",
  );
  assert(error instanceof TrainingDivergedError);
  assertEquals(error.param, { name: "w", count: 3, size: 3 });
  assertEquals([error.loss, error.lr], [14, 1e39]);
  assertEquals(await values(a), [1, 2]);
  // The consumed state (4 moments) is freed and the new one too: nothing else was created.
  assertEquals(tf.memory().numTensors, before - 4);
  tf.dispose([a, w]);
});

Deno.test("optimizerStep: huge but finite weights pass the finiteness check, which leaves no tensors", async () => {
  await initBackend("cpu");
  const { w, params, state } = setup([1, 2, 3]);
  const before = tf.memory().numTensors;
  const result = await optimizerStep({ params }, {
    state,
    lossFn: () => tf.sum(tf.square(w)) as tf.Scalar,
    lr: 1e30, // huge but finite in float32: w moves by 1e30 and stays finite
    weightDecay: 0,
    gradClip: 0,
  });
  assert((await values(w)).every((x) => Number.isFinite(x) && Math.abs(x) > 1e29));
  assertEquals(tf.memory().numTensors, before);
  assertEquals(await firstNonFiniteParam(params), undefined);
  adamwDispose(result.state);
  w.dispose();
});
