/**
 * One IRPM training step, written out as in method.md:
 *
 *   1. a batch of pairs (chosen and rejected of a pair always together);
 *   2. G rollouts per side from the current policy;
 *   3. parse scores, IRPM rewards with the chosen design + format penalty (and, with
 *      `overlongPenalty`, the over-length penalty for valid rollouts that hit the token cap);
 *   4. advantages within each group; reference log-probs for the KL term;
 *   5. PPO-clip update(s) with AdamW, warm-up + cosine lr, grad-norm clip
 *      (with several updates per batch the old log-probs stay those of the sampling policy);
 *   6. metrics (TRL's names where they exist: train/metric_names.ts) and per-rollout samples.
 *
 * @module
 */
import { grpoUpdate } from "./grpo_update.ts";
import type { PreferencePair } from "../data/types.ts";
import type { PolicyState } from "./policy_state.ts";
import { advantageScalings, fracRewardZeroStd } from "../grpo/advantages.ts";
import { scoreGroups } from "../irpm/pair_rewards.ts";
import { scaleWeakPairAdvantages } from "../irpm/weak_pairs.ts";
import { mean as meanOf, sampleVariance } from "../irpm/group_stats.ts";
import { type EstimatorDiagnostics, estimatorDiagnostics } from "../irpm/estimator.ts";
import type { Prng } from "../rng/prng.ts";
import type { TrainConfig } from "./config.ts";
import { type JudgedRollout, judgeItems } from "./judge.ts";

export type { PolicyState } from "./policy_state.ts";

/** One rollout as logged to samples.jsonl. */
export interface RolloutSample {
  readonly pair: string;
  readonly side: "chosen" | "rejected";
  readonly strength: number;
  readonly text: string;
  readonly score: number | null;
  readonly scoreUsed: number;
  readonly reward: number;
  readonly advantage: number;
  readonly valid: boolean;
}

/**
 * The metrics that measure time rather than training (they differ between two runs of the same
 * seed): drop them with {@link withoutTimings} before comparing runs.
 */
export const TIMING_METRICS: readonly string[] = Object.freeze([
  "tokens_per_second",
  "sample_seconds",
  "ref_seconds",
  "update_seconds",
  "step_seconds",
  "judge/seconds", // deno task policy
  "policy/seconds",
]);

/**
 * A metrics line without its {@link TIMING_METRICS}: what a deterministic run reproduces exactly.
 *
 * @example
 * ```ts
 * import { withoutTimings } from "./step.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(withoutTimings({ step: 3, loss: 0.5, step_seconds: 1.2, ref_seconds: 0.1 }), {
 *   step: 3,
 *   loss: 0.5,
 * });
 * ```
 */
export function withoutTimings<T extends Record<string, unknown>>(line: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(line).filter(([key]) => !TIMING_METRICS.includes(key)),
  ) as Partial<T>;
}

/** Per-step metrics (numbers only). */
export type StepMetrics = Record<string, number>;

/** Result of {@link irpmStep}. */
export interface StepResult {
  readonly metrics: StepMetrics;
  readonly samples: RolloutSample[];
  /** Updates that were skipped because the loss or gradient was NaN/Inf. */
  readonly skippedUpdates: number;
}

// metrics of an empty list (e.g. no valid score this step) log 0, as before
const mean = (xs: readonly number[]) => xs.length === 0 ? 0 : meanOf(xs);
const std = (xs: readonly number[]) => xs.length < 2 ? 0 : Math.sqrt(sampleVariance(xs));

/**
 * The batch's intergroup-estimator diagnostics (irpm/estimator.ts), over the pairs: mean P_hat and
 * standard error, mean within-group and between-group score variance (scores as the rewards used
 * them, substitutions included), and the signal-to-noise ratio of those means. Non-finite per-pair
 * values (a group of one) are left out of the means.
 *
 * @example
 * ```ts
 * import { estimatorMetrics } from "./step.ts";
 * import { estimatorDiagnostics } from "../irpm/estimator.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const m = estimatorMetrics([estimatorDiagnostics([2, 0], [1, 0]), estimatorDiagnostics([3, 3], [1, 1])]);
 * assertAlmostEquals(m["estimator/within_var"], 0.625, 1e-12); // (1.25 + 0) / 2
 * assertAlmostEquals(m["estimator/between_var"], 2.125, 1e-12); // (0.25 + 4) / 2
 * assertAlmostEquals(m["estimator/snr"], 3.4, 1e-12);
 * ```
 */
export function estimatorMetrics(diagnostics: readonly EstimatorDiagnostics[]) {
  const avg = (f: (d: EstimatorDiagnostics) => number) => {
    const xs = diagnostics.map(f).filter(Number.isFinite);
    return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN;
  };
  const within = avg((d) => d.withinVariance), between = avg((d) => d.betweenVariance);
  return {
    "estimator/p_hat": avg((d) => d.pHat),
    "estimator/se": avg((d) => d.standardError),
    "estimator/within_var": within,
    "estimator/between_var": between,
    "estimator/snr": within > 0 ? between / within : NaN,
  };
}

