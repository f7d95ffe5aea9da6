/**
 * Per-token log-probabilities and entropies of completions, as tensors so gradients flow (the
 * GRPO ratio) or, under `tf.tidy` with a frozen copy of the parameters, as the reference model.
 *
 * Alignment: everything is `[B, T]` and aligned with the TOKENS: entry (b, t) scores `tokens[b, t]`
 * given `tokens[b, < t]` (from the logits at position t - 1), multiplied by `mask[b, t]`. Column 0
 * has no prefix and is always 0. The mask marks completion tokens (1) versus prompt and padding (0).
 *
 * Layout: pack rows as prompt + completion, right-padded with PAD ({@link packCompletions}); then
 * positions and attention match a left-padded cached generation, so these log-probs equal the
 * sampler's (at temperature 1) up to float rounding. Left-padded rows also work if `padMask` is
 * given.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Model } from "./params.ts";
import { PAD_ID } from "./tokenizer.ts";
import { forward } from "./transformer.ts";

/** A batch of sequences with a completion mask. */
export interface CompletionBatch {
  /** int32 [B, T]: prompt + completion (+ PAD). */
  readonly tokens: tf.Tensor2D;
  /** [B, T]: 1 at completion tokens, 0 elsewhere. */
  readonly mask: tf.Tensor2D;
  /** Optional [B, T] 1 = real, 0 = left padding (see `ForwardOptions.padMask`). */
  readonly padMask?: tf.Tensor2D;
}

/**
 * log softmax(logits)[target] per row: [N, V], int32 [N] -> [N], with a closed-form backward
 * `d logits = dy (onehot(target) - softmax(logits))`.
 *
 * @example
 * ```ts
 * import { tokenLogProbs } from "./logprobs.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertAlmostEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // logits [0, ln 3] -> p = [1/4, 3/4]; target 1 -> ln 0.75
 * const lp = tokenLogProbs(tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([1], "int32"));
 * assertAlmostEquals((await lp.data())[0], Math.log(0.75), 1e-6);
 * ```
 */
export function tokenLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const op = tf.customGrad((x, save) => {
    const l = x as tf.Tensor2D;
    const oneHot = tf.cast(tf.oneHot(targets, l.shape[1]), "float32"); // [N, V]
    const logNorm = tf.logSumExp(l, -1, true); // [N, 1]
    (save as tf.GradSaveFunc)([l, logNorm, oneHot]);
    return {
      value: tf.sub(tf.sum(tf.mul(l, oneHot), -1), tf.reshape(logNorm, [-1])), // [N]
      gradFunc: (dy, [ls, norm, hot]) => {
        const probs = tf.exp(tf.sub(ls, norm)); // [N, V]
        return tf.mul(tf.reshape(dy, [-1, 1]), tf.sub(hot, probs)); // [N, V]
      },
    };
  });
  return op(logits) as tf.Tensor1D;
}

/**
 * Entropy per row of logits [N, V] -> [N]: H = logsumexp(l) - sum_i softmax(l)_i l_i (nats).
 *
 * @example
 * ```ts
 * import { tokenEntropy } from "./logprobs.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertAlmostEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * // uniform over 4 tokens: ln 4
 * assertAlmostEquals((await tokenEntropy(tf.zeros([1, 4])).data())[0], Math.log(4), 1e-6);
 * ```
 */
export function tokenEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logNorm = tf.logSumExp(logits, -1); // [N]
    const probs = tf.softmax(logits); // [N, V]
    return tf.sub(logNorm, tf.sum(tf.mul(probs, logits), -1)) as tf.Tensor1D; // [N]
  });
}

/** Shifts per-position values [B, T] (position t predicts token t+1) onto the tokens, masks. */
function alignToTokens(perPosition: tf.Tensor1D, mask: tf.Tensor2D): tf.Tensor2D {
  const [batch, time] = mask.shape;
  const grid = tf.reshape(perPosition, [batch, time]); // [B, T]
  const shifted = tf.concat([tf.zeros([batch, 1]), tf.slice(grid, [0, 0], [batch, time - 1])], 1); // [B, T]
  return tf.mul(shifted, tf.cast(mask, "float32")) as tf.Tensor2D;
}

function nextTokens(tokens: tf.Tensor2D): tf.Tensor1D {
  const [batch, time] = tokens.shape;
  const following = tf.concat([
    tf.slice(tokens, [0, 1], [batch, time - 1]),
    tf.fill([batch, 1], PAD_ID, "int32"),
  ], 1); // [B, T]: the token each position predicts (PAD past the end)
  return tf.reshape(following, [-1]) as tf.Tensor1D; // [N]
}

