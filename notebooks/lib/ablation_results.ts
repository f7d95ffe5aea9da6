/**
 * The shipped ablation results (`results/<grid>/`, written by `deno task sweep --results`) as the
 * notebooks use them: loading, figure series with error bars, and verdicts computed from the
 * numbers (never typed by hand).
 *
 * A verdict compares a cell with the grid's baseline through the paired differences of the same
 * seeds: the mean difference and its 95% confidence interval (Student t with n - 1 degrees of
 * freedom, n = seeds). "better" / "worse" when the interval excludes 0, otherwise "no clear
 * difference"; with fewer than 2 seeds, "inconclusive".
 *
 * @module
 */
import { studentTQuantile } from "../../irpm/t_quantile.ts";
import {
  type MeanSe,
  meanSe,
  type RunOutcome,
  type SweepRun,
  type SweepSummaryRow,
} from "../../train/sweep_summary.ts";
import type { LineSeries } from "../../viz/mod.ts";
import { LEGACY_METRIC_NAMES } from "../../train/metric_names.ts";

/** The kit's shipped results folder (`results/` at the repository root). */
export const RESULTS_DIR: URL = new URL("../../results/", import.meta.url);

/** One grid's shipped results. */
export interface AblationResults {
  readonly grid: string;
  readonly claim: string;
  /** Baseline cell group, if the grid has one. */
  readonly baseline: string | null;
  /** Summary rows, in grid order. */
  readonly rows: readonly SweepSummaryRow[];
  /** Every run's outcome (summary.jsonl's `run` lines), for paired comparisons of any metric. */
  readonly runs: readonly SweepRun[];
  /** Per-run curves: cell, group, seed, eval rows and (thinned) train rows. */
  readonly curves: readonly RunCurveRecord[];
  readonly provenance: Readonly<Record<string, unknown>>;
}

/** One run's curves as shipped (columns in provenance.curveColumns). */
export interface RunCurveRecord {
  readonly cell: string;
  readonly group: string;
  readonly seed: number;
  readonly eval: readonly (readonly (number | null)[])[];
  readonly train: readonly (readonly (number | null)[])[];
}

/**
 * Loads `results/<grid>/` (summary.jsonl, curves.jsonl, provenance.json); `null` when the grid
 * has not been run and shipped yet.
 */
export async function loadAblationResults(dir: string | URL): Promise<AblationResults | null> {
  const shipped = await readResultsDir(dir);
  if (shipped === null) return null;
  const { provenance, summary, curves } = shipped;
  const runs = summary.filter((l) => l.kind === "run") as unknown as SweepRun[];
  // curves of finished runs only, so a per-step mean over seeds is over the same runs at every
  // step (results collected while cells were cut off or running may hold the others' curves)
  const key = (r: { group: string; seed: number }) => `${r.group} ${r.seed}`;
  const unfinished = new Set(runs.filter((r) => !r.outcome.finished).map(key));
  return {
    grid: String(provenance.grid),
    claim: String(provenance.claim ?? ""),
    baseline: (provenance.baseline as string | null) ?? null,
    rows: summary.filter((l) => l.kind === "cell") as unknown as SweepSummaryRow[],
    runs,
    curves: (curves as unknown as RunCurveRecord[]).filter((c) => !unfinished.has(key(c))),
    provenance,
  };
}

/**
 * The three files every shipped grid has (provenance.json, summary.jsonl, curves.jsonl), parsed;
 * null when `dir` holds no provenance.json (the grid was not shipped yet).
 */
export async function readResultsDir(dir: string | URL): Promise<
  {
    provenance: Record<string, unknown>;
    summary: Record<string, unknown>[];
    curves: Record<string, unknown>[];
  } | null
