/**
 * What a sweep reports: each run's outcome read from its metrics.jsonl ({@link runOutcome}), the
 * mean and standard error over seeds per cell, paired differences against the baseline cell of the
 * same seed ({@link summarizeSweep}), a markdown table, and the per-step curves the ablation plots
 * need ({@link runCurves}). Every number is computed from the runs' own log lines, so it can be
 * traced back to a run directory.
 *
 * @module
 */
import { metricValue } from "./metric_names.ts";
import { mean, sampleVariance } from "../irpm/group_stats.ts";

/** A metrics.jsonl line (train, eval, skip, session, config_change). */
export type MetricsRecord = Readonly<Record<string, unknown>>;

/** One run's result, from its metrics lines. */
export interface RunOutcome {
  /** Whether the run logged a finished session (all its steps done). */
  readonly finished: boolean;
  /** Last step trained. */
  readonly step: number;
  /** Final held-out evaluation (the one at the largest step). */
  readonly accuracy: number | null;
  readonly strictAccuracy: number | null;
  readonly tieRate: number | null;
  readonly critiqueCeiling: number | null;
  /** Final accuracy on strong (|p| >= 2) and weak (|p| = 1) held-out pairs, when logged. */
  readonly strongAccuracy: number | null;
  readonly weakAccuracy: number | null;
  /** Held-out accuracy at step 0 (the start), when evaluated. */
  readonly startAccuracy: number | null;
  /** Score variance of the last training step. */
  readonly scoreVariance: number | null;
  /** Steps per second of training (steps / the sum of their step seconds). */
  readonly stepsPerSecond: number | null;
  /** Wall time of the process sessions that ran it (kills lose theirs). */
  readonly wallSeconds: number | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
// a line's value by its current name or the one older runs logged (train/metric_names.ts)
const at = (
  l: MetricsRecord | null | undefined,
  key: string,
) => (l ? metricValue(l, key) : undefined);

/**
 * Reads a run's outcome from its metrics lines.
 *
 * @example
 * ```ts
 * import { runOutcome } from "./sweep_summary.ts";
 * import { assertEquals } from "@std/assert";
 * const o = runOutcome([
 *   { kind: "eval", step: 0, accuracy: 0.5 },
 *   { kind: "train", step: 1, "score/variance": 2, step_seconds: 0.5 },
 *   { kind: "train", step: 2, "score/variance": 3, step_seconds: 1.5 },
 *   { kind: "eval", step: 2, "eval/accuracy": 0.75, "eval/strict_accuracy": 0.5, "eval/tie_rate": 0.5 },
 *   { kind: "session", step: 2, from: 0, to: 2, seconds: 9, finished: true },
 * ]);
 * assertEquals([o.finished, o.accuracy, o.startAccuracy, o.scoreVariance, o.stepsPerSecond, o.wallSeconds],
 *   [true, 0.75, 0.5, 3, 1, 9]);
 * ```
 */
export function runOutcome(lines: readonly MetricsRecord[]): RunOutcome {
  const evals = lines.filter((l) => l.kind === "eval");
  const trains = lines.filter((l) => l.kind === "train");
  const sessions = lines.filter((l) => l.kind === "session");
  const last = evals.reduce<MetricsRecord | null>(
    (a, e) => (a === null || Number(e.step) >= Number(a.step) ? e : a),
    null,
  );
  const start = evals.find((e) => e.step === 0) ?? null;
  const stepSeconds = trains.reduce((a, l) => a + (num(l.step_seconds) ?? 0), 0);
  return {
    finished: sessions.some((s) => s.finished === true),
    step: trains.reduce((a, l) => Math.max(a, Number(l.step)), 0),
    accuracy: num(at(last, "eval/accuracy")),
    strictAccuracy: num(at(last, "eval/strict_accuracy")),
    tieRate: num(at(last, "eval/tie_rate")),
    critiqueCeiling: num(at(last, "eval/critique_ceiling")),
    strongAccuracy: num(at(last, "eval/strong_accuracy")),
    weakAccuracy: num(at(last, "eval/weak_accuracy")),
    startAccuracy: num(at(start, "eval/accuracy")),
    scoreVariance: num(trains.at(-1)?.["score/variance"]),
    stepsPerSecond: stepSeconds > 0 ? trains.length / stepSeconds : null,
    wallSeconds: sessions.length ? sessions.reduce((a, s) => a + (num(s.seconds) ?? 0), 0) : null,
  };
}

/** Mean and standard error (sample sd / sqrt n; null for n < 2) of the non-null values. */
export interface MeanSe {
  readonly mean: number | null;
  readonly se: number | null;
  readonly n: number;
}

/**
 * Mean and standard error of the mean over the finite values.
 *
 * @example
 * ```ts
 * import { meanSe } from "./sweep_summary.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const m = meanSe([0.8, 0.82, 0.84]);
 * assertAlmostEquals(m.mean!, 0.82, 1e-12);
 * assertAlmostEquals(m.se!, 0.02 / Math.sqrt(3), 1e-12); // sd 0.02
 * assertEquals(meanSe([null, 1]), { mean: 1, se: null, n: 1 });
 * ```
 */
export function meanSe(values: readonly (number | null)[]): MeanSe {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: null, se: null, n: 0 };
  if (n < 2) return { mean: mean(xs), se: null, n };
  return { mean: mean(xs), se: Math.sqrt(sampleVariance(xs) / n), n };
}

