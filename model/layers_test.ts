import * as tf from "@tensorflow/tfjs-core";
import { createPrng } from "../rng/prng.ts";
import { assertClose, testOnBackends } from "./_testing.ts";
import { embedding, gelu, LAYER_NORM_EPS, layerNorm, linear, matMul, sumRows } from "./layers.ts";

const rng = createPrng(42);
const randn = (shape: number[], scale = 1) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()),
    shape,
  );

/** Values and gradients of `sum(f(inputs) * weights)` for a custom op and its autodiff reference. */
async function compare(
  custom: (...xs: tf.Tensor[]) => tf.Tensor,
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  tolerance = 1e-4,
) {
  const weights = randn(custom(...inputs).shape);
  const run = (f: (...xs: tf.Tensor[]) => tf.Tensor) =>
    tf.tidy(() => {
      const value = f(...inputs);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
      return [value, ...grads];
    });
  const got = run(custom), want = run(reference);
  for (let i = 0; i < got.length; i++) {
    assertClose(await got[i].data(), await want[i].data(), {
      tolerance,
      what: i === 0 ? "value" : `grad ${i - 1}`,
    });
  }
  tf.dispose([...got, ...want, weights, ...inputs]);
}

testOnBackends("linear: value and gradients match tf.matMul + bias autodiff", async () => {
  await compare(
    (x, w, b) => linear(x as tf.Tensor2D, { weight: w, bias: b }),
    (x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    [randn([6, 5]), randn([5, 3]), randn([3])],
  );
  // also with the input wider than the output (the other transpose branch)
  await compare(
    (x, w, b) => linear(x as tf.Tensor2D, { weight: w, bias: b }),
    (x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    [randn([6, 3]), randn([3, 5]), randn([5])],
  );
});

testOnBackends("matMul: value and gradients match tf.matMul autodiff", async () => {
  await compare(
    (a, b) => matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    [randn([4, 7]), randn([7, 2])],
  );
});

testOnBackends("layerNorm: value and gradients match the moments formula's autodiff", async () => {
  await compare(
    (x, w, b) => layerNorm(x as tf.Tensor2D, { weight: w, bias: b }),
    (x, w, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(
        tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPS))), w),
        b,
      );
    },
    [randn([5, 8], 3), randn([8]), randn([8])],
  );
});

testOnBackends("gelu: value and gradient match the tanh formula's autodiff", async () => {
  const c = Math.sqrt(2 / Math.PI);
  await compare(
    (x) => gelu(x),
    (x) =>
      tf.mul(
        tf.mul(0.5, x),
        tf.add(1, tf.tanh(tf.mul(c, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
      ),
    [randn([4, 9], 2)],
  );
});

testOnBackends("embedding: value and gradient match a one-hot matmul's autodiff", async () => {
  const ids = tf.tensor1d([2, 0, 2, 4, 1], "int32");
  await compare(
    (t) => embedding(t as tf.Tensor2D, ids),
    (t) => tf.matMul(tf.cast(tf.oneHot(ids, 5), "float32") as tf.Tensor2D, t as tf.Tensor2D),
    [randn([5, 3])],
  );
  ids.dispose();
});

testOnBackends("sumRows: column sums", async () => {
  const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  assertClose(await sumRows(x).data(), [5, 7, 9], { tolerance: 0 });
  x.dispose();
});
