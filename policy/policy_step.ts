/**
 * One GRPO step of a policy against a judge:
 *
 *   1. n answers per prompt from the current policy (temperature, top-p; stop at EOS);
 *   2. the judge's reward of every answer (a missing reward: the group's mean, so no advantage);
 *   3. advantages within each prompt's group (Eq. 14's normalisation);
 *   4. the PPO-clip update with the KL term to the policy's start (train/grpo_update.ts);
 *   5. metrics and per-answer samples; `policy/quality` is the mean of the samples' `quality`.
 *
 * @module
 */
import { mean, sampleVariance } from "../irpm/group_stats.ts";
import { pearson } from "../eval/spearman.ts";
import { advantageScalings, fracRewardZeroStd } from "../grpo/advantages.ts";
import type { SyntheticTask } from "../data/synthetic/task.ts";
import { syntheticQuality } from "../data/synthetic/score.ts";
import { generate } from "../model/sample.ts";
import { EOS_ID } from "../model/tokenizer.ts";
import type { Prng } from "../rng/prng.ts";
import { grpoUpdate } from "../train/grpo_update.ts";
import type { PolicyState } from "../train/policy_state.ts";
import type { PolicyConfig } from "./policy_config.ts";
import { POLICY_MAX_NEW_TOKENS, policyAnswer, policyPromptTokens } from "./policy_format.ts";
import type { PolicyJudge } from "./judges.ts";

/** One sampled answer as logged to samples.jsonl. */
export interface PolicySample {
  readonly prompt: string;
  readonly answer: string;
  readonly text: string;
  readonly finished: boolean;
  /** Hidden quality (0..10): never seen by a model judge. */
  readonly quality: number;
  /** The judge's reward, null where it gave none. */
  readonly judgeReward: number | null;
  /** The reward used (a missing one filled with its group's mean). */
  readonly reward: number;
  readonly advantage: number;
}

/** Result of {@link policyStep}. */
export interface PolicyStepResult {
  readonly metrics: Record<string, number>;
  readonly samples: PolicySample[];
  readonly skippedUpdates: number;
}

const std = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(sampleVariance(xs)));

/**
 * A group's rewards with each missing one replaced by the mean of the others (all missing: 0).
 *
 * @example
 * ```ts
 * import { fillMissingRewards } from "./policy_step.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fillMissingRewards([4, null, 8]), [4, 6, 8]);
 * assertEquals(fillMissingRewards([null, null]), [0, 0]);
 * ```
 */
export function fillMissingRewards(rewards: readonly (number | null)[]): number[] {
  const given = rewards.filter((r): r is number => r !== null);
  const fill = given.length === 0 ? 0 : mean(given);
  return rewards.map((r) => r ?? fill);
}

/** Runs steps 1-5 on one batch of prompts. */
export async function policyStep(
  policy: PolicyState,
  options: {
    tasks: readonly SyntheticTask[];
    config: Readonly<PolicyConfig>;
    judge: PolicyJudge;
    lr: number;
    rng: Prng;
    judgeSeed: number;
  },
): Promise<PolicyStepResult> {
  const { tasks, config, judge, lr, rng } = options;
  const n = config.samplesPerPrompt;
  const t0 = performance.now();

  // 1. n answers per prompt.
  const prompts = tasks.map((t) => policyPromptTokens(t.prompt));
  const rollouts = await generate(policy, {
    prompts,
    maxNewTokens: POLICY_MAX_NEW_TOKENS,
    rollouts: n,
    temperature: config.temperature,
    topP: config.topP,
    stopIds: [EOS_ID],
    rng,
  });
  const answers = rollouts.map((r) => policyAnswer(r.tokens));
  const sampleSeconds = (performance.now() - t0) / 1000;

  // 2. The judge's rewards.
  const groups = tasks.map((task, p) => ({
    task,
    answers: answers.slice(p * n, (p + 1) * n).map((a) => a.text),
  }));
  const judged = await judge.judge(groups, options.judgeSeed);
  const rewards = judged.rewards.map(fillMissingRewards);

  // 3. Advantages within each prompt's group.
  const advantages = advantageScalings.group(rewards).flat();

  // 4. The PPO-clip update.
  const update = await grpoUpdate(policy, {
    rollouts: rollouts.map((r) => ({
      promptTokens: prompts[r.prompt],
      tokens: r.tokens,
      logProbs: r.logProbs,
    })),
    advantages,
    config,
    lr,
  });

  // 5. Metrics and samples.
  const samples: PolicySample[] = rollouts.map((r, k) => {
    const task = tasks[r.prompt];
    return {
      prompt: task.prompt,
      answer: task.answer,
      text: answers[k].text,
      finished: answers[k].finished,
      quality: syntheticQuality(task, answers[k].text),
      judgeReward: judged.rewards[r.prompt][k % n],
      reward: rewards[r.prompt][k % n],
      advantage: advantages[k],
    };
  });
  const given = samples.flatMap((s) => (s.judgeReward === null ? [] : [s.judgeReward]));
  const qualities = samples.map((s) => s.quality);
  const seconds = (performance.now() - t0) / 1000;
  const last = update.metrics;
  const metrics: Record<string, number> = {
    loss: update.loss,
    "policy/quality": mean(qualities),
    "policy/exact_rate": mean(samples.map((s) => (s.text === s.answer ? 1 : 0))),
    "policy/finished_rate": mean(samples.map((s) => (s.finished ? 1 : 0))),
    "judge/reward_mean": mean(given),
    "judge/reward_std": std(given),
    "judge/missing_rate": 1 - given.length / samples.length,
    // how well the judge's rewards track the hidden quality inside this batch
    "judge/quality_corr": pearson(samples.map((s) => s.reward), qualities),
    "judge/calls": judged.calls,
    "judge/seconds": judged.seconds,
    frac_reward_zero_std: fracRewardZeroStd(rewards),
    kl: last.kl ?? 0,
    approx_kl: last.approx_kl ?? NaN,
    policy_loss: last.policy_loss ?? NaN,
    "clip_ratio/region_mean": last.clip_ratio ?? NaN,
    entropy: last.entropy ?? NaN,
    grad_norm: update.gradNorm,
    "completions/mean_length": mean(rollouts.map((r) => r.tokens.length)),
    learning_rate: lr,
    sample_seconds: sampleSeconds,
    ref_seconds: update.seconds.reference,
    update_seconds: update.seconds.update,
    "policy/seconds": sampleSeconds + update.seconds.reference + update.seconds.update,
    step_seconds: seconds,
    skipped_updates: update.skippedUpdates,
  };
  return { metrics, samples, skippedUpdates: update.skippedUpdates };
}