/** The metrics a sweep summarises per cell. */
export const SUMMARY_METRICS = [
  "accuracy",
  "strongAccuracy",
  "weakAccuracy",
  "strictAccuracy",
  "tieRate",
  "critiqueCeiling",
  "scoreVariance",
  "stepsPerSecond",
  "wallSeconds",
] as const;

/** One finished (or partly finished) run of a cell. */
export interface SweepRun {
  /** Cell group (settings without the seed). */
  readonly group: string;
  readonly seed: number;
  /** Run name (its folder). */
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly outcome: RunOutcome;
}

/** One row of a sweep summary: a settings group over its seeds. */
export interface SweepSummaryRow {
  readonly group: string;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Seeds with a finished run. */
  readonly seeds: readonly number[];
  /** Runs of the group not finished yet. */
  readonly unfinished: number;
  readonly metrics: Readonly<Record<(typeof SUMMARY_METRICS)[number], MeanSe>>;
  /**
   * Accuracy minus the baseline group's on the same seed, mean and standard error over the seeds
   * both finished (null for the baseline itself or without one).
   */
  readonly pairedAccuracyDiff: MeanSe | null;
}

/**
 * Aggregates runs per settings group, in the order groups first appear; only finished runs count.
 *
 * @example
 * ```ts
 * import { summarizeSweep } from "./sweep_summary.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const run = (group: string, seed: number, accuracy: number) => ({ group, seed, name: `${group}_${seed}`,
 *   settings: {}, outcome: { finished: true, step: 10, accuracy, strictAccuracy: null, tieRate: null,
 *   critiqueCeiling: null, strongAccuracy: null, weakAccuracy: null, startAccuracy: null, scoreVariance: null,
 *   stepsPerSecond: null, wallSeconds: null } });
 * const rows = summarizeSweep([run("g4", 0, 0.8), run("g4", 1, 0.7), run("g2", 0, 0.75), run("g2", 1, 0.6)], "g4");
 * assertAlmostEquals(rows[1].metrics.accuracy.mean!, 0.675, 1e-12);
 * assertAlmostEquals(rows[1].pairedAccuracyDiff!.mean!, -0.075, 1e-12); // (-0.05 + -0.1) / 2
 * assertEquals(rows[0].pairedAccuracyDiff, null);
 * ```
 */
export function summarizeSweep(
  runs: readonly SweepRun[],
  baselineGroup: string | null,
): SweepSummaryRow[] {
  const groups = [...new Set(runs.map((r) => r.group))];
  const finished = runs.filter((r) => r.outcome.finished);
  const base = new Map(
    finished.filter((r) => r.group === baselineGroup).map((r) => [r.seed, r.outcome.accuracy]),
  );
  return groups.map((group) => {
    const all = runs.filter((r) => r.group === group);
    const done = finished.filter((r) => r.group === group);
    const metrics = Object.fromEntries(
      SUMMARY_METRICS.map((m) => [m, meanSe(done.map((r) => r.outcome[m]))]),
    ) as SweepSummaryRow["metrics"];
    const diffs = baselineGroup === null || group === baselineGroup ? null : done
      .filter((r) => base.has(r.seed) && r.outcome.accuracy !== null && base.get(r.seed) !== null)
      .map((r) => r.outcome.accuracy! - base.get(r.seed)!);
    return {
      group,
      settings: all[0].settings,
      seeds: done.map((r) => r.seed),
      unfinished: all.length - done.length,
      metrics,
      pairedAccuracyDiff: diffs === null ? null : meanSe(diffs),
    };
  });
}

const pct = (m: MeanSe) =>
  m.mean === null
    ? "-"
    : `${(100 * m.mean).toFixed(1)}%${m.se === null ? "" : ` ± ${(100 * m.se).toFixed(1)}`}`;
const plain = (m: MeanSe, digits: number) =>
  m.mean === null
    ? "-"
    : `${m.mean.toFixed(digits)}${m.se === null ? "" : ` ± ${m.se.toFixed(digits)}`}`;