/**
 * Log-probabilities of the completion tokens, [B, T], aligned with `tokens` and masked (module
 * doc). Differentiable with respect to `params`.
 *
 * @example
 * ```ts
 * import { completionLogProbs } from "./logprobs.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assert, assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 11, width: 8, depth: 1, heads: 2, contextLength: 8 };
 * const params = initParams(config, createPrng(0));
 * const tokens = tf.tensor2d([[1, 4, 5, 6]], [1, 4], "int32");
 * const mask = tf.tensor2d([[0, 0, 1, 1]]);
 * const lp = await completionLogProbs({ params, config }, { tokens, mask }).data();
 * assertEquals(lp[0], 0);
 * assert(lp[2] < 0 && lp[3] < 0);
 * disposeParams(params);
 * ```
 */
export function completionLogProbs(model: Model, batch: CompletionBatch): tf.Tensor2D {
  return completionLogProbsAndEntropy(model, batch, { entropy: false }).logProbs;
}

/**
 * Log-probabilities and per-token entropies (of the distribution each token was drawn from),
 * both [B, T], aligned and masked like {@link completionLogProbs}, from one forward pass.
 * `options.entropy: false` skips the entropy (then `entropy` is undefined).
 */
export function completionLogProbsAndEntropy(
  model: Model,
  batch: CompletionBatch,
  options: { entropy?: boolean } = {},
): { logProbs: tf.Tensor2D; entropy?: tf.Tensor2D } {
  const { tokens, mask, padMask } = batch;
  if (mask.shape[0] !== tokens.shape[0] || mask.shape[1] !== tokens.shape[1]) {
    throw new RangeError(`mask shape [${mask.shape}] differs from tokens shape [${tokens.shape}]`);
  }
  return tf.tidy(() => {
    const logits = tf.reshape(forward(model, tokens, { padMask }), [-1, model.config.vocabSize]); // [N, V]
    const logProbs = alignToTokens(tokenLogProbs(logits as tf.Tensor2D, nextTokens(tokens)), mask);
    if (options.entropy === false) return { logProbs };
    return { logProbs, entropy: alignToTokens(tokenEntropy(logits as tf.Tensor2D), mask) };
  });
}

/** One row for {@link packCompletions}. */
export interface CompletionRow {
  readonly prompt: readonly number[];
  readonly completion: readonly number[];
  /** Per completion token (e.g. the sampler's `Rollout.logProbs`), placed on the same grid. */
  readonly logProbs?: readonly number[];
}

/**
 * Packs prompt + completion rows into a right-padded batch: int32 `tokens` [B, T] (PAD after the
 * end), a float32 `mask` [B, T] that is 1 at completion tokens, and, when every row has
 * `logProbs`, those values on the same grid (`logProbs` [B, T], 0 off the mask) — the layout
 * {@link completionLogProbs} returns, so old and new log-probs line up. T defaults to the longest
 * row. The caller disposes the returned tensors.
 *
 * @example
 * ```ts
 * import { packCompletions } from "./logprobs.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const { tokens, mask, logProbs } = packCompletions([
 *   { prompt: [1, 9], completion: [4], logProbs: [-0.5] },
 *   { prompt: [1], completion: [5, 7], logProbs: [-1, -2] },
 * ]);
 * assertEquals(Array.from(await tokens.data()), [1, 9, 4, 1, 5, 7]);
 * assertEquals(Array.from(await mask.data()), [0, 0, 1, 0, 1, 1]);
 * assertEquals(Array.from(await logProbs!.data()), [0, 0, -0.5, 0, -1, -2]);
 * ```
 */
export function packCompletions(
  rows: readonly CompletionRow[],
  options: { length?: number } = {},
): { tokens: tf.Tensor2D; mask: tf.Tensor2D; logProbs?: tf.Tensor2D } {
  const longest = Math.max(0, ...rows.map((r) => r.prompt.length + r.completion.length));
  const length = options.length ?? longest;
  if (length < longest) {
    throw new RangeError(
      `packCompletions length ${length} is shorter than the longest row (${longest})`,
    );
  }
  const withLogProbs = rows.length > 0 && rows.every((r) => r.logProbs !== undefined);
  const ids = new Int32Array(rows.length * length).fill(PAD_ID);
  const flags = new Float32Array(rows.length * length);
  const values = new Float32Array(withLogProbs ? rows.length * length : 0);
  rows.forEach(({ prompt, completion, logProbs }, b) => {
    const start = b * length + prompt.length;
    ids.set(prompt, b * length);
    ids.set(completion, start);
    flags.fill(1, start, start + completion.length);
    if (!withLogProbs) return;
    if (logProbs!.length !== completion.length) {
      throw new RangeError(
        `row ${b}: ${logProbs!.length} logProbs for ${completion.length} completion tokens`,
      );
    }
    values.set(logProbs!, start);
  });
  const shape: [number, number] = [rows.length, length];
  return {
    tokens: tf.tensor2d(ids, shape, "int32"),
    mask: tf.tensor2d(flags, shape),
    ...(withLogProbs ? { logProbs: tf.tensor2d(values, shape) } : {}),
  };
}
