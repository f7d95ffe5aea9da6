/**
 * Step 5 of a GRPO step, shared by the IRPM trainer and the pairwise-GRM baseline: pack the
 * rollouts, compute reference log-probs once, then run `updatesPerBatch` PPO-clip updates with
 * AdamW. The old log-probs are the sampler's (those of the sampling policy), placed on the same
 * grid by `packCompletions`, so several updates per batch stay proper PPO.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { grpoLoss } from "../grpo/grpo_loss.ts";
import {
  completionLogProbs,
  completionLogProbsAndEntropy,
  packCompletions,
} from "../model/logprobs.ts";
import type { TrainConfig } from "./config.ts";
import { optimizerStep } from "./optimize.ts";
import type { PolicyState } from "./policy_state.ts";

/** The settings the update reads (the GRM trainer's and the policy trainer's configs have them). */
export type GrpoUpdateConfig = Pick<
  TrainConfig,
  | "klCoef"
  | "klEstimator"
  | "clipLow"
  | "clipHigh"
  | "dualClip"
  | "lossAggregation"
  | "updatesPerBatch"
  | "weightDecay"
  | "gradClip"
>;

/** A sampled completion: what the update needs of it. */
export interface UpdateRollout {
  readonly promptTokens: readonly number[];
  readonly tokens: readonly number[];
  readonly logProbs: readonly number[];
}

/** Result of {@link grpoUpdate}: the last update's loss, norm and kept metrics. */
export interface GrpoUpdateResult {
  readonly loss: number;
  readonly gradNorm: number;
  readonly skippedUpdates: number;
  /** policy_loss, clip_ratio, approx_kl, kl (when klCoef > 0), entropy. */
  readonly metrics: Record<string, number>;
  /** Wall seconds of the reference model's log-probs (0 without KL) and of the update(s). */
  readonly seconds: { reference: number; update: number };
}

/** Runs the PPO-clip update(s) for one batch of rollouts with one advantage each. */
export async function grpoUpdate(
  policy: PolicyState,
  batch: {
    rollouts: readonly UpdateRollout[];
    advantages: readonly number[];
    config: Readonly<GrpoUpdateConfig>;
    lr: number;
  },
): Promise<GrpoUpdateResult> {
  const { config, lr } = batch;
  if (batch.rollouts.length !== batch.advantages.length) {
    throw new RangeError(
      `grpoUpdate: ${batch.rollouts.length} rollouts but ${batch.advantages.length} advantages`,
    );
  }
  const packed = packCompletions(
    batch.rollouts.map((r) => ({
      prompt: r.promptTokens,
      completion: r.tokens,
      logProbs: r.logProbs,
    })),
  );
  const t0 = performance.now();
  const refLogProbs = config.klCoef > 0
    ? completionLogProbs({ params: policy.reference, config: policy.config }, packed)
    : undefined;
  // wait for the values (an async backend such as webgpu only queues the work), so the time is
  // the reference forward's and not charged to the update
  await refLogProbs?.data();
  const t1 = performance.now();
  const advantages = tf.tensor1d(batch.advantages as number[]);
  let skippedUpdates = 0, loss = NaN, gradNorm = NaN;
  let metrics: Record<string, number> = {};
  try {
    for (let u = 0; u < config.updatesPerBatch; u++) {
      const result = await optimizerStep({ params: policy.params }, {
        state: policy.optimizer,
        lossFn: (keep) => {
          const { logProbs, entropy } = completionLogProbsAndEntropy(policy, packed);
          const out = grpoLoss({
            logProbs,
            oldLogProbs: packed.logProbs!,
            refLogProbs,
            advantages,
            mask: packed.mask,
          }, {
            clipLow: config.clipLow,
            clipHigh: config.clipHigh,
            dualClip: config.dualClip,
            klCoef: config.klCoef,
            klEstimator: config.klEstimator,
            aggregation: config.lossAggregation,
          });
          keep("policy_loss", out.policyLoss);
          keep("clip_ratio", out.clipFraction);
          keep("approx_kl", out.approxKl);
          if (out.kl) keep("kl", out.kl);
          keep(
            "entropy",
            tf.div(tf.sum(tf.mul(entropy!, packed.mask)), tf.maximum(tf.sum(packed.mask), 1)),
          );
          return out.loss;
        },
        lr,
        weightDecay: config.weightDecay,
        gradClip: config.gradClip,
      });
      policy.optimizer = result.state;
      if (result.skipped) skippedUpdates++;
      metrics = result.metrics;
      loss = result.loss;
      gradNorm = result.gradNorm;
    }
  } finally {
    tf.dispose([packed.tokens, packed.mask, packed.logProbs!, advantages]);
    refLogProbs?.dispose();
  }
  const seconds = {
    reference: (t1 - t0) / 1000,
    update: (performance.now() - t1) / 1000,
  };
  return { loss, gradNorm, skippedUpdates, metrics, seconds };
}
