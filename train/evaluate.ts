/**
 * Held-out pairwise evaluation of a pointwise GRM: judge the chosen and the rejected response of
 * every pair alone (greedy), parse, and decide each pair (IRPM convention: win 1, tie 0.5, parse
 * error 0; strict: tie 0). Returns the summary AND the per-pair rows it was computed from.
 *
 * @module
 */
import type { PreferencePair } from "../data/types.ts";
import { type AccuracyReport, pairwiseAccuracy, type Summary } from "../eval/accuracy.ts";
import { critiqueCeiling } from "../eval/critique_ceiling.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { judgeItems } from "./judge.ts";

/** One evaluated pair, for `eval.jsonl`-style tracing. */
export interface EvaluatedPair {
  readonly id: string;
  readonly domain: string;
  /** Annotated preference strength |p| (0..3). */
  readonly strength: number;
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

/**
 * Greedy pointwise judging of every pair's two responses (`maxNewTokens` and `batchPrompts` as
 * {@link judgeItems} takes them, with its defaults).
 */
export async function evaluatePairs(
  model: { params: Params; config: ModelConfig },
  pairs: readonly PreferencePair[],
  options: { maxNewTokens?: number; batchPrompts?: number } = {},
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
      strength: p.strength,
      chosenScore: score(2 * i),
      rejectedScore: score(2 * i + 1),
      chosenText: judged[2 * i].text,
      rejectedText: judged[2 * i + 1].text,
      outcome: report.items[i].irpm,
    })),
  };
}

/**
 * The fields of a `metrics.jsonl` eval line (TRL/veRL-style names) from a summary and its
 * per-domain breakdown, as every trainer of the kit logs them.
 *
 * @example
 * ```ts
 * import { evalLineFields } from "./evaluate.ts";
 * import { pairwiseAccuracy } from "../eval/accuracy.ts";
 * import { assertEquals } from "@std/assert";
 * const r = pairwiseAccuracy([{ chosen: 8, rejected: 2, domain: "a" }, { chosen: 5, rejected: 5, domain: "b" }]);
 * const line = evalLineFields(r.overall, r.byDomain);
 * assertEquals([line.accuracy, line.strict_accuracy, line.tie_rate, line.n], [0.75, 0.5, 0.5, 2]);
 * assertEquals(line.by_domain, { a: 1, b: 0.5 });
 * ```
 */
export function evalLineFields(
  overall: Summary,
  byDomain: Readonly<Record<string, Summary>>,
): Record<string, number | Record<string, number>> {
  return {
    accuracy: overall.accuracy,
    strict_accuracy: overall.strictAccuracy,
    tie_rate: overall.tieRate,
    parse_error_rate: overall.parseErrorRate,
    accuracy_se: overall.accuracySe,
    n: overall.n,
    by_domain: Object.fromEntries(Object.entries(byDomain).map(([d, s]) => [d, s.accuracy])),
  };
}

/**
 * Held-out accuracy split by preference strength: strong pairs (|p| >= 2, what the recipe trains
 * on) and weak ones (|p| = 1, what it drops), and per strength; null where there are none.
 *
 * @example
 * ```ts
 * import { accuracyByStrength } from "./evaluate.ts";
 * import { assertEquals } from "@std/assert";
 * const a = accuracyByStrength([
 *   { strength: 1, outcome: 0.5 }, { strength: 1, outcome: 0 }, { strength: 2, outcome: 1 }, { strength: 3, outcome: 0 },
 * ]);
 * assertEquals(a, { strong_accuracy: 0.5, weak_accuracy: 0.25, by_strength: { "1": 0.25, "2": 1, "3": 0 } });
 * ```
 */
export function accuracyByStrength(
  pairs: readonly Pick<EvaluatedPair, "strength" | "outcome">[],
): {
  strong_accuracy: number | null;
  weak_accuracy: number | null;
  by_strength: Record<string, number>;
} {
  const mean = (xs: readonly { outcome: number }[]) =>
    xs.length === 0 ? null : xs.reduce((a, x) => a + x.outcome, 0) / xs.length;
  const strengths = [...new Set(pairs.map((p) => p.strength))].sort((a, b) => a - b);
  return {
    strong_accuracy: mean(pairs.filter((p) => p.strength >= 2)),
    weak_accuracy: mean(pairs.filter((p) => p.strength === 1)),
    by_strength: Object.fromEntries(
      strengths.map((s) => [String(s), mean(pairs.filter((p) => p.strength === s))!]),
    ),
  };
}

/**
 * Synthetic suite: the critique ceiling of an evaluation (eval/critique_ceiling.ts) from the
 * greedy texts it kept.
 */
export function evaluationCritiqueCeiling(evaluation: Pick<PairEvaluation, "pairs">): number {
  return critiqueCeiling(
    evaluation.pairs.map((p) => ({ chosen: p.chosenText, rejected: p.rejectedText })),
  ).accuracy;
}
