/**
 * The PPO clipped surrogate with dual clip, per token, as in veRL's `compute_policy_loss`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkPerRow, checkRank2, checkSameShape } from "./_shapes.ts";
import { stopGradient } from "./_detach.ts";

/** Options for {@link ppoClipLoss}; defaults are the IRPM recipe. */
export interface PpoClipOptions {
  /** Lower clip range: the ratio is clipped below at 1 - clipLow (default 0.2). */
  readonly clipLow?: number;
  /** Upper clip range: the ratio is clipped above at 1 + clipHigh (default 0.2; DAPO uses 0.28). */
  readonly clipHigh?: number;
  /** Dual-clip constant c > 1, or null to turn dual clip off (default 3.0, veRL's clip_ratio_c). */
  readonly dualClip?: number | null;
}

/**
 * Per-token outputs of {@link ppoClipLoss}, all [B, T] float32; the caller disposes them (a type
 * alias, not an interface, so `tf.dispose(result)` accepts it).
 */
export type PpoClipResult = {
  /** The per-token policy loss (to be masked and aggregated). */
  readonly loss: tf.Tensor2D;
  /** 1 where the ratio clip is active (the clipped term is the larger loss), else 0. */
  readonly clipped: tf.Tensor2D;
  /** 1 where the dual clip caps the loss (A < 0 and the loss exceeded c * |A|), else 0. */
  readonly dualClipped: tf.Tensor2D;
};

/** Log-ratios beyond this are clamped before exp, as veRL does, so the ratio never overflows. */
const MAX_LOG_RATIO = 20;

function checkOptions(o: Required<PpoClipOptions>): void {
  if (!(o.clipLow >= 0 && o.clipLow < 1)) {
    throw new RangeError(`ppoClipLoss: clipLow must be in [0, 1), got ${o.clipLow}`);
  }
  if (!(o.clipHigh >= 0 && Number.isFinite(o.clipHigh))) {
    throw new RangeError(`ppoClipLoss: clipHigh must be a finite number >= 0, got ${o.clipHigh}`);
  }
  if (o.dualClip !== null && !(o.dualClip > 1 && Number.isFinite(o.dualClip))) {
    throw new RangeError(
      `ppoClipLoss: dualClip must be null or a finite number > 1, got ${o.dualClip}`,
    );
  }
}

/**
 * Per-token PPO-clip loss with dual clip (veRL semantics). With r = exp(clamp(logp - old, -20, 20))
 * and A the sequence's advantage broadcast over its tokens:
 *
 *   L1 = -A * r,   L2 = -A * clip(r, 1 - clipLow, 1 + clipHigh),   L = max(L1, L2)
 *   dual clip, only where A < 0:   L = min(L, -c * A) = min(L, c * |A|)
 *
 * `max(L1, L2)` is `-min(r A, clip(r) A)`, the usual surrogate. For A > 0 the clip stops pushing a
 * token whose ratio already exceeds 1 + clipHigh; for A < 0 it stops pushing one whose ratio is
 * already below 1 - clipLow. What it does not bound is A < 0 with a large ratio: there L = r |A|
 * grows without limit. The dual clip (Ye et al. 2020, veRL's `clip_ratio_c`) caps that loss at
 * c |A| (as if the ratio were c), and the capped tokens get zero gradient. veRL requires c > 1;
 * here `dualClip: null` switches it off. `clipped` counts L2 > L1 (veRL's `pg_clipfrac`) and
 * `dualClipped` counts A < 0 and L > c |A| (veRL's `pg_clipfrac_lower`). Gradients flow to
 * `logProbs` only: `oldLogProbs` and `advantages` are constants (their gradient is stopped), so
 * on-policy the caller may pass `logProbs` itself as `oldLogProbs` (ratio 1, gradient -A).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { ppoClipLoss } from "./policy_loss.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // ratios [1.5, 4] against old log-prob 0; advantages +1 for row 0, -1 for row 1
 * const logp = tf.log(tf.tensor2d([[1.5], [4]]));
 * const { loss } = ppoClipLoss({
 *   logProbs: logp, oldLogProbs: tf.zeros([2, 1]), advantages: tf.tensor1d([1, -1]),
 * });
 * const [up, down] = loss.dataSync();
 * assertAlmostEquals(up, -1.2, 1e-6); // A > 0: max(-1.5, -1.2), the clip at 1 + 0.2 is active
 * assertAlmostEquals(down, 3, 1e-6); // A < 0: max(4, 1.2) = 4, then capped at c * |A| = 3
 * ```
 */
export function ppoClipLoss(
  inputs: { logProbs: tf.Tensor2D; oldLogProbs: tf.Tensor2D; advantages: tf.Tensor1D },
  options?: PpoClipOptions,
): PpoClipResult {
  const { logProbs, oldLogProbs, advantages } = inputs;
  const o: Required<PpoClipOptions> = {
    clipLow: options?.clipLow ?? 0.2,
    clipHigh: options?.clipHigh ?? 0.2,
    dualClip: options?.dualClip === undefined ? 3.0 : options.dualClip,
  };
  checkOptions(o);
  checkRank2(logProbs, "ppoClipLoss: logProbs");
  checkSameShape(logProbs, oldLogProbs, "logProbs", "ppoClipLoss: oldLogProbs");
  checkPerRow(logProbs, advantages, "ppoClipLoss: advantages");
  return tf.tidy(() => {
    const old = stopGradient(oldLogProbs);
    const logRatio = tf.clipByValue(tf.sub(logProbs, old), -MAX_LOG_RATIO, MAX_LOG_RATIO);
    const ratio = tf.exp(logRatio); // [B, T]
    const adv = tf.expandDims(stopGradient(tf.cast(advantages, "float32")), 1); // [B, 1]
    const unclippedLoss = tf.neg(tf.mul(adv, ratio));
    const clippedRatio = tf.clipByValue(ratio, 1 - o.clipLow, 1 + o.clipHigh);
    const clippedLoss = tf.neg(tf.mul(adv, clippedRatio));
    const clipLoss = tf.maximum(unclippedLoss, clippedLoss) as tf.Tensor2D;
    const clipped = tf.cast(tf.greater(clippedLoss, unclippedLoss), "float32") as tf.Tensor2D;
    if (o.dualClip === null) {
      return { loss: clipLoss, clipped, dualClipped: tf.zerosLike(clipLoss) };
    }
    const cap = tf.broadcastTo(tf.mul(tf.abs(adv), o.dualClip), logProbs.shape); // c |A|
    const negative = tf.broadcastTo(tf.less(adv, 0), logProbs.shape);
    const loss = tf.where(negative, tf.minimum(clipLoss, cap), clipLoss) as tf.Tensor2D;
    const dualClipped = tf.cast(tf.logicalAnd(negative, tf.greater(clipLoss, cap)), "float32");
    return { loss, clipped, dualClipped: dualClipped as tf.Tensor2D };
  });
}
