/**
 * The one comparison table of `deno task compare`: one row per judge (warm-start, the IRPM
 * designs, scalar B-T, pairwise GRM) built from its evaluation report, its best-of-8 ranking row
 * and its training time.
 *
 * @module
 */
import { markdownTable, num, pct } from "./markdown.ts";
import type { RankRow } from "./ranking_run.ts";
import type { JudgeReport } from "./run_eval.ts";

/** One row of the comparison. */
export interface CompareRow {
  readonly judge: string;
  readonly kind: string;
  readonly n: number;
  /** IRPM convention (tie 0.5, parse error 0), greedy. */
  readonly accuracy: number;
  readonly accuracySe: number;
  /** Strict convention (tie 0). */
  readonly strictAccuracy: number;
  readonly tieRate: number;
  readonly parseErrorRate: number;
  /** Voting@4 accuracy (IRPM convention); null for a deterministic judge or when not run. */
  readonly voting4: number | null;
  /** Pooled Spearman of scores vs hidden quality; null for the pairwise judge. */
  readonly spearman: number | null;
  /** Judge calls per set to rank 8 candidates (measured). */
  readonly callsToRank8: number | null;
  /** Mean hidden quality (0-10) of the best-of-8 pick, and the oracle's. */
  readonly bestOf8Quality: number | null;
  readonly oracle8Quality: number | null;
  /** Seconds to rank all best-of-8 sets. */
  readonly rank8Seconds: number | null;
  /** Training wall time in seconds (null: not trained here). */
  readonly trainSeconds: number | null;
  /** Evaluation wall time (pairs incl. voting samples) in seconds. */
  readonly evalSeconds: number;
}

/**
 * Builds a row from a judge's report, its n = 8 ranking row (if any) and its training time (if
 * known).
 *
 * @example
 * ```ts
 * import { compareRow } from "./compare_table.ts";
 * import { assertEquals } from "@std/assert";
 * const summary = { n: 4, accuracy: 0.75, accuracySe: 0.2, strictAccuracy: 0.5, strictAccuracySe: 0.25,
 *   tieRate: 0.5, parseErrorRate: 0, ties: 2, parseErrors: 0 };
 * const report = { name: "j", kind: "scalar" as const, calibration: null, evaluation: {
 *   kind: "scalar" as const, summary: { overall: summary, byDomain: {}, bySubset: {} }, voting: null,
 *   calls: 8, seconds: 1, traces: [] } };
 * const row = compareRow(report, { trainSeconds: 12 });
 * assertEquals([row.accuracy, row.voting4, row.spearman, row.callsToRank8, row.trainSeconds], [0.75, null, null, null, 12]);
 * ```
 */
export function compareRow(
  report: JudgeReport,
  extra: { rank8?: RankRow; trainSeconds?: number | null } = {},
): CompareRow {
  const { rank8, trainSeconds = null } = extra;
  const o = report.evaluation.summary.overall;
  const v4 = report.evaluation.voting?.find((v) => v.k === 4);
  return {
    judge: report.name,
    kind: report.kind,
    n: o.n,
    accuracy: o.accuracy,
    accuracySe: o.accuracySe,
    strictAccuracy: o.strictAccuracy,
    tieRate: o.tieRate,
    parseErrorRate: o.parseErrorRate,
    voting4: v4?.accuracy ?? null,
    spearman: report.calibration?.pooled.rho ?? null,
    callsToRank8: rank8 ? rank8.calls / rank8.sets : null,
    bestOf8Quality: rank8?.pickedQuality ?? null,
    oracle8Quality: rank8?.oracleQuality ?? null,
    rank8Seconds: rank8?.seconds ?? null,
    trainSeconds,
    evalSeconds: report.evaluation.seconds,
  };
}

/** The comparison as a markdown table (n/a where a column does not apply). */
export function compareMarkdown(rows: readonly CompareRow[]): string {
  return markdownTable(
    [
      "judge",
      "kind",
      "accuracy (tie 0.5) ± se",
      "strict (tie 0)",
      "ties",
      "parse errors",
      "voting@4",
      "Spearman vs quality",
      "calls to rank 8",
      "best-of-8 quality",
      "rank-8 s",
      "train s",
      "eval s",
    ],
    rows.map((r) => [
      r.judge,
      r.kind,
      `${pct(r.accuracy)} ± ${pct(r.accuracySe)}`,
      pct(r.strictAccuracy),
      pct(r.tieRate),
      pct(r.parseErrorRate),
      pct(r.voting4),
      num(r.spearman, 3),
      num(r.callsToRank8, 0),
      r.bestOf8Quality === null ? "n/a" : `${num(r.bestOf8Quality)} / ${num(r.oracle8Quality)}`,
      num(r.rank8Seconds, 1),
      num(r.trainSeconds, 0),
      num(r.evalSeconds, 1),
    ]),
  );
}
