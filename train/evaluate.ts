/**
 * Held-out pairwise evaluation of a pointwise GRM: judge the chosen and the rejected response of
 * every pair alone (greedy), parse, and decide each pair (IRPM convention: win 1, tie 0.5, parse
 * error 0; strict: tie 0). Returns the summary AND the per-pair rows it was computed from.
 *
 * @module
 */
import type { PreferencePair } from "../data/types.ts";
import { type AccuracyReport, pairwiseAccuracy } from "../eval/accuracy.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { judgeItems } from "./judge.ts";

/** One evaluated pair, for `eval.jsonl`-style tracing. */
export interface EvaluatedPair {
  readonly id: string;
  readonly domain: string;
  readonly chosenScore: number | null;
  readonly rejectedScore: number | null;
  readonly chosenText: string;
  readonly rejectedText: string;
  /** IRPM-convention outcome: 1, 0.5 or 0. */
  readonly outcome: number;
}

/** Result of {@link evaluatePairs}. */
export interface PairEvaluation {
  readonly report: AccuracyReport;
  readonly pairs: EvaluatedPair[];
  /** Share of all judgments (both sides) that parsed. */
  readonly formatValidRate: number;
}

/** Greedy pointwise judging of every pair's two responses. */
export async function evaluatePairs(
  model: { params: Params; config: ModelConfig },
  pairs: readonly PreferencePair[],
  options: { maxNewTokens: number; batchPrompts?: number },
): Promise<PairEvaluation> {
  const items = pairs.flatMap((p) => [
    { context: p.context, response: p.chosen },
    { context: p.context, response: p.rejected },
  ]);
  const judged = await judgeItems(model, items, {
    greedy: true,
    maxNewTokens: options.maxNewTokens,
    batchPrompts: options.batchPrompts,
  });
  const score = (i: number) => judged[i].judgment.score;
  const report = pairwiseAccuracy(
    pairs.map((p, i) => ({ chosen: score(2 * i), rejected: score(2 * i + 1), domain: p.domain })),
  );
  const valid = judged.filter((j) => j.judgment.valid).length;
  return {
    report,
    formatValidRate: judged.length === 0 ? NaN : valid / judged.length,
    pairs: pairs.map((p, i) => ({
      id: p.id,
      domain: p.domain,
      chosenScore: score(2 * i),
      rejectedScore: score(2 * i + 1),
      chosenText: judged[2 * i].text,
      rejectedText: judged[2 * i + 1].text,
      outcome: report.items[i].irpm,
    })),
  };
}
