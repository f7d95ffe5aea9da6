/**
 * One GRPO step of the pairwise GRM baseline, numbered like `train/step.ts` (IRPM's step) so the
 * two read side by side; only steps 1-3 differ:
 *
 *   1. a batch of pairs; each shown in a seeded random order (which response is "1");
 *   2. G rollouts per comparison from the current policy;
 *   3. reward per rollout: +1 right verdict, -1 wrong, -1.5 no verdict (`verdictReward`);
 *   4. advantages within each comparison's group of G; reference log-probs for the KL term;
 *   5. PPO-clip update(s) with AdamW, lr schedule and grad-norm clip (same `grpoLoss` and
 *      `optimizerStep` as IRPM, same `TrainConfig` fields);
 *   6. metrics.
 *
 * Budget parity: a batch of P pairs gives P comparisons x G rollouts (IRPM: 2P groups x G,
 * since each response is judged alone); both see the same pairs per step.
 *
 * @module
 */
import { grpoUpdate } from "../train/grpo_update.ts";
import type { PreferencePair } from "../data/types.ts";
import { mean as meanOf } from "../irpm/group_stats.ts";
import { advantageScalings, fracRewardZeroStd } from "../grpo/advantages.ts";
import type { Prng } from "../rng/prng.ts";
import type { TrainConfig } from "../train/config.ts";
import type { PolicyState, StepResult } from "../train/step.ts";
import type { Comparison } from "./pairwise_format.ts";
import { verdictReward } from "./pairwise_format.ts";
import { judgeComparisons, PAIRWISE_MAX_NEW_TOKENS } from "./pairwise_judge.ts";

/**
 * Shows a pair in a random order: with probability 1/2 (one `rng.int(2)` draw) the rejected
 * response comes first; `label` is the correct verdict for the order shown.
 *
 * @example
 * ```ts
 * import { randomOrder } from "./pairwise_step.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * const rng = createPrng(0);
 * const shown = Array.from({ length: 200 }, () => randomOrder({ context: [], chosen: "c", rejected: "r" }, rng));
 * assertEquals(shown.every((s) => (s.label === "A>B") === (s.comparison.first === "c")), true);
 * const firstChosen = shown.filter((s) => s.label === "A>B").length; // ~100
 * assertEquals(firstChosen > 80 && firstChosen < 120, true);
 * ```
 */
export function randomOrder(
  pair: Pick<PreferencePair, "context" | "chosen" | "rejected">,
  rng: Prng,
): { comparison: Comparison; label: "A>B" | "B>A" } {
  const chosenFirst = rng.int(2) === 0;
  return {
    comparison: {
      context: pair.context,
      first: chosenFirst ? pair.chosen : pair.rejected,
      second: chosenFirst ? pair.rejected : pair.chosen,
    },
    label: chosenFirst ? "A>B" : "B>A",
  };
}

const mean = (xs: readonly number[]) => xs.length === 0 ? 0 : meanOf(xs);

/** Runs steps 1-6 on one batch of pairs (the order PRNG is `rng`, shared with sampling). */
export async function pairwiseGrpoStep(
  policy: PolicyState,
  options: {
    pairs: readonly PreferencePair[];
    config: Readonly<TrainConfig>;
    lr: number;
    rng: Prng;
    maxNewTokens?: number;
  },
): Promise<StepResult> {
  const { pairs, config, lr, rng } = options;
  const G = config.groupSize;
  const t0 = performance.now();

  // 1. Random presentation order per pair.
  const shown = pairs.map((p) => randomOrder(p, rng));

  // 2. G rollouts per comparison.
  const rollouts = await judgeComparisons(policy, shown.map((s) => s.comparison), {
    rollouts: G,
    temperature: config.temperature,
    maxNewTokens: options.maxNewTokens ?? PAIRWISE_MAX_NEW_TOKENS,
    rng,
  });
  const sampleSeconds = (performance.now() - t0) / 1000;

  // 3. Verdict rewards.
  const rewards = rollouts.map((r) => verdictReward(r.verdict, shown[r.item].label));
  const groups = shown.map((_, i) => rewards.slice(i * G, (i + 1) * G));

  // 4. Advantages within each comparison's group; reference log-probs.
  const advantages = advantageScalings[config.advantageScaling](groups).flat();

  // 5. PPO-clip update(s).
  const update = await grpoUpdate(policy, { rollouts, advantages, config, lr });
  const { loss, gradNorm, skippedUpdates } = update;
  const last = update.metrics;

  // 6. Metrics.
  const valid = rollouts.filter((r) => r.verdict !== null);
  const seconds = (performance.now() - t0) / 1000;
  return {
    metrics: {
      loss,
      reward: mean(rewards),
      verdict_accuracy: rewards.filter((r) => r === 1).length / rewards.length,
      format_violation_rate: 1 - valid.length / rollouts.length,
      // Share of valid verdicts that pick the response shown first (0.5 = no position bias).
      first_position_rate: valid.length
        ? valid.filter((r) => r.verdict === "A>B").length / valid.length
        : NaN,
      frac_reward_zero_std: fracRewardZeroStd(groups),
      kl: last.kl ?? 0,
      policy_loss: last.policy_loss ?? NaN,
      "clip_ratio/region_mean": last.clip_ratio ?? NaN,
      entropy: last.entropy ?? NaN,
      grad_norm: gradNorm,
      "completions/mean_length": mean(rollouts.map((r) => r.tokens.length)),
      learning_rate: lr,
      sample_seconds: sampleSeconds,
      step_seconds: seconds,
      skipped_updates: skippedUpdates,
    },
    samples: [],
    skippedUpdates,
  };
}
