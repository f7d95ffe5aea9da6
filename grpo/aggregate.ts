/**
 * Loss aggregation: a [B, T] per-token loss and a [B, T] mask (1 on completion tokens, 0 on padding)
 * to a scalar. The modes differ in how much a long completion weighs against a short one; pick one
 * at the edge through {@link lossAggregations}.
 *
 * All modes read the loss only where mask != 0, so NaN or Inf on padding cannot leak into the result
 * or its gradient, and an all-padding batch gives 0 instead of 0/0. The mask may be float, int or
 * bool; non-binary float masks act as token weights (they must be >= 0: the mask is read as
 * "completion token" wherever it is non-zero).
 *
 * The zero tests run behind a gradient stop: tfjs has no gradient for comparison ops, and backprop
 * fails on any such op between the parameters and the loss, which a mask built from the model's
 * output (`tf.onesLike(logProbs)`) would put there.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRank2, checkSameShape } from "./_shapes.ts";
import { nonZero } from "./_detach.ts";

/** Options for the aggregation modes (only {@link seqMeanTokenSumNorm} reads `normalizer`). */
export interface AggregationOptions {
  /** Constant divisor per sequence for seq-mean-token-sum-norm (default T, the padded length). */
  readonly normalizer?: number;
}

/** A loss aggregation: ([B, T] loss, [B, T] mask, options) -> scalar. */
export type LossAggregation = (
  lossMat: tf.Tensor2D,
  mask: tf.Tensor2D,
  options?: AggregationOptions,
) => tf.Scalar;

/** loss * mask where mask != 0, exactly 0 elsewhere (even where loss is NaN). */
function maskedLoss(lossMat: tf.Tensor2D, mask: tf.Tensor2D, name: string): tf.Tensor2D {
  checkRank2(lossMat, `${name}: lossMat`);
  checkSameShape(lossMat, mask, "lossMat", `${name}: mask`);
  const m = tf.cast(mask, "float32");
  return tf.where(nonZero(m), tf.mul(lossMat, m), tf.zerosLike(lossMat)) as tf.Tensor2D;
}

/** numerator / denominator, with 0 wherever the denominator is 0. */
function safeDivide(numerator: tf.Tensor, denominator: tf.Tensor): tf.Tensor {
  const nonEmpty = nonZero(denominator);
  const safe = tf.where(nonEmpty, denominator, tf.onesLike(denominator));
  return tf.where(nonEmpty, tf.div(numerator, safe), tf.zerosLike(numerator));
}

/**
 * Token mean (veRL "token-mean", TRL "bnpo"; the IRPM choice): every completion token in the batch
 * weighs the same, so long completions weigh more.
 *
 *   L = sum_{b,t} loss * mask / sum_{b,t} mask      (0 when sum mask = 0)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { tokenMean } from "./aggregate.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const loss = tf.tensor2d([[1, 2, 3], [4, 100, NaN]]);
 * const mask = tf.tensor2d([[1, 1, 1], [1, 0, 0]]);
 * assertAlmostEquals(tokenMean(loss, mask).dataSync()[0], (1 + 2 + 3 + 4) / 4, 1e-6);
 * ```
 */
export function tokenMean(lossMat: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const masked = maskedLoss(lossMat, mask, "tokenMean");
    return safeDivide(tf.sum(masked), tf.sum(tf.cast(mask, "float32"))) as tf.Scalar;
  });
}

/**
 * Sequence mean of token means (veRL "seq-mean-token-mean", TRL "grpo", the GRPO paper): every
 * sequence weighs the same, so tokens of short completions weigh more.
 *
 *   L = (1/B) sum_b [ sum_t loss * mask / sum_t mask ]
 *
 * A row with no completion tokens contributes 0 and still counts in B (TRL's convention).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { seqMeanTokenMean } from "./aggregate.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const loss = tf.tensor2d([[1, 2, 3], [4, 100, NaN]]);
 * const mask = tf.tensor2d([[1, 1, 1], [1, 0, 0]]);
 * assertAlmostEquals(seqMeanTokenMean(loss, mask).dataSync()[0], (6 / 3 + 4 / 1) / 2, 1e-6);
 * ```
 */
export function seqMeanTokenMean(lossMat: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const masked = maskedLoss(lossMat, mask, "seqMeanTokenMean");
    const perSeq = safeDivide(tf.sum(masked, 1), tf.sum(tf.cast(mask, "float32"), 1)); // [B]
    return tf.mean(perSeq) as tf.Scalar;
  });
}

/**
 * Sequence mean of token sums over a constant (Dr. GRPO; veRL "seq-mean-token-sum-norm", TRL
 * "dr_grpo"): no length normalisation per sequence, so every token weighs the same within and across
 * batches as long as the normaliser stays fixed.
 *
 *   L = (1/B) sum_b [ sum_t loss * mask / N ],   N = options.normalizer ?? T
 *
 * Dr. GRPO sets N to the generation budget (max new tokens); the default T is the padded length of
 * this batch, which changes between batches unless padding is fixed, so set `normalizer` for runs.
 * This follows TRL and the Dr. GRPO code (mean over B); veRL's version sums over B instead, a
 * B-times larger loss, i.e. the same direction with a different learning-rate scale.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { seqMeanTokenSumNorm } from "./aggregate.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const loss = tf.tensor2d([[1, 2, 3], [4, 100, NaN]]);
 * const mask = tf.tensor2d([[1, 1, 1], [1, 0, 0]]);
 * assertAlmostEquals(seqMeanTokenSumNorm(loss, mask).dataSync()[0], (6 / 3 + 4 / 3) / 2, 1e-6);
 * assertAlmostEquals(seqMeanTokenSumNorm(loss, mask, { normalizer: 4 }).dataSync()[0], 1.25, 1e-6);
 * ```
 */
export function seqMeanTokenSumNorm(
  lossMat: tf.Tensor2D,
  mask: tf.Tensor2D,
  options?: AggregationOptions,
): tf.Scalar {
  const normalizer = options?.normalizer ?? lossMat.shape[1];
  if (!(normalizer > 0 && Number.isFinite(normalizer))) {
    throw new RangeError(
      `seqMeanTokenSumNorm: normalizer must be a finite number > 0, got ${normalizer}`,
    );
  }
  return tf.tidy(() => {
    const masked = maskedLoss(lossMat, mask, "seqMeanTokenSumNorm");
    return tf.div(tf.mean(tf.sum(masked, 1)), normalizer) as tf.Scalar;
  });
}

/**
 * The aggregation modes by name (veRL's `loss_agg_mode` names), for choosing one at the edge.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { lossAggregations } from "./aggregate.ts";
 * import { assertEquals } from "@std/assert";
 * const empty = tf.zeros([2, 3]) as tf.Tensor2D; // no completion tokens at all: 0, not NaN
 * for (const agg of Object.values(lossAggregations)) assertEquals(agg(tf.ones([2, 3]), empty).dataSync()[0], 0);
 * ```
 */
export const lossAggregations: Readonly<
  Record<"token-mean" | "seq-mean-token-mean" | "seq-mean-token-sum-norm", LossAggregation>
> = Object.freeze({
  "token-mean": tokenMean,
  "seq-mean-token-mean": seqMeanTokenMean,
  "seq-mean-token-sum-norm": seqMeanTokenSumNorm,
});