/** Runs steps 2-6 on one batch of pairs. */
export async function irpmStep(
  policy: PolicyState,
  options: {
    pairs: readonly PreferencePair[];
    config: Readonly<TrainConfig>;
    lr: number;
    rng: Prng;
  },
): Promise<StepResult> {
  const { pairs, config, lr, rng } = options;
  const G = config.groupSize;
  const t0 = performance.now();

  // 2. Sample G rollouts per side with the current policy.
  const items = pairs.flatMap((p) => [
    { context: p.context, response: p.chosen },
    { context: p.context, response: p.rejected },
  ]);
  const rollouts = await judgeItems({ params: policy.params, config: policy.config }, items, {
    rollouts: G,
    temperature: config.temperature,
    topP: config.topP,
    maxNewTokens: config.maxNewTokens,
    rng,
  });
  const sampleSeconds = (performance.now() - t0) / 1000;
  const side = (pair: number, s: 0 | 1) =>
    rollouts.slice((2 * pair + s) * G, (2 * pair + s + 1) * G);

  // 3. Parse scores and compute IRPM rewards (+ format penalty), pair by pair.
  const groups: number[][] = [];
  const samples: RolloutSample[] = [];
  const diagnostics: EstimatorDiagnostics[] = [];
  pairs.forEach((pair, i) => {
    const chosen = side(i, 0), rejected = side(i, 1);
    // judgment = parseJudgment(text), so this is scorePair on the texts, plus the over-length
    // penalty (--overlong-penalty) for rollouts that hit the token cap.
    const scores = (group: JudgedRollout[]) => group.map((r) => r.judgment.score);
    const overlong = (group: JudgedRollout[]) =>
      group.map((r) => config.overlongPenalty && !r.stopped);
    const rewards = scoreGroups(
      { chosen: scores(chosen), rejected: scores(rejected) },
      {
        design: config.design,
        margin: config.margin,
        strength: pair.strength,
        alpha: config.alpha,
        overlong: { chosen: overlong(chosen), rejected: overlong(rejected) },
      },
    );
    groups.push(rewards.chosen.map((r) => r.reward), rewards.rejected.map((r) => r.reward));
    diagnostics.push(
      estimatorDiagnostics(
        rewards.chosen.map((r) => r.score),
        rewards.rejected.map((r) => r.score),
      ),
    );
    const record = (
      r: JudgedRollout,
      w: (typeof rewards.chosen)[number],
      s: "chosen" | "rejected",
    ) => {
      samples.push({
        pair: pair.id,
        side: s,
        strength: pair.strength,
        text: r.text,
        score: r.judgment.score,
        scoreUsed: w.score,
        reward: w.reward,
        advantage: 0,
        valid: w.valid,
      });
    };
    chosen.forEach((r, g) => record(r, rewards.chosen[g], "chosen"));
    rejected.forEach((r, g) => record(r, rewards.rejected[g], "rejected"));
  });

  // 4. Advantages within each group (chosen and rejected groups separately).
  // weak pairs (|p| <= 1, kept with --min-strength 1) teach with weight --weak-pair-weight
  const advantages = scaleWeakPairAdvantages(advantageScalings[config.advantageScaling](groups), {
    strengths: pairs.map((p) => p.strength),
    weight: config.weakPairWeight,
  }).flat();
  samples.forEach((s, k) => ((s as { advantage: number }).advantage = advantages[k]));

  // 5. PPO-clip update(s).
  const update = await grpoUpdate(policy, { rollouts, advantages, config, lr });
  const { loss, gradNorm, skippedUpdates } = update;
  const last = update.metrics;

  // 6. Metrics.
  const rewards = groups.flat();
  const chosenScores = samples.filter((s) => s.side === "chosen").map((s) => s.scoreUsed);
  const rejectedScores = samples.filter((s) => s.side === "rejected").map((s) => s.scoreUsed);
  let ties = 0, comparisons = 0;
  pairs.forEach((_, i) => {
    for (const c of side(i, 0)) {
      for (const r of side(i, 1)) {
        if (c.judgment.valid && r.judgment.valid) {
          comparisons++;
          if (c.judgment.score === r.judgment.score) ties++;
        }
      }
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  const tokens = rollouts.reduce((a, r) => a + r.promptTokens.length + r.tokens.length, 0);
  const metrics: StepMetrics = {
    loss,
    reward: mean(rewards),
    reward_std: std(rewards),
    rollout_win_rate: rewards.filter((r) => r === 1).length / rewards.length,
    "score/chosen_mean": mean(chosenScores),
    "score/chosen_std": std(chosenScores),
    "score/rejected_mean": mean(rejectedScores),
    "score/rejected_std": std(rejectedScores),
    // The collapse monitor: variance of the scores the model actually wrote (valid ones only).
    "score/variance": std(samples.filter((s) => s.score !== null).map((s) => s.score!)) ** 2,
    "score/gap": mean(chosenScores) - mean(rejectedScores),
    rollout_tie_rate: comparisons ? ties / comparisons : NaN,
    format_violation_rate: samples.filter((s) => !s.valid).length / samples.length,
    frac_reward_zero_std: fracRewardZeroStd(groups),
    kl: last.kl ?? 0,
    approx_kl: last.approx_kl ?? NaN,
    policy_loss: last.policy_loss ?? NaN,
    "clip_ratio/region_mean": last.clip_ratio ?? NaN,
    entropy: last.entropy ?? NaN,
    grad_norm: gradNorm,
    "completions/mean_length": mean(rollouts.map((r) => r.tokens.length)),
    learning_rate: lr,
    tokens_per_second: tokens * config.updatesPerBatch / Math.max(seconds - sampleSeconds, 1e-9),
    sample_seconds: sampleSeconds,
    ref_seconds: update.seconds.reference,
    update_seconds: update.seconds.update,
    step_seconds: seconds,
    skipped_updates: skippedUpdates,
    ...estimatorMetrics(diagnostics),
  };
  return { metrics, samples, skippedUpdates };
}
