/**
 * A training run held in memory for notebooks: the same data, warm-start, IRPM step and loop as
 * `deno task train`, without a run directory. Every evaluation keeps its per-pair outputs, and
 * the critique ceiling (synthetic suite) is computed from them, so a notebook can plot accuracy
 * against what the critiques allow and look inside the judgments.
 *
 * @module
 */
import { statedErrors } from "../../eval/critique_ceiling.ts";
import { spearman } from "../../eval/spearman.ts";
import { median } from "../../irpm/group_stats.ts";
import { disposeParams } from "../../model/params.ts";
import { adamwDispose } from "../../grpo/adamw.ts";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from "../../train/config.ts";
import { loadTrainData } from "../../train/data.ts";
import { type EvaluatedPair, evaluationCritiqueCeiling } from "../../train/evaluate.ts";
import { initialPolicy } from "../../train/policy_init.ts";
import type { PolicyState, StepMetrics } from "../../train/step.ts";
import { freshLoopState, trainLoop } from "../../train/trainer.ts";

/** One evaluation of a session. */
export interface SessionEval {
  readonly step: number;
  /** Greedy held-out accuracy, ties 0.5. */
  readonly accuracy: number;
  readonly tieRate: number;
  /** Synthetic data: accuracy of a perfect map from the critiques' error counts; else null. */
  readonly critiqueCeiling: number | null;
  /** The per-pair outputs behind the numbers. */
  readonly pairs: readonly EvaluatedPair[];
}

/** What {@link trainSession} returns; call `dispose()` when done with the policy. */
export interface TrainSession {
  readonly config: Readonly<TrainConfig>;
  readonly evals: SessionEval[];
  readonly steps: StepMetrics[];
  readonly policy: PolicyState;
  readonly dispose: () => void;
}

/**
 * Trains with `DEFAULT_TRAIN_CONFIG` overridden by `overrides` (the active tf backend is used).
 * `onEval` reports progress for long runs.
 */
export async function trainSession(
  overrides: Partial<TrainConfig>,
  onEval?: (e: SessionEval) => void,
): Promise<TrainSession> {
  const config: Readonly<TrainConfig> = Object.freeze({ ...DEFAULT_TRAIN_CONFIG, ...overrides });
  const data = await loadTrainData(config);
  const { policy } = await initialPolicy(config);
  const evals: SessionEval[] = [];
  const steps: StepMetrics[] = [];
  await trainLoop(policy, { data, config, state: freshLoopState(config.seed) }, {
    onStep: (_, m) => {
      steps.push(m);
    },
    onEval: (step, e) => {
      const o = e.report.overall;
      const point: SessionEval = {
        step,
        accuracy: o.accuracy,
        tieRate: o.tieRate,
        critiqueCeiling: config.data === "synthetic" ? evaluationCritiqueCeiling(e) : null,
        pairs: e.pairs,
      };
      evals.push(point);
      onEval?.(point);
    },
  });
  return {
    config,
    evals,
    steps,
    policy,
    dispose: () => {
      disposeParams(policy.params);
      disposeParams(policy.reference);
      adamwDispose(policy.optimizer);
    },
  };
}

/**
 * Greedy scores grouped by the error count the critique states (both sides of every pair),
 * `"none"` for judgments without a count: how the GRM maps its critique to a score.
 *
 * @example
 * ```ts
 * import { scoresByStatedErrors } from "./train_session.ts";
 * import { assertEquals } from "@std/assert";
 * const pair = (c: string, cs: number, r: string, rs: number) => ({
 *   id: "p", domain: "arith", strength: 2, chosenText: c, chosenScore: cs, rejectedText: r, rejectedScore: rs,
 *   outcome: 1,
 * });
 * assertEquals(scoresByStatedErrors([pair("1 vs 1: 0 err", 9, "1 vs 2: 1 err", 4),
 *   pair("3 vs 3: 0 err", 10, "?", 2)]), { "0": [9, 10], "1": [4], none: [2] });
 * ```
 */
export function scoresByStatedErrors(
  pairs: readonly EvaluatedPair[],
): Record<string, number[]> {
  const groups: Record<string, number[]> = {};
  for (const p of pairs) {
    for (
      const [text, score] of [[p.chosenText, p.chosenScore], [
        p.rejectedText,
        p.rejectedScore,
      ]] as const
    ) {
      if (score === null) continue;
      const key = String(statedErrors(text) ?? "none");
      (groups[key] ??= []).push(score);
    }
  }
  return groups;
}

/** How the greedy score follows the error count the critique states (see {@link statedErrorTrend}). */
export type StatedErrorTrend = {
  /** Median score per stated error count, ascending counts (judgments without a count left out). */
  medians: { errors: number; median: number; n: number }[];
  /** Spearman's rho between stated errors and score over every judgment with both: negative when
   * more stated errors mean a lower score. */
  rho: number;
};

/**
 * Summarises what a "score by stated error count" box plot shows, so a notebook states it from
 * the numbers rather than from hope: the median per count and the rank correlation.
 *
 * @example
 * ```ts
 * import { statedErrorTrend } from "./train_session.ts";
 * import { assertEquals } from "@std/assert";
 * const pair = (c: string, cs: number, r: string, rs: number) => ({
 *   id: "p", domain: "arith", strength: 2, chosenText: c, chosenScore: cs, rejectedText: r, rejectedScore: rs,
 *   outcome: 1,
 * });
 * // scores 9 and 10 with 0 errors, 4 with 1 error: a perfectly falling relation
 * assertEquals(statedErrorTrend([pair("0 err", 9, "1 err", 4), pair("0 err", 10, "?", 2)]), {
 *   medians: [{ errors: 0, median: 9.5, n: 2 }, { errors: 1, median: 4, n: 1 }],
 *   rho: -0.8660254037844387,
 * });
 * ```
 */
export function statedErrorTrend(pairs: readonly EvaluatedPair[]): StatedErrorTrend {
  const groups = scoresByStatedErrors(pairs);
  const counts = Object.keys(groups).filter((k) => k !== "none").map(Number).sort((a, b) => a - b);
  const errors = counts.flatMap((e) => groups[String(e)].map(() => e));
  const scores = counts.flatMap((e) => groups[String(e)]);
  return {
    medians: counts.map((e) => ({
      errors: e,
      median: median(groups[String(e)]),
      n: groups[String(e)].length,
    })),
    rho: spearman(errors, scores).rho,
  };
}