/**
 * The summary as a markdown table (mean ± standard error over seeds; accuracy differences against
 * the baseline paired by seed, in points).
 */
export function summaryMarkdown(
  rows: readonly SweepSummaryRow[],
  baselineGroup: string | null,
): string {
  const split = rows.some((r) => (r.metrics.weakAccuracy?.mean ?? null) !== null);
  const head = [
    "cell",
    "seeds",
    "held-out accuracy",
    baselineGroup ? `vs ${baselineGroup} (paired)` : null,
    split ? "strong pairs" : null,
    split ? "weak pairs" : null,
    "strict",
    "ties",
    "critique ceiling",
    "score variance",
    "steps/s",
    "wall s",
  ].filter((h): h is string => h !== null);
  const lines = rows.map((r) => {
    const diff = r.pairedAccuracyDiff;
    const cells = [
      r.group,
      `${r.seeds.length}${r.unfinished ? ` (+${r.unfinished} unfinished)` : ""}`,
      pct(r.metrics.accuracy),
      baselineGroup
        ? (diff === null
          ? "baseline"
          : diff.mean === null
          ? "-"
          : `${diff.mean >= 0 ? "+" : ""}${(100 * diff.mean).toFixed(1)}${
            diff.se === null ? "" : ` ± ${(100 * diff.se).toFixed(1)}`
          } pts`)
        : null,
      split ? pct(r.metrics.strongAccuracy) : null,
      split ? pct(r.metrics.weakAccuracy) : null,
      pct(r.metrics.strictAccuracy),
      pct(r.metrics.tieRate),
      pct(r.metrics.critiqueCeiling),
      plain(r.metrics.scoreVariance, 2),
      plain(r.metrics.stepsPerSecond, 3),
      plain(r.metrics.wallSeconds, 0),
    ].filter((c): c is string => c !== null);
    return `| ${cells.join(" | ")} |`;
  });
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...lines].join("\n");
}

/** The per-step curves of one run that the ablation plots need, small enough to ship. */
export interface RunCurves {
  /** Evaluations: step, accuracy, strict accuracy, tie rate, critique ceiling. */
  readonly eval: readonly (readonly (number | null)[])[];
  /** Training steps, every `every`-th: step, then {@link CURVE_TRAIN_FIELDS} in order. */
  readonly train: readonly (readonly (number | null)[])[];
}

/** Training-line fields kept in the shipped curves, in column order after the step. */
export const CURVE_TRAIN_FIELDS = [
  "reward",
  "score/variance",
  "score/gap",
  "kl",
  "rollout_tie_rate",
  "estimator/within_var",
  "estimator/between_var",
  "estimator/snr",
] as const;

/** The fields a run's curves keep, in column order after the step. */
export interface CurveColumns {
  readonly eval: readonly string[];
  readonly train: readonly string[];
}

/** The GRM runs' curve columns (`deno task sweep`). */
export const GRM_CURVE_COLUMNS: CurveColumns = Object.freeze({
  eval: ["eval/accuracy", "eval/strict_accuracy", "eval/tie_rate", "eval/critique_ceiling"],
  train: CURVE_TRAIN_FIELDS,
});

/**
 * Extracts the curves of a run, keeping every `every`-th training step (and the last); `columns`
 * names the fields (default: the GRM runs').
 *
 * @example
 * ```ts
 * import { runCurves } from "./sweep_summary.ts";
 * import { assertEquals } from "@std/assert";
 * const lines = [1, 2, 3].map((step) => ({ kind: "train", step, reward: step / 10 }));
 * const c = runCurves([{ kind: "eval", step: 0, "eval/accuracy": 0.5 }, ...lines], 2);
 * assertEquals(c.eval, [[0, 0.5, null, null, null]]);
 * assertEquals(c.train.map((r) => r[0]), [2, 3]);
 * ```
 */
export function runCurves(
  lines: readonly MetricsRecord[],
  every: number,
  columns: CurveColumns = GRM_CURVE_COLUMNS,
): RunCurves {
  const trains = lines.filter((l) => l.kind === "train");
  const round = (v: unknown) => {
    const x = num(v);
    return x === null ? null : Number(x.toPrecision(5));
  };
  return {
    eval: lines.filter((l) => l.kind === "eval").map((e) => [
      Number(e.step),
      ...columns.eval.map((f) => round(at(e, f))),
    ]),
    train: trains
      .filter((l, i) => Number(l.step) % every === 0 || i === trains.length - 1)
      .map((l) => [Number(l.step), ...columns.train.map((f) => round(at(l, f)))]),
  };
}
