/**
 * The GRPO objective as IRPM trains it: PPO-clip policy loss plus a KL-to-reference loss term.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type AggregationOptions, lossAggregations, tokenMean } from "./aggregate.ts";
import { klEstimators } from "./kl.ts";
import { ppoClipLoss, type PpoClipOptions } from "./policy_loss.ts";
import { checkRank2, checkSameShape } from "./_shapes.ts";

/** Name of a KL estimator in {@link klEstimators}. */
export type KlEstimatorName = keyof typeof klEstimators;
/** Name of an aggregation mode in {@link lossAggregations}. */
export type AggregationName = keyof typeof lossAggregations;

/** Options of {@link grpoLoss}; every field defaults to {@link grpoLossDefaults}. */
export interface GrpoLossOptions extends PpoClipOptions, AggregationOptions {
  /** Weight of the KL loss term (0 turns it off; then refLogProbs may be omitted). */
  readonly klCoef?: number;
  /** Which KL estimator the loss term uses. */
  readonly klEstimator?: KlEstimatorName;
  /** How per-token losses become a scalar (used for both the policy and the KL term). */
  readonly aggregation?: AggregationName;
}

/** Fully resolved {@link GrpoLossOptions} (only `normalizer` may stay undefined). */
export type GrpoLossConfig = Required<Omit<GrpoLossOptions, "normalizer">> & {
  readonly normalizer: number | undefined;
};

/**
 * The paper's released recipe (method.md, "GRPO as used by IRPM"), what {@link grpoLoss} uses for
 * an option left out. `deno task train` passes every option from its own config instead
 * (train/config.ts), whose KL coefficient is 0.2, not the released 0.001: see its reason there.
 */
export const grpoLossDefaults: Readonly<GrpoLossConfig> = Object.freeze({
  clipLow: 0.2, // IRPM/veRL clip_ratio 0.2 on both sides
  clipHigh: 0.2,
  dualClip: 3.0, // veRL's clip_ratio_c default, kept by IRPM
  klCoef: 0.001, // IRPM kl_loss_coef
  klEstimator: "k3" as KlEstimatorName, // veRL "low_var_kl": non-negative, low variance
  aggregation: "token-mean" as AggregationName, // IRPM loss_agg_mode
  normalizer: undefined, // only for seq-mean-token-sum-norm: the padded length T
});

/** Tensors of one batch; all [B, T] except `advantages` ([B]). The caller owns and disposes them. */
export interface GrpoLossInputs {
  /** Log-probs of the sampled tokens under the policy being trained (gradients flow from here). */
  readonly logProbs: tf.Tensor2D;
  /** Log-probs under the policy that sampled them (equal to logProbs, detached, when on-policy). */
  readonly oldLogProbs: tf.Tensor2D;
  /** Log-probs under the frozen reference model; required when klCoef > 0. */
  readonly refLogProbs?: tf.Tensor2D;
  /** One advantage per sequence, e.g. from `groupAdvantages`. */
  readonly advantages: tf.Tensor1D;
  /** 1 on completion tokens, 0 on prompt and padding. */
  readonly mask: tf.Tensor2D;
}

/** Loss and metrics, all scalars the caller disposes (e.g. `tf.dispose(result)`). */
export type GrpoLossResult = {
  /** The objective to minimise: agg(policy loss) + klCoef * agg(kl). */
  readonly loss: tf.Scalar;
  /** agg(policy loss). */
  readonly policyLoss: tf.Scalar;
  /** Token-mean of the chosen KL estimator over completion tokens; absent without refLogProbs. */
  readonly kl?: tf.Scalar;
  /** Token-mean of the ratio-clip indicator (veRL pg_clipfrac). */
  readonly clipFraction: tf.Scalar;
  /** Token-mean of the dual-clip indicator (veRL pg_clipfrac_lower). */
  readonly dualClipFraction: tf.Scalar;
  /** Token-mean of old - logp, the k1 estimate of KL(old || policy) (veRL ppo_kl). */
  readonly approxKl: tf.Scalar;
};

function pick<K extends string, V>(record: Readonly<Record<K, V>>, name: string, field: string): V {
  if (!Object.hasOwn(record, name)) {
    throw new RangeError(
      `grpoLoss: ${field} must be one of ${Object.keys(record).join(", ")}, got "${name}"`,
    );
  }
  return record[name as K];
}

