/**
 * What evaluating one judge on one set produces, whatever the kind of judge: the summary under
 * both conventions, the voting@k table (generative judges), the JudgeBench both-order figures
 * (JudgeBench data), the cost, and one trace per pair from which every number can be recomputed.
 *
 * @module
 */
import type { JudgeBenchReport } from "../eval/judgebench.ts";
import type { VotingRow } from "../eval/voting.ts";
import type { EvalSummary } from "./aggregate.ts";

/** Options shared by the evaluators. */
export interface EvaluateOptions {
  /** Voting@k values (k = 1 is greedy). Default [1, 2, 4, 8]. Only generative judges vote. */
  readonly ks?: readonly number[];
  /** Generation cap per judgment. Default 40 (pointwise); the pairwise judge caps its own. */
  readonly maxNewTokens?: number;
  /** Seed of the sampling PRNG (voting samples). Default 0. */
  readonly seed?: number;
  /** Prompts per generation / forward call. Default 64. */
  readonly chunk?: number;
  /**
   * Pointwise judges: the score a judgment counts with. `greedy` (default): the digits the greedy
   * judgment wrote; `expected`: the expectation of the model's score distribution after that
   * greedy critique (eval/score_readout.ts), which almost never ties.
   */
  readonly readout?: "greedy" | "expected";
  /** Progress: work units done, total, and what is running. */
  readonly onProgress?: (done: number, total: number, phase: string) => void;
}

/** The evaluation of one judge on one set. */
export interface ModelEvaluation {
  /** Judge kind. */
  readonly kind: "pointwise" | "pairwise" | "scalar";
  /** Greedy (k = 1) accuracy, ties, parse errors; per domain/subset; RewardBench; RM-Bench. */
  readonly summary: EvalSummary;
  /** Voting@k rows, or null for a deterministic judge (scalar). */
  readonly voting: VotingRow[] | null;
  /** JudgeBench's both-order figures (counter rule and strict), for JudgeBench data. */
  readonly judgeBench?: Omit<JudgeBenchReport, "items">;
  /** Judge calls made: generations (generative) or forward passes (scalar). */
  readonly calls: number;
  /** Wall-clock seconds of the judging. */
  readonly seconds: number;
  /** One record per pair (scores, texts, samples, outcome), in pair order. */
  readonly traces: Record<string, unknown>[];
}

/** Default voting@k values: the paper's table. */
export const DEFAULT_KS: readonly number[] = Object.freeze([1, 2, 4, 8]);

/**
 * Checks voting k values (integers >= 1) and returns the largest (the samples to draw; 0 when
 * only greedy k = 1 is asked for).
 *
 * @example
 * ```ts
 * import { samplesNeeded } from "./evaluation.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals([samplesNeeded([1, 2, 4, 8]), samplesNeeded([1])], [8, 0]);
 * assertThrows(() => samplesNeeded([0]), RangeError, "got 0");
 * ```
 */
export function samplesNeeded(ks: readonly number[]): number {
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`voting k values must be integers >= 1, got ${k}`);
    }
  }
  const biggest = Math.max(0, ...ks);
  return biggest <= 1 ? 0 : biggest;
}
