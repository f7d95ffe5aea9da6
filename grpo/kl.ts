/**
 * Per-token estimators of KL(pi || pi_ref) from the sampled tokens' log-probs (Schulman's k1, k2,
 * k3), as in veRL's `kl_penalty`. Each maps [B, T] log-probs under the policy and the frozen
 * reference to a [B, T] estimate; mask and aggregate it like the policy loss. Tokens are sampled from
 * the policy, so E[k1] = E[k3] = KL(pi || pi_ref); k2 is biased but low-variance for small KL.
 *
 * Used as a loss term (IRPM: loss += klCoef * agg(k)), what matters is the expected gradient on
 * on-policy samples, and that differs from what the value estimates (d/dlogp of each, with
 * E_pi[grad log pi] = 0):
 * - k1: grad = grad log pi, expectation 0. As a loss it does nothing on average (it belongs in the
 *   reward, where veRL's `use_kl_in_reward` puts it).
 * - k2: grad = (logp - ref) grad log pi, expectation = grad KL(pi || pi_ref) exactly.
 * - k3: grad = (1 - pi_ref / pi) grad log pi, expectation = grad KL(pi_ref || pi), the forward KL;
 *   it also pulls pi toward pi_ref, and is what veRL, TRL and IRPM use.
 *
 * The reference is frozen: the gradient into `refLogProbs` is stopped in all three.
 *
 * Pick one at the edge through {@link klEstimators}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRank2, checkSameShape } from "./_shapes.ts";
import { stopGradient } from "./_detach.ts";

/** A per-token KL estimator: ([B, T] log-probs, [B, T] reference log-probs) -> [B, T]. */
export type KlEstimator = (logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D) => tf.Tensor2D;

/** veRL clamps ref - logp to this range before exp, so the ratio cannot overflow. */
const K3_LOG_RATIO_LIMIT = 20;
/** veRL clamps the k3 value to [-10, 10]; one wild token cannot dominate the loss. */
const K3_VALUE_LIMIT = 10;

function check(logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D, name: string): void {
  checkRank2(logProbs, `${name}: logProbs`);
  checkSameShape(logProbs, refLogProbs, "logProbs", `${name}: refLogProbs`);
}

/**
 * k1 = logp - ref (veRL "kl"): unbiased, high variance, can be negative per token; as a loss its
 * expected gradient is 0 (see the module note).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { klK1 } from "./kl.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const k = klK1(tf.tensor2d([[Math.log(2)]]), tf.tensor2d([[0]]));
 * assertAlmostEquals(k.dataSync()[0], Math.log(2), 1e-6);
 * ```
 */
export function klK1(logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D): tf.Tensor2D {
  check(logProbs, refLogProbs, "klK1");
  return tf.tidy(() => tf.sub(logProbs, stopGradient(refLogProbs)));
}

/**
 * k2 = 0.5 * (logp - ref)^2 (veRL "mse"): non-negative and biased as a value, but as a loss its
 * expected gradient is exactly that of KL(pi || pi_ref).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { klK2 } from "./kl.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const k = klK2(tf.tensor2d([[Math.log(2)]]), tf.tensor2d([[0]]));
 * assertAlmostEquals(k.dataSync()[0], 0.5 * Math.log(2) ** 2, 1e-6); // 0.2402265
 * ```
 */
export function klK2(logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D): tf.Tensor2D {
  check(logProbs, refLogProbs, "klK2");
  return tf.tidy(() => tf.mul(0.5, tf.square(tf.sub(logProbs, stopGradient(refLogProbs)))));
}

/**
 * k3 (veRL "low_var_kl", the IRPM choice): with d = clamp(ref - logp, -20, 20),
 *
 *   k3 = clamp(exp(d) - d - 1, -10, 10)
 *
 * exp(d) - d - 1 >= 0 always, unbiased for KL(pi || pi_ref) before the clamps, and lower variance
 * than k1. Both clamps follow veRL; inside them the gradient is 1 - exp(d) per token, outside it
 * is 0.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { klK3 } from "./kl.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // d = -ln 2: exp(d) - d - 1 = 0.5 + 0.6931472 - 1 = 0.1931472
 * const k = klK3(tf.tensor2d([[Math.log(2)]]), tf.tensor2d([[0]]));
 * assertAlmostEquals(k.dataSync()[0], 0.5 + Math.log(2) - 1, 1e-6);
 * ```
 */
export function klK3(logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D): tf.Tensor2D {
  check(logProbs, refLogProbs, "klK3");
  return tf.tidy(() => {
    const d = tf.clipByValue(
      tf.sub(stopGradient(refLogProbs), logProbs),
      -K3_LOG_RATIO_LIMIT,
      K3_LOG_RATIO_LIMIT,
    );
    const k3 = tf.sub(tf.sub(tf.exp(d), d), 1);
    return tf.clipByValue(k3, -K3_VALUE_LIMIT, K3_VALUE_LIMIT) as tf.Tensor2D;
  });
}

/**
 * The KL estimators by name, for choosing one at the edge: `k1`, `k2`, `k3` (IRPM default).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { klEstimators } from "./kl.ts";
 * import { assertEquals } from "@std/assert";
 * const same = tf.tensor2d([[-1.5, -0.2]]);
 * for (const k of Object.values(klEstimators)) assertEquals(Array.from(k(same, same).dataSync()), [0, 0]);
 * ```
 */
export const klEstimators: Readonly<Record<"k1" | "k2" | "k3", KlEstimator>> = Object.freeze({
  k1: klK1,
  k2: klK2,
  k3: klK3,
});
