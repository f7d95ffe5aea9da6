/**
 * The transformer's elementary layers, each with a hand-written backward pass (`tf.customGrad`).
 *
 * Why hand-written: tfjs's generic gradients are slow on the wasm backend. Its matmul runs on
 * XNNPACK only when neither operand is transposed and there is no batch dimension; the default
 * matmul gradient uses `transposeA`/`transposeB`, which falls back to a scalar loop about 10x
 * slower. Here every backward matmul first transposes explicitly (a 2-D copy, far cheaper than
 * the slow loop) so it stays on the fast path; column sums (bias gradients) are matmuls with a
 * row of ones for the same reason. LayerNorm and GELU get closed-form gradients with fewer kernels
 * than autodiff, and the embedding gradient is a one-hot matmul because wasm lacks
 * `UnsortedSegmentSum` (the gradient of `tf.gather`). Every layer here works on the flattened
 * residual stream `[N, D]`, N = B * T. On the other backends these choices cost little: the
 * outputs agree with plain autodiff to float rounding (tested). With BLAS matmuls installed
 * (`--backend blas`) a transposed operand costs nothing, so the backward matmuls pass
 * `transposeA`/`transposeB` instead of copying.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "./gradients.ts";
import { freeMatMulTransposes } from "./blas.ts";
import { geluGrad } from "./gelu_grad_kernel.ts";
import { layerNormBackward } from "./layer_norm_kernel.ts";

/** LayerNorm's variance epsilon (GPT-2's value). */
export const LAYER_NORM_EPS = 1e-5;

/**
 * `a @ b^T` for 2-D tensors, written as an explicit transpose plus a plain matmul so that the wasm
 * backend uses XNNPACK (with BLAS matmuls: sgemm's transposeB, no copy).
 */
export function matMulTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (freeMatMulTransposes()) return tf.matMul(a, b, false, true); // [N, M]
  return tf.matMul(a, tf.transpose(b)); // [N, M]
}

/**
 * `a^T @ b` for 2-D tensors [N, I], [N, O] -> [I, O]. Transposes whichever operand is smaller
 * (`(b^T a)^T` when O < I): a 2-D transpose costs about as much as the matmul on wasm. With
 * BLAS matmuls: sgemm's transposeA, no copy.
 */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (freeMatMulTransposes()) return tf.matMul(a, b, true, false); // [I, O]
  if (b.shape[1] < a.shape[1]) return tf.transpose(tf.matMul(tf.transpose(b), a)); // [I, O]
  return tf.matMul(tf.transpose(a), b); // [I, O]
}

/** Column sums of [N, O] -> [O], as `ones[1, N] @ x` (on wasm 20x faster than `tf.sum(x, 0)`). */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]); // [O]
}

const matMulOp = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), // [N, O]
    gradFunc: (dy, saved) => {
      const [as, bs] = saved as tf.Tensor2D[];
      const grad = dy as tf.Tensor2D; // [N, O]
      return [matMulTransposeB(grad, bs), matMulTransposeA(as, grad)];
    },
  };
});

/**
 * 2-D matmul `a @ b` whose backward keeps every matmul untransposed (see module doc):
 * da = dy b^T, db = a^T dy.
 *
 * @example
 * ```ts
 * import { matMul } from "./layers.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // d/db sum(a @ b) = a^T @ ones: column sums of a, [1+3, 2+4] repeated per column of b
 * const a = tf.tensor2d([[1, 2], [3, 4]]);
 * const g = tf.grad((b: tf.Tensor) => tf.sum(matMul(a, b as tf.Tensor2D)))(tf.ones([2, 1]));
 * assertEquals(Array.from(await g.data()), [4, 6]);
 * ```
 */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMulOp(a, b) as tf.Tensor2D;
}

const linearOp = tf.customGrad((x, weight, bias, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor, weight as tf.Tensor]);
  const value = tf.fused.matMul({
    a: x as tf.Tensor2D,
    b: weight as tf.Tensor2D,
    bias: bias as tf.Tensor,
  }); // [N, O]
  return {
    value,
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const grad = dy as tf.Tensor2D; // [N, O]
      return [matMulTransposeB(grad, ws), matMulTransposeA(xs, grad), sumRows(grad)];
    },
  };
});

/** Weight and bias of an affine layer or a LayerNorm. */
export interface WeightAndBias {
  readonly weight: tf.Tensor;
  readonly bias: tf.Tensor;
}

/**
 * Affine layer `y = x W + b`, W stored `[in, out]`.
 * Backward: dx = dy W^T, dW = x^T dy, db = sum_rows dy.
 *
 * @example
 * ```ts
 * import { linear } from "./layers.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // [1, 2] @ [[1, 0, 2], [0, 1, 3]] + [10, 20, 30] = [11, 22, 38]
 * const weight = tf.tensor2d([[1, 0, 2], [0, 1, 3]]);
 * const y = linear(tf.tensor2d([[1, 2]]), { weight, bias: tf.tensor1d([10, 20, 30]) });
 * assertEquals(Array.from(await y.data()), [11, 22, 38]);
 * ```
 */
export function linear(x: tf.Tensor2D, { weight, bias }: WeightAndBias): tf.Tensor2D {
  return linearOp(x, weight, bias) as tf.Tensor2D;
}

