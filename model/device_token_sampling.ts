/**
 * Choosing one token per row with tensor ops, so the logits never leave the device: the same rule
 * as `token_sampling.ts` (temperature, top-p, inverse CDF on one uniform per row, greedy argmax,
 * the log-probability under the untempered softmax), for the webgpu sampler that reads tokens
 * back only every few steps (`generateOnDevice` in `sample.ts`).
 *
 * Given the same uniforms it picks the same tokens as `sampleToken` except where a uniform lies
 * within float32 rounding (~1e-7) of a boundary of the cumulative distribution: the host sums in
 * float64, the device in float32.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkTokenChoice, type TokenChoice } from "./token_sampling.ts";

/** Tokens chosen for each row, and their log-probabilities, as device tensors `[B]`. */
export interface DeviceTokens {
  /** Token id per row, int32. */
  readonly ids: tf.Tensor1D;
  /** log softmax(logits)[id] per row (temperature 1, no top-p), float32. */
  readonly logProbs: tf.Tensor1D;
}

/**
 * Top-p on the device: keeps token i of a row when the probability mass ranked strictly before it
 * (larger probability, or equal probability and a smaller index) is below `topP`, which is the
 * shortest prefix of the sorted distribution whose mass reaches `topP`, as `samplingProbs` keeps.
 * `probs` is `[B, V]`; returns the kept probabilities (not renormalised). Builds a `[B, V, V]`
 * comparison: fine for the kit's vocabulary (104), not for a large one.
 */
function keepTopP(probs: tf.Tensor2D, topP: number): tf.Tensor2D {
  const [, vocab] = probs.shape;
  const pi = tf.expandDims(probs, 2); // [B, V, 1]
  const pj = tf.expandDims(probs, 1); // [B, 1, V]
  const index = tf.range(0, vocab, 1, "int32");
  const earlierIndex = tf.less(tf.reshape(index, [1, 1, vocab]), tf.reshape(index, [1, vocab, 1]));
  const before = tf.logicalOr(tf.greater(pj, pi), tf.logicalAnd(tf.equal(pj, pi), earlierIndex));
  const massBefore = tf.sum(tf.where(before, tf.broadcastTo(pj, before.shape), 0), 2); // [B, V]
  return tf.where(tf.less(massBefore, topP), probs, tf.zerosLike(probs));
}

/**
 * Picks one token per row of `logits` `[B, V]`. Sampled choices use `uniforms` `[B]` (one draw in
 * [0, 1) per row): the token is the first i whose cumulative probability exceeds u, as
 * `sampleToken`. Greedy choices (`greedy`, or temperature 0) take the argmax and need no uniforms.
 * The caller owns the returned tensors; nothing else is left allocated.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { sampleTokensOnDevice } from "./device_token_sampling.ts";
 * import { assertEquals } from "@std/assert";
 * // one row, p = [0.1, 0.2, 0.7]: u = 0.05 -> 0, u = 0.25 -> 1, u = 0.95 -> 2
 * const row = [0, Math.log(2), Math.log(7)];
 * const logits = tf.tensor2d([row, row, row]);
 * const { ids, logProbs } = sampleTokensOnDevice(logits, tf.tensor1d([0.05, 0.25, 0.95]));
 * assertEquals(Array.from(await ids.data()), [0, 1, 2]);
 * assertEquals(Array.from(await logProbs.data()).map((x) => Math.exp(x).toFixed(3)), ["0.100", "0.200", "0.700"]);
 * tf.dispose([logits, ids, logProbs]);
 * ```
 */
export function sampleTokensOnDevice(
  logits: tf.Tensor2D,
  uniforms: tf.Tensor1D | null,
  choice: TokenChoice = {},
): DeviceTokens {
  checkTokenChoice(choice);
  const { temperature = 1, topP = 1 } = choice;
  const greedy = choice.greedy || temperature === 0;
  if (!greedy && uniforms === null) {
    throw new TypeError("sampleTokensOnDevice needs uniforms unless greedy");
  }
  const [batch, vocab] = logits.shape;
  if (uniforms && uniforms.shape[0] !== batch) {
    throw new RangeError(`${uniforms.shape[0]} uniforms for ${batch} rows`);
  }
  return tf.tidy(() => {
    const index = tf.range(0, vocab, 1, "int32");
    let ids: tf.Tensor1D;
    if (greedy) {
      ids = tf.cast(tf.argMax(logits, 1), "int32") as tf.Tensor1D;
    } else {
      const max = tf.max(logits, 1, true);
      const weights = tf.exp(tf.div(tf.sub(logits, max), temperature));
      let probs = tf.div(weights, tf.sum(weights, 1, true)) as tf.Tensor2D;
      if (topP < 1) probs = keepTopP(probs, topP);
      const cdf = tf.cumsum(probs, 1); // [B, V], unnormalised after top-p
      const total = tf.slice(cdf, [0, vocab - 1], [batch, 1]); // [B, 1]
      const target = tf.mul(tf.reshape(uniforms!, [batch, 1]), total);
      // first i with u * total < cdf_i = how many cdf_i <= u * total
      const below = tf.sum(tf.where(tf.lessEqual(cdf, target), tf.onesLike(index), 0), 1);
      // u within rounding of 1: the last token with mass, as sampleToken
      const position = tf.broadcastTo(tf.range(0, vocab, 1, "float32"), [batch, vocab]);
      const lastWithMass = tf.max(tf.where(tf.greater(probs, 0), position, -1), 1);
      ids = tf.cast(tf.minimum(below, lastWithMass), "int32") as tf.Tensor1D;
    }
    const logSoftmax = tf.logSoftmax(logits);
    const picked = tf.equal(tf.reshape(index, [1, vocab]), tf.reshape(ids, [batch, 1]));
    const logProbs = tf.sum(tf.where(picked, logSoftmax, 0), 1) as tf.Tensor1D;
    return { ids, logProbs };
  });
}