/** Defaults filled in for fields that are absent or undefined (an explicit null dualClip stays). */
function resolveOptions(options: GrpoLossOptions | undefined): GrpoLossConfig {
  const o: Record<string, unknown> = { ...grpoLossDefaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!Object.hasOwn(grpoLossDefaults, key)) {
      throw new TypeError(`grpoLoss: unknown option "${key}"`);
    }
    if (value !== undefined) o[key] = value;
  }
  return o as GrpoLossConfig;
}

/**
 * The GRPO loss of one batch:
 *
 *   loss = agg(L_clip, mask) + klCoef * agg(k(logp, ref), mask)
 *
 * with L_clip the per-token PPO-clip loss with dual clip ({@link ppoClipLoss}), k one of
 * k1/k2/k3 ({@link klEstimators}) and agg one of {@link lossAggregations}. The KL enters as a loss
 * term (not a reward penalty), as in veRL's `use_kl_loss` and IRPM. Names are looked up once here.
 *
 * To keep the metrics from a `tf.variableGrads` closure, which disposes everything but the returned
 * scalar, `tf.keep` them inside it:
 *
 * ```ts ignore
 * let out: GrpoLossResult | undefined;
 * const { grads } = tf.variableGrads(() => {
 *   out = grpoLoss({ logProbs: policyLogProbs(), oldLogProbs, refLogProbs, advantages, mask });
 *   Object.values(out).forEach((t) => tf.keep(t));
 *   return out.loss;
 * });
 * ```
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { grpoLoss } from "./grpo_loss.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // on-policy (ratio 1) and policy = reference (kl 0): loss = token-mean of -A over the mask
 * const logp = tf.tensor2d([[-1, -2], [-1, -3]]);
 * const out = grpoLoss({
 *   logProbs: logp, oldLogProbs: logp, refLogProbs: logp,
 *   advantages: tf.tensor1d([1, -1]), mask: tf.tensor2d([[1, 1], [1, 0]]),
 * });
 * assertAlmostEquals(out.loss.dataSync()[0], (-1 - 1 + 1) / 3, 1e-6);
 * ```
 */
export function grpoLoss(inputs: GrpoLossInputs, options?: GrpoLossOptions): GrpoLossResult {
  const o = resolveOptions(options);
  const kl = pick(klEstimators, o.klEstimator, "klEstimator");
  const agg = pick(lossAggregations, o.aggregation, "aggregation");
  if (!(o.klCoef >= 0 && Number.isFinite(o.klCoef))) {
    throw new RangeError(`grpoLoss: klCoef must be a finite number >= 0, got ${o.klCoef}`);
  }
  const { logProbs, oldLogProbs, refLogProbs, advantages, mask } = inputs;
  if (refLogProbs === undefined && o.klCoef > 0) {
    throw new TypeError(`grpoLoss: refLogProbs is required when klCoef > 0 (klCoef = ${o.klCoef})`);
  }
  checkRank2(logProbs, "grpoLoss: logProbs");
  checkSameShape(logProbs, mask, "logProbs", "grpoLoss: mask");
  const aggOptions = { normalizer: o.normalizer };
  return tf.tidy(() => {
    const pg = ppoClipLoss({ logProbs, oldLogProbs, advantages }, o);
    const policyLoss = agg(pg.loss, mask, aggOptions);
    const clipFraction = tokenMean(pg.clipped, mask);
    const dualClipFraction = tokenMean(pg.dualClipped, mask);
    const approxKl = tokenMean(tf.sub(oldLogProbs, logProbs), mask);
    if (refLogProbs === undefined) {
      const loss = tf.clone(policyLoss); // its own tensor, so disposing one leaves the other
      return { loss, policyLoss, clipFraction, dualClipFraction, approxKl };
    }
    const klMat = kl(logProbs, refLogProbs);
    const loss = o.klCoef > 0
      ? tf.add(policyLoss, tf.mul(o.klCoef, agg(klMat, mask, aggOptions))) as tf.Scalar
      : tf.clone(policyLoss);
    return {
      loss,
      policyLoss,
      kl: tokenMean(klMat, mask),
      clipFraction,
      dualClipFraction,
      approxKl,
    };
  });
}