const layerNormOp = tf.customGrad((x, weight, bias, save) => {
  const mean = tf.mean(x as tf.Tensor, -1, true); // [N, 1]
  const centered = tf.sub(x as tf.Tensor, mean); // [N, D]
  const variance = tf.mean(tf.square(centered), -1, true); // [N, 1]
  const rstd = tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)); // [N, 1]
  const normed = tf.mul(centered, rstd); // [N, D]
  (save as tf.GradSaveFunc)([normed, rstd, weight as tf.Tensor]);
  return {
    value: tf.add(tf.mul(normed, weight as tf.Tensor), bias as tf.Tensor), // [N, D]
    gradFunc: (dy, saved) => {
      const [xHat, r, w] = saved;
      // wasm, blas: one kernel (layer_norm_kernel.ts); elsewhere the same formula as tfjs ops
      const fused = layerNormBackward(dy, { normed: xHat, rstd: r, weight: w });
      if (fused) return fused;
      const g = tf.mul(dy, w); // [N, D]: gradient w.r.t. xHat
      const dx = tf.mul(
        tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xHat, tf.mean(tf.mul(g, xHat), -1, true))),
        r,
      ); // [N, D]
      return [dx, sumRows(tf.mul(dy, xHat) as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
    },
  };
});

/**
 * Layer normalisation over the last axis:
 * `y = w * (x - mean) / sqrt(var + eps) + b` (biased variance, eps = 1e-5).
 * Backward with x^ = (x - mean) * rstd and g = dy * w:
 * `dx = rstd * (g - mean(g) - x^ * mean(g * x^))`, `dw = sum_rows dy * x^`, `db = sum_rows dy`.
 *
 * @example
 * ```ts
 * import { layerNorm } from "./layers.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertAlmostEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // [1, 3]: mean 2, variance 1 -> [-1, 1] (up to eps)
 * const y = await layerNorm(tf.tensor2d([[1, 3]]), { weight: tf.ones([2]), bias: tf.zeros([2]) })
 *   .data();
 * assertAlmostEquals(y[0], -1, 1e-4);
 * assertAlmostEquals(y[1], 1, 1e-4);
 * ```
 */
export function layerNorm(x: tf.Tensor2D, { weight, bias }: WeightAndBias): tf.Tensor2D {
  return layerNormOp(x, weight, bias) as tf.Tensor2D;
}

// tanh-GELU rewritten with tanh(u) = 2 sigmoid(2u) - 1: 0.5 x (1 + tanh(u)) = x sigmoid(2u).
const GELU_K1 = 2 * Math.sqrt(2 / Math.PI); // 2c
const GELU_K3 = GELU_K1 * 0.044715; // 2ca

const geluOp = tf.customGrad((x, save) => {
  const xs = x as tf.Tensor;
  const square = tf.square(xs);
  const s = tf.sigmoid(tf.mul(xs, tf.add(tf.mul(square, GELU_K3), GELU_K1))); // sigmoid(2u)
  (save as tf.GradSaveFunc)([xs, s]);
  return {
    value: tf.mul(xs, s),
    gradFunc: (dy, saved) => {
      const [x0, s0] = saved;
      // d/dx [x s(v)] = s + x s (1 - s) v',  v = k1 x + k3 x^3,  v' = k1 + 3 k3 x^2
      const fused = geluGrad(dy, { x: x0, s: s0, constants: { k1: GELU_K1, k3: GELU_K3 } }); // wasm, blas: one pass
      if (fused) return [fused];
      const slope = tf.add(tf.mul(tf.square(x0), 3 * GELU_K3), GELU_K1);
      const ds = tf.mul(tf.mul(s0, tf.sub(1, s0)), tf.mul(x0, slope));
      return [tf.mul(dy, tf.add(s0, ds))];
    },
  };
});

/**
 * GELU, GPT-2's tanh approximation:
 * `gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, computed as `x * sigmoid(2u)`.
 *
 * @example
 * ```ts
 * import { gelu } from "./layers.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertAlmostEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // gelu(1) = 0.5 (1 + tanh(0.79788 * 1.044715)) = 0.5 (1 + tanh(0.83356)) = 0.84119
 * const [y] = await gelu(tf.tensor1d([1])).data();
 * assertAlmostEquals(y, 0.84119, 1e-4);
 * ```
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  return geluOp(x) as T;
}

/**
 * Embedding lookup `rows[ids]` -> [N, D] for int32 ids [N], computed as `oneHot(ids) @ rows`.
 * Backward: `oneHot(ids)^T @ dy`. Both run on every backend (wasm has no `UnsortedSegmentSum`,
 * the gradient of `tf.gather`), and on wasm the one-hot matmul is also faster than its gather.
 *
 * @example
 * ```ts
 * import { embedding } from "./layers.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const table = tf.tensor2d([[0, 0], [1, 2], [3, 4]]);
 * const ids = tf.tensor1d([1, 1, 2], "int32");
 * assertEquals(Array.from(await embedding(table, ids).data()), [1, 2, 1, 2, 3, 4]);
 * const g = tf.grad((t: tf.Tensor) => tf.sum(embedding(t as tf.Tensor2D, ids)))(table);
 * assertEquals(Array.from(await g.data()), [0, 0, 2, 2, 1, 1]);
 * ```
 */
export function embedding(rows: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((table, save) => {
    // Cast, not oneHot's dtype argument: tfjs-wasm 4.22 writes int32 bit patterns for "float32".
    const oneHot = tf.cast(tf.oneHot(ids, rows.shape[0]), "float32") as tf.Tensor2D; // [N, V]
    (save as tf.GradSaveFunc)([oneHot]);
    return {
      value: tf.matMul(oneHot, table as tf.Tensor2D), // [N, D]
      gradFunc: (dy, saved) => matMulTransposeA(saved[0] as tf.Tensor2D, dy as tf.Tensor2D),
    };
  });
  return op(rows) as tf.Tensor2D;
}
