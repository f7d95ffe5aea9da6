/**
 * The Bradley-Terry loss of the scalar reward-model baseline, with an optional margin and the
 * optional reward-centring term of Eisenstein et al. (2023, "Helping or Herding?"):
 *
 *     L = (1/B) sum_i [ -log sigmoid(r_c,i - r_r,i - m_i) ] + lambda (1/B) sum_i (r_c,i + r_r,i)^2
 *
 * -log sigmoid(d) = softplus(-d) = log(1 + exp(-d)), computed stably. The centring term pins the
 * free additive constant of B-T rewards near 0 (B-T is invariant to r -> r + c per prompt).
 * {@link btLossValue} is the plain-number reference; {@link btLoss} the differentiable version.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Options of the B-T loss. */
export interface BtLossOptions {
  /** Margin m_i per pair, or one for all (default 0). */
  readonly margins?: number | readonly number[];
  /** Reward-centring coefficient lambda (default 0: off). */
  readonly centerCoef?: number;
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * The B-T loss on plain numbers (module doc formula).
 *
 * @example
 * ```ts
 * import { btLossValue } from "./bt_loss.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // d = [2, -1]: log(1 + e^-2) = 0.126928, log(1 + e^1) = 1.313262 -> mean 0.720095
 * assertAlmostEquals(btLossValue([2, 0], [0, 1]), 0.7200953, 1e-6);
 * // + 0.01 * mean((2 + 0)^2, (0 + 1)^2) = 0.01 * 2.5 = 0.025
 * assertAlmostEquals(btLossValue([2, 0], [0, 1], { centerCoef: 0.01 }), 0.7450953, 1e-6);
 * // margin 1: d = [1, -2] -> (log(1 + e^-1) + log(1 + e^2)) / 2 = (0.313262 + 2.126928) / 2
 * assertAlmostEquals(btLossValue([2, 0], [0, 1], { margins: 1 }), 1.2200953, 1e-6);
 * ```
 */
export function btLossValue(
  chosen: readonly number[],
  rejected: readonly number[],
  options: BtLossOptions = {},
): number {
  const { margins = 0, centerCoef = 0 } = options;
  const n = chosen.length;
  if (n === 0 || rejected.length !== n) {
    throw new RangeError(
      `btLossValue: needs equal non-empty arrays, got ${n} and ${rejected.length}`,
    );
  }
  if (Array.isArray(margins) && margins.length !== n) {
    throw new RangeError(`btLossValue: ${margins.length} margins for ${n} pairs`);
  }
  const margin = (i: number) => (typeof margins === "number" ? margins : margins[i]);
  let nll = 0, center = 0;
  for (let i = 0; i < n; i++) {
    nll += softplus(-(chosen[i] - rejected[i] - margin(i)));
    center += (chosen[i] + rejected[i]) ** 2;
  }
  return nll / n + centerCoef * (center / n);
}

/**
 * The differentiable B-T loss (module doc formula) from reward tensors [B]; returns a scalar the
 * caller disposes (intermediates are freed).
 *
 * @example
 * ```ts
 * import { btLoss } from "./bt_loss.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertAlmostEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const loss = btLoss(tf.tensor1d([2, 0]), tf.tensor1d([0, 1]), { centerCoef: 0.01 });
 * assertAlmostEquals((await loss.data())[0], 0.7450953, 1e-5);
 * ```
 */
export function btLoss(
  chosen: tf.Tensor1D,
  rejected: tf.Tensor1D,
  options: BtLossOptions = {},
): tf.Scalar {
  const { margins = 0, centerCoef = 0 } = options;
  return tf.tidy(() => {
    const m = typeof margins === "number" ? tf.scalar(margins) : tf.tensor1d([...margins]);
    const nll = tf.mean(tf.softplus(tf.neg(tf.sub(tf.sub(chosen, rejected), m)))); // mean softplus(-d)
    if (centerCoef === 0) return nll as tf.Scalar;
    const center = tf.mean(tf.square(tf.add(chosen, rejected))); // mean (r_c + r_r)^2
    return tf.add(nll, tf.mul(centerCoef, center)) as tf.Scalar;
  });
}
