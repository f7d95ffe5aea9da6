/**
 * Gradient clipping by global norm (the IRPM recipe clips at 0.5), as torch's `clip_grad_norm_`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** torch's clip_grad_norm_ adds this to the norm before dividing. */
const NORM_EPSILON = 1e-6;

/**
 * Global L2 norm of a list of gradients: sqrt(sum_i sum(g_i^2)); 0 for an empty list. The caller
 * disposes the returned scalar.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { globalNorm } from "./clip_grad.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const n = globalNorm([tf.tensor1d([3, 0]), tf.tensor2d([[4]])]); // sqrt(9 + 16)
 * assertAlmostEquals(n.dataSync()[0], 5, 1e-6);
 * ```
 */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  if (grads.length === 0) return tf.scalar(0);
  // Stack-and-sum rather than tf.addN: on tfjs-backend-webgpu 4.22, addN over many inputs
  // returns one of its inputs (seen with 16 gradient tensors), which silently broke clipping.
  return tf.tidy(() =>
    tf.sqrt(tf.sum(tf.stack(grads.map((g) => tf.sum(tf.square(g)))))) as tf.Scalar
  );
}

/** Result of {@link clipByGlobalNorm}. */
export interface ClippedGrads<G> {
  /** New gradient tensors, same container shape as the input; the caller owns and disposes them. */
  readonly grads: G;
  /** The global norm before clipping (NaN or Infinity when a gradient is not finite). */
  readonly norm: number;
  /** The factor the gradients were multiplied by (1 when not clipped or not finite). */
  readonly scale: number;
  /** False when the norm is NaN or Infinity: skip this optimizer step. */
  readonly finite: boolean;
}

/**
 * Scales all gradients by one factor so that their global norm is at most maxNorm, computed as
 * torch's `clip_grad_norm_`:
 *
 *   norm = sqrt(sum_i ||g_i||^2),   scale = min(1, maxNorm / (norm + 1e-6)),   g_i <- scale * g_i
 *
 * If the norm is not finite the gradients come back unscaled with `finite: false`; the caller
 * should skip the step (torch would multiply by 0 or NaN and poison the parameters). The norm is
 * read back with `await data()`, which every backend supports (webgpu in Deno has no
 * `dataSync`). Inputs are left untouched (the caller still disposes them); outputs are new
 * tensors, even when scale = 1, so ownership does not depend on the data.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { clipByGlobalNorm } from "./clip_grad.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const { grads, norm } = await clipByGlobalNorm({ w: tf.tensor1d([3, 4]) }, 0.5);
 * assertAlmostEquals(norm, 5, 1e-6);
 * assertAlmostEquals(grads.w.dataSync()[1], 4 * 0.5 / (5 + 1e-6), 1e-6);
 * ```
 */
export async function clipByGlobalNorm<
  G extends Readonly<Record<string, tf.Tensor>> | readonly tf.Tensor[],
>(
  grads: G,
  maxNorm: number,
): Promise<ClippedGrads<G>> {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) {
    throw new RangeError(`clipByGlobalNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  }
  const list: tf.Tensor[] = Array.isArray(grads) ? [...grads] : Object.values(grads);
  const normTensor = globalNorm(list);
  const norm = (await normTensor.data())[0];
  normTensor.dispose();
  const finite = Number.isFinite(norm);
  const scale = finite ? Math.min(1, maxNorm / (norm + NORM_EPSILON)) : 1;
  const apply = (g: tf.Tensor): tf.Tensor => (scale === 1 ? tf.clone(g) : tf.mul(g, scale));
  const out = Array.isArray(grads)
    ? grads.map(apply)
    : Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, apply(g)]));
  return { grads: out as unknown as G, norm, scale, finite };
}
