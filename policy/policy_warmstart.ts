/**
 * The policy warm-start: a fresh transformer taught to answer the synthetic tasks in the policy
 * format (`policy_format.ts`) by supervised learning on NOISY targets: with probability
 * `correctRate` the correct answer, otherwise the correct answer with 1 or 2 seeded edits
 * (`corruptTask`, the same corruptions the judges were trained on). Stopped early, the policy
 * answers with errors often enough to leave room for RL: its greedy answers are right only part
 * of the time and its sampled answers spread over qualities 0..10.
 *
 * Loss: token-mean negative log-likelihood of the target tokens (answer + EOS), in the supervised
 * loop all warm-starts share (`train/supervised.ts`).
 *
 * @module
 */
import { corruptTask } from "../data/synthetic/corrupt.ts";
import type { SyntheticTask } from "../data/synthetic/task.ts";
import { adamwDispose } from "../grpo/adamw.ts";
import { type ModelConfig, presetConfig } from "../model/config.ts";
import { initParams, type TrainableParams } from "../model/params.ts";
import { createPrng, type Prng } from "../rng/prng.ts";
import {
  type SupervisedRecipe,
  supervisedSteps,
  type WarmStartExample,
} from "../train/supervised.ts";
import { evaluatePolicyAnswers, type PolicyEvalSummary } from "./policy_eval.ts";
import { policyAnswerTokens, policyPromptTokens } from "./policy_format.ts";
import { heldOutTasks, stepTasks } from "./policy_tasks.ts";

/** The policy warm-start recipe: everything needed to reproduce a shipped policy start. */
export interface PolicyWarmStartConfig extends SupervisedRecipe {
  readonly preset: string;
  readonly seed: number;
  readonly batchSize: number;
  /** Probability that a target is the correct answer (else 1 or 2 edits of it). */
  readonly correctRate: number;
  /** Held-out prompts (the policy trainer's held-out set of the same seed). */
  readonly evalPrompts: number;
  readonly evalEvery: number;
}

/** Defaults: a short CPU recipe that leaves the policy wrong about half the time. */
export const DEFAULT_POLICY_WARMSTART: Readonly<PolicyWarmStartConfig> = Object.freeze({
  preset: "small",
  seed: 0,
  steps: 600,
  batchSize: 128,
  lr: 2e-3,
  warmupSteps: 30,
  minLrRatio: 0.05,
  weightDecay: 0.01,
  gradClip: 1,
  correctRate: 0.5,
  evalPrompts: 256,
  evalEvery: 100,
});

/**
 * One example per task: the prompt and a noisy target (one `rng.next()` draw, then the edit count
 * and `corruptTask`'s draws when the target is corrupted).
 *
 * @example
 * ```ts
 * import { policyWarmStartExamples } from "./policy_warmstart.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { decode, EOS_ID } from "../model/tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * const task = { domain: "arith", prompt: "37+48=", answer: "85" };
 * const [right] = policyWarmStartExamples([task], { rng: createPrng(0), correctRate: 1 });
 * assertEquals(decode(right.completion.slice(0, -1)), "85");
 * const [wrong] = policyWarmStartExamples([task], { rng: createPrng(0), correctRate: 0 });
 * assertEquals(wrong.completion.at(-1), EOS_ID);
 * assertEquals(decode(wrong.completion.slice(0, -1)) === "85", false);
 * ```
 */
export function policyWarmStartExamples(
  tasks: readonly SyntheticTask[],
  options: { rng: Prng; correctRate: number },
): WarmStartExample[] {
  const { rng, correctRate } = options;
  return tasks.map((task) => {
    const correct = rng.next() < correctRate;
    const target = correct ? task.answer : corruptTask(task, { edits: 1 + rng.int(2), rng });
    return { prompt: policyPromptTokens(task.prompt), completion: policyAnswerTokens(target) };
  });
}

/** Progress of the policy warm-start. */
export interface PolicyWarmStartProgress {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  readonly seconds: number;
}

/** A finished (or stopped) policy warm-start. */
export interface PolicyWarmStartResult {
  readonly params: TrainableParams;
  readonly config: ModelConfig;
  readonly evaluation: PolicyEvalSummary;
  readonly step: number;
}

/** Runs the recipe (training prompts never include the held-out ones). */
export async function runPolicyWarmStart(
  recipe: Readonly<PolicyWarmStartConfig>,
  callbacks: {
    /** Stop (evaluating first) after this many steps of the recipe's schedule. */
    stopAfter?: number;
    onStep?: (p: PolicyWarmStartProgress) => void;
    onEval?: (
      step: number,
      summary: PolicyEvalSummary,
      params: TrainableParams,
    ) => void | Promise<void>;
  } = {},
): Promise<PolicyWarmStartResult> {
  const config = presetConfig(recipe.preset);
  const params = initParams(config, createPrng(recipe.seed));
  const heldOut = heldOutTasks({ seed: recipe.seed, count: recipe.evalPrompts });
  const exclude = new Set(heldOut.map((t) => t.prompt));
  const noise = createPrng(recipe.seed + 31337);
  const batch = (step: number) => {
    const tasks = stepTasks({
      seed: recipe.seed + 1_000_000, // a stream of its own: not the RL run's prompts
      step,
      count: recipe.batchSize,
      exclude,
    });
    return policyWarmStartExamples(tasks, { rng: noise, correctRate: recipe.correctRate });
  };
  let evaluation: PolicyEvalSummary | undefined;
  const { optimizer, steps } = await supervisedSteps({ params, config }, { recipe, batch }, {
    stopAfter: callbacks.stopAfter,
    what: "policy warm-start",
    evalEvery: recipe.evalEvery,
    onStep: ({ step, loss, lr, seconds }) => callbacks.onStep?.({ step, loss, lr, seconds }),
    onEval: async (step) => {
      const out = await evaluatePolicyAnswers({ params, config }, heldOut, {
        samples: 4,
        rng: createPrng(recipe.seed + 7),
      });
      evaluation = out.summary;
      await callbacks.onEval?.(step, out.summary, params);
    },
  });
  adamwDispose(optimizer);
  return { params, config, evaluation: evaluation!, step: steps };
}