> {
  const base = typeof dir === "string" ? dir : dir.pathname;
  let provenance: Record<string, unknown>;
  try {
    provenance = JSON.parse(await Deno.readTextFile(`${base}/provenance.json`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const lines = async (file: string) =>
    (await Deno.readTextFile(`${base}/${file}`)).split("\n").filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l));
  return { provenance, summary: await lines("summary.jsonl"), curves: await lines("curves.jsonl") };
}

/** How a cell compares with the baseline. */
export type PairedVerdict = "better" | "worse" | "no clear difference" | "inconclusive";

/** A paired difference with its 95% confidence interval and verdict. */
export interface PairedComparison {
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly verdict: PairedVerdict;
}

/**
 * The verdict of a paired difference (mean ± t(0.975, n - 1) x se).
 *
 * @example
 * ```ts
 * import { pairedComparison } from "./ablation_results.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const worse = pairedComparison({ mean: -0.05, se: 0.005, n: 3 });
 * assertEquals(worse.verdict, "worse"); // -0.05 ± 4.303 x 0.005 excludes 0
 * assertAlmostEquals(worse.high!, -0.05 + 4.302652729911275 * 0.005, 1e-9);
 * assertEquals(pairedComparison({ mean: -0.05, se: 0.02, n: 3 }).verdict, "no clear difference");
 * assertEquals(pairedComparison({ mean: 0.1, se: null, n: 1 }).verdict, "inconclusive");
 * ```
 */
export function pairedComparison(diff: MeanSe | null): PairedComparison {
  if (diff === null || diff.mean === null || diff.se === null || diff.n < 2) {
    return {
      mean: diff?.mean ?? null,
      low: null,
      high: null,
      n: diff?.n ?? 0,
      verdict: "inconclusive",
    };
  }
  const half = studentTQuantile(0.975, diff.n - 1) * diff.se;
  const low = diff.mean - half, high = diff.mean + half;
  const verdict: PairedVerdict = low > 0 ? "better" : high < 0 ? "worse" : "no clear difference";
  return { mean: diff.mean, low, high, n: diff.n, verdict };
}

/** `-4.1 points (95% CI -6.0 to -2.2, 3 seeds)`. */
export function formatComparison(c: PairedComparison): string {
  if (c.mean === null) return "no paired seeds";
  const pts = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;
  return c.low === null
    ? `${pts(c.mean)} points (${c.n} seed${c.n === 1 ? "" : "s"}: no interval)`
    : `${pts(c.mean)} points (95% CI ${pts(c.low)} to ${pts(c.high!)}, ${c.n} seeds)`;
}

/** The paired comparison of every row with the baseline, by group. */
export function comparisons(results: AblationResults): Map<string, PairedComparison> {
  return new Map(results.rows.map((r) => [r.group, pairedComparison(r.pairedAccuracyDiff)]));
}

/**
 * Mean ± standard error of a summary metric against a numeric setting: one series for a figure
 * (e.g. final accuracy vs G with error bars).
 */
export function metricSeries(
  results: AblationResults,
  which: { setting: string; metric: keyof SweepSummaryRow["metrics"]; name?: string },
): LineSeries {
  const { setting, metric, name = metric } = which;
  const rows = results.rows.filter((r) => r.metrics[metric].mean !== null);
  return {
    name,
    x: rows.map((r) => Number(r.settings[setting])),
    y: rows.map((r) => r.metrics[metric].mean!),
    errorY: rows.map((r) => r.metrics[metric].se ?? 0),
  };
}

/**
 * Per-step means over seeds of one curve column, one series per cell group: `source` "eval" or
 * "train", `column` the index in provenance.curveColumns (step is column 0). Steps missing from a
 * seed are averaged over the seeds that have them.
 *
 * @example
 * ```ts
 * import { curveSeries } from "./ablation_results.ts";
 * import { assertEquals } from "@std/assert";
 * const results = { grid: "g", claim: "", baseline: null, rows: [], runs: [], provenance: {}, curves: [
 *   { cell: "a_seed-0", group: "a", seed: 0, eval: [[0, 0.5], [10, 0.7]], train: [] },
 *   { cell: "a_seed-1", group: "a", seed: 1, eval: [[0, 0.5], [10, 0.9]], train: [] },
 * ] };
 * assertEquals(curveSeries(results, { source: "eval", column: 1 }), [{ name: "a", x: [0, 10], y: [0.5, 0.8] }]);
 * ```
 */
export function curveSeries(
  results: Pick<AblationResults, "curves">,
  which: { source: "eval" | "train"; column: number },
): LineSeries[] {
  const { source, column } = which;
  const groups = [...new Set(results.curves.map((c) => c.group))];
  return groups.map((group) => {
    const byStep = new Map<number, number[]>();
    for (const run of results.curves.filter((c) => c.group === group)) {
      for (const row of run[source]) {
        const value = row[column];
        if (value === null || value === undefined || !Number.isFinite(value)) continue;
        const step = row[0]!;
        byStep.set(step, [...(byStep.get(step) ?? []), value]);
      }
    }
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    return {
      name: group,
      x: steps,
      y: steps.map((s) => byStep.get(s)!.reduce((a, v) => a + v, 0) / byStep.get(s)!.length),
    };
  });
}

/**
 * The column index of a named curve field (from provenance.curveColumns). An eval field may be
 * named with or without its `eval/` prefix, and a renamed training metric by either name
 * (train/metric_names.ts), so results shipped before a rename still load.
 *
 * @example
 * ```ts
 * import { curveColumn } from "./ablation_results.ts";
 * import { assertEquals } from "@std/assert";
 * const r = { grid: "g", provenance: { curveColumns: { eval: ["step", "eval/accuracy"], train: ["step", "reward/mean"] } } };
 * assertEquals([curveColumn(r, { source: "eval", field: "accuracy" }), curveColumn(r, { source: "train", field: "reward" })], [1, 1]);
 * ```
 */
export function curveColumn(
  results: Pick<AblationResults, "provenance" | "grid">,
  which: { source: "eval" | "train"; field: string },
): number {
  const { source, field } = which;
  const columns = (results.provenance.curveColumns as Record<string, string[]> | undefined)
    ?.[source];
  const bare = field.replace(/^eval\//, "");
  const names = [
    field,
    `eval/${bare}`,
    bare,
    LEGACY_METRIC_NAMES[field],
    ...Object.entries(LEGACY_METRIC_NAMES).filter(([, old]) => old === field).map(([now]) => now),
  ];
  const index = columns?.findIndex((c) => names.includes(c)) ?? -1;
  if (index < 0) {
    throw new RangeError(`results/${results.grid}: no ${source} curve column "${field}"`);
  }
  return index;
}

/** A claim's verdict: every part holds, none does, or some. */
export type ClaimVerdict = "reproduced" | "not reproduced" | "partly reproduced";

/** The verdict of a claim from its parts (each a measured yes/no with its evidence). */
export interface ClaimCheck {
  readonly verdict: ClaimVerdict;
  /** One line per part: what was checked, whether it held, the numbers. */
  readonly parts: readonly string[];
}

/**
 * Combines the parts of a claim: all hold -> reproduced, none -> not reproduced, else partly.
 *
 * @example
 * ```ts
 * import { claimCheck } from "./ablation_results.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(claimCheck([["a", true], ["b", false]]).verdict, "partly reproduced");
 * assertEquals(claimCheck([["a", true]]).parts, ["a: holds"]);
 * ```
 */
export function claimCheck(parts: readonly (readonly [string, boolean])[]): ClaimCheck {
  const held = parts.filter(([, ok]) => ok).length;
  return {
    verdict: held === parts.length
      ? "reproduced"
      : held === 0
      ? "not reproduced"
      : "partly reproduced",
    parts: parts.map(([what, ok]) => `${what}: ${ok ? "holds" : "does not hold"}`),
  };
}

/** The summary row of the cell whose settings include `settings`; throws naming the grid if none. */
export function row(
  results: Pick<AblationResults, "rows" | "grid">,
  settings: Record<string, unknown>,
): SweepSummaryRow {
  const found = results.rows.find((r) =>
    Object.entries(settings).every(([k, v]) => JSON.stringify(r.settings[k]) === JSON.stringify(v))
  );
  if (!found) throw new RangeError(`results/${results.grid}: no cell ${JSON.stringify(settings)}`);
  return found;
}

const pctOf = (m: MeanSe) =>
  m.mean === null
    ? "-"
    : `${(100 * m.mean).toFixed(1)}%${m.se === null ? "" : ` ± ${(100 * m.se).toFixed(1)}`}`;

/**
 * Claim 1 (group size): G = 2 is worse than G = 4 (paired, 95% CI below 0); G = 8 gains nothing
 * over G = 4 (its CI does not lie above 0) and costs more (fewer steps per second).
 */
export function groupSizeCheck(results: AblationResults): ClaimCheck {
  const c = comparisons(results);
  const g2 = row(results, { groupSize: 2 }), g4 = row(results, { groupSize: 4 });
  const g8 = row(results, { groupSize: 8 });
  const c2 = c.get(g2.group)!, c8 = c.get(g8.group)!;
  const speed = (r: SweepSummaryRow) => r.metrics.stepsPerSecond.mean ?? NaN;
  return claimCheck([
    [
      `G = 2 underperforms G = 4 (${pctOf(g2.metrics.accuracy)} vs ${
        pctOf(g4.metrics.accuracy)
      }; paired ${formatComparison(c2)})`,
      c2.verdict === "worse",
    ],
    [
      `G = 8 gains nothing over G = 4 (${pctOf(g8.metrics.accuracy)}; paired ${
        formatComparison(c8)
      })`,
      c8.verdict !== "better",
    ],
    [
      `G = 8 costs more (${speed(g8).toFixed(3)} vs ${speed(g4).toFixed(3)} steps/s)`,
      speed(g8) < speed(g4),
    ],
  ]);
}

/**
 * The kit's KL choice: the default 0.2 beats the paper's 0.001 on held-out accuracy (paired), and
 * 0.001 lowers the critique ceiling (RL rewrites the critiques).
 */
export function klCheck(results: AblationResults): ClaimCheck {
  const c = comparisons(results);
  const paper = row(results, { klCoef: 0.001 }), kit = row(results, { klCoef: 0.2 });
  const cp = c.get(paper.group)!;
  const ceiling = (r: SweepSummaryRow) => r.metrics.critiqueCeiling.mean ?? NaN;
  return claimCheck([
    [
      `KL 0.001 (paper) ends below KL 0.2 (kit) (${pctOf(paper.metrics.accuracy)} vs ${
        pctOf(kit.metrics.accuracy)
      }; paired ${formatComparison(cp)})`,
      cp.verdict === "worse",
    ],
    [
      `KL 0.001 leaves a lower critique ceiling (${pctOf(paper.metrics.critiqueCeiling)} vs ${
        pctOf(kit.metrics.critiqueCeiling)
      })`,
      ceiling(paper) < ceiling(kit),
    ],
  ]);
}

/**
 * The estimator's signal over training for one cell group: mean over seeds of the within-group
 * and between-group score variance and their ratio, over the first and the last fifth of the
 * logged steps.
 */
export function estimatorTrend(results: AblationResults, group: string) {
  const col = (f: string) => curveColumn(results, { source: "train", field: f });
  const runs = results.curves.filter((c) => c.group === group);
  const span = (field: string, part: "first" | "last") => {
    const values = runs.flatMap((run) => {
      const rows = run.train.filter((r) => r[col(field)] !== null);
      const fifth = Math.max(1, Math.floor(rows.length / 5));
      return (part === "first" ? rows.slice(0, fifth) : rows.slice(-fifth)).map((r) =>
        r[col(field)]!
      );
    });
    return values.length ? values.reduce((a, v) => a + v, 0) / values.length : NaN;
  };
  return Object.fromEntries(
    ["estimator/within_var", "estimator/between_var", "estimator/snr"].map((f) => [
      f,
      { first: span(f, "first"), last: span(f, "last") },
    ]),
  ) as Record<
    "estimator/within_var" | "estimator/between_var" | "estimator/snr",
    { first: number; last: number }
  >;
}

/**
 * A paired comparison of any run metric between two cell groups: `metric(b) - metric(a)` on the
 * seeds both finished.
 *
 * @example
 * ```ts
 * import { pairedMetric } from "./ablation_results.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const run = (group: string, seed: number, weakAccuracy: number) =>
 *   ({ group, seed, name: "", settings: {}, outcome: { finished: true, weakAccuracy } });
 * const r = { runs: [run("a", 0, 0.6), run("a", 1, 0.7), run("b", 0, 0.7), run("b", 1, 0.7)] };
 * assertAlmostEquals(pairedMetric(r as never, { metric: "weakAccuracy", a: "a", b: "b" }).mean!, 0.05, 1e-12);
 * ```
 */
export function pairedMetric(
  results: Pick<AblationResults, "runs">,
  which: { metric: keyof RunOutcome; a: string; b: string },
): PairedComparison {
  const { metric, a, b } = which;
  const value = (group: string, seed: number) => {
    const run = results.runs.find((r) =>
      r.group === group && r.seed === seed && r.outcome.finished
    );
    const v = run?.outcome[metric];
    return typeof v === "number" ? v : null;
  };
  const seeds = [...new Set(results.runs.map((r) => r.seed))];
  const diffs = seeds.map((s) => {
    const [x, y] = [value(a, s), value(b, s)];
    return x === null || y === null ? null : y - x;
  });
  return pairedComparison(meanSe(diffs));
}

/**
 * Claim 5 (weak preferences): the recipe's filter (train on |p| >= 2) against training on weak pairs
 * too (|p| >= 1), on strong and on weak held-out pairs, paired by seed. The recipe's choice holds
 * when training on weak pairs makes neither kind of held-out pair clearly better.
 */
export function weakPreferenceCheck(results: AblationResults): ClaimCheck {
  const filtered = row(results, { minStrength: 2 }).group;
  const all = row(results, { minStrength: 1 }).group;
  const strong = pairedMetric(results, { metric: "strongAccuracy", a: filtered, b: all });
  const weak = pairedMetric(results, { metric: "weakAccuracy", a: filtered, b: all });
  return claimCheck([
    [
      `training on weak pairs too does not help on strong held-out pairs (${
        formatComparison(strong)
      })`,
      strong.verdict !== "better",
    ],
    [
      `training on weak pairs too does not help on weak held-out pairs (${formatComparison(weak)})`,
      weak.verdict !== "better",
    ],
  ]);
}

/** The parts of {@link baselineBestCheck}: one (evidence, holds) per non-baseline cell. */
function baselineBestParts(
  results: AblationResults,
  setting: { key: string; baseline: unknown; label?: string },
): (readonly [string, boolean])[] {
  const { key, baseline, label = key } = setting;
  const c = comparisons(results);
  const base = row(results, { [key]: baseline });
  return results.rows.filter((r) => r !== base).map((r) => {
    const cmp = c.get(r.group)!;
    return [
      `${label} = ${r.settings[key]} does not beat ${label} = ${baseline} (${
        pctOf(r.metrics.accuracy)
      } vs ${pctOf(base.metrics.accuracy)}; paired ${formatComparison(cmp)})`,
      cmp.verdict !== "better",
    ] as const;
  });
}

/**
 * "The baseline setting is best": for every other value of `key`, a part that holds unless that
 * value beats the baseline cell (paired by seed, 95% t-interval above 0), in the grid's order.
 * Claims 3 (margin) and 4 (temperature) are of this form.
 */
export function baselineBestCheck(
  results: AblationResults,
  setting: { key: string; baseline: unknown; label?: string },
): ClaimCheck {
  return claimCheck(baselineBestParts(results, setting));
}

/**
 * Claim 1, the finer sweep G in {2, 3, 4, 5, 6, 8}: no G beats G = 4 (paired), G = 2 is worse, and
 * the cost grows with G (steps per second fall at every step up).
 */
export function fineGroupSizeCheck(results: AblationResults): ClaimCheck {
  const c2 = comparisons(results).get(row(results, { groupSize: 2 }).group)!;
  const bySize = [...results.rows].sort((a, b) =>
    Number(a.settings.groupSize) - Number(b.settings.groupSize)
  );
  const speeds = bySize.map((r) => r.metrics.stepsPerSecond.mean ?? NaN);
  return claimCheck([
    ...baselineBestParts(results, { key: "groupSize", baseline: 4, label: "G" }),
    [`G = 2 underperforms G = 4 (paired ${formatComparison(c2)})`, c2.verdict === "worse"],
    [
      `the cost grows with G (steps/s ${
        bySize.map((r, i) => `G ${r.settings.groupSize}: ${speeds[i].toFixed(3)}`).join(", ")
      })`,
      speeds.every((s, i) => i === 0 || s < speeds[i - 1]),
    ],
  ]);
}

/**
 * Per design: the mean over seeds of the drop from a run's best held-out accuracy to its final one
 * (0 for a run that ends at its best): how far training fell back, the measure of stability.
 *
 * @example
 * ```ts
 * import { peakToFinalDrop } from "./ablation_results.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const results = { grid: "g", provenance: { curveColumns: { eval: ["step", "accuracy"] } }, curves: [
 *   { cell: "a_seed-0", group: "a", seed: 0, eval: [[0, 0.5], [100, 0.8], [200, 0.7]], train: [] },
 *   { cell: "a_seed-1", group: "a", seed: 1, eval: [[0, 0.5], [100, 0.7], [200, 0.8]], train: [] },
 * ] };
 * assertAlmostEquals(peakToFinalDrop(results, "a"), 0.05, 1e-12); // (0.1 + 0) / 2
 * ```
 */
export function peakToFinalDrop(
  results: Pick<AblationResults, "curves" | "provenance" | "grid">,
  group: string,
): number {
  const col = curveColumn(results, { source: "eval", field: "accuracy" });
  const drops = results.curves.filter((c) => c.group === group).map((run) => {
    const acc = run.eval.map((r) => r[col]).filter((v): v is number => v !== null);
    return acc.length ? Math.max(...acc) - acc.at(-1)! : NaN;
  }).filter(Number.isFinite);
  return drops.length ? drops.reduce((a, v) => a + v, 0) / drops.length : NaN;
}

/**
 * Mean over seeds of a training curve field over the first and the last third of the logged
 * steps (e.g. `score/variance`: does it keep growing?).
 */
export function curveThirds(
  results: Pick<AblationResults, "curves" | "provenance" | "grid">,
  which: { group: string; field: string },
): { first: number; last: number } {
  const col = curveColumn(results, { source: "train", field: which.field });
  const part = (p: "first" | "last") => {
    const values = results.curves.filter((c) => c.group === which.group).flatMap((run) => {
      const rows = run.train.map((r) => r[col]).filter((v): v is number => v !== null);
      const third = Math.max(1, Math.floor(rows.length / 3));
      return p === "first" ? rows.slice(0, third) : rows.slice(-third);
    });
    return values.length ? values.reduce((a, v) => a + v, 0) / values.length : NaN;
  };
  return { first: part("first"), last: part("last") };
}

/**
 * Claim 2 (reward designs, runs of 600 steps): IRPM-Mean is the most stable (the smallest drop from
 * its best held-out accuracy to its final one); IRPM-Preference's score variance keeps growing
 * (last third of training above the first) and it ends below Mean (paired); IRPM-Interval is the
 * most conservative (the smallest chosen-minus-rejected score gap in training); median and winrate
 * end between Preference and Mean.
 */
export function rewardDesignCheck(results: AblationResults): ClaimCheck {
  const c = comparisons(results);
  const groupOf = (design: string) => row(results, { design }).group;
  const designs = results.rows.map((r) => String(r.settings.design));
  const drops = new Map(designs.map((d) => [d, peakToFinalDrop(results, groupOf(d))]));
  const gaps = new Map(
    designs.map((d) => [d, curveThirds(results, { group: groupOf(d), field: "score/gap" }).last]),
  );
  const variance = curveThirds(results, { group: groupOf("preference"), field: "score/variance" });
  const acc = (d: string) => row(results, { design: d }).metrics.accuracy.mean ?? NaN;
  const pref = c.get(groupOf("preference"))!;
  const list = (m: Map<string, number>, digits: number) =>
    [...m].map(([d, v]) => `${d} ${v.toFixed(digits)}`).join(", ");
  const between = ["median", "winrate"].filter((d) => designs.includes(d));
  return claimCheck([
    [
      `Mean is the most stable (best-to-final accuracy drop: ${list(drops, 3)})`,
      [...drops].every(([d, v]) => d === "mean" || v >= drops.get("mean")!),
    ],
    [
      `Preference's score variance keeps growing (first third ${variance.first.toFixed(2)}, last ${
        variance.last.toFixed(2)
      })`,
      variance.last > variance.first,
    ],
    [`Preference ends below Mean (paired ${formatComparison(pref)})`, pref.verdict === "worse"],
    [
      `Interval is the most conservative (training score gap, last third: ${list(gaps, 2)})`,
      [...gaps].every(([d, v]) => d === "interval" || v >= gaps.get("interval")!),
    ],
    [
      `${between.join(" and ")} end between Preference and Mean (accuracy ${
        ["preference", ...between, "mean"].map((d) => `${d} ${(100 * acc(d)).toFixed(1)}%`)
          .join(", ")
      })`,
      between.every((d) =>
        acc(d) >= Math.min(acc("preference"), acc("mean")) &&
        acc(d) <= Math.max(acc("preference"), acc("mean"))
      ),
    ],
  ]);
}
