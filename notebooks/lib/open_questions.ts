/**
 * The paper's open questions 2 and 3 as tables with verdicts, built from shipped grid results
 * (notebook 04). Question 1 (ties without voting) is {@link readoutCheck} in voting_results.ts.
 *
 * Every verdict is one of {@link Effect}, read from paired differences by seed (95% t-intervals,
 * {@link pairedComparison}): a change *helps* when some measure is clearly better and none clearly
 * worse, *hurts* in the opposite case, is *mixed* when both happen, and has *no effect* when no
 * interval excludes zero.
 *
 * @module
 */
import { type MeanSe, meanSe, type RunOutcome } from "../../train/sweep_summary.ts";
import {
  type AblationResults,
  curveThirds,
  formatComparison,
  type PairedComparison,
  pairedComparison,
  pairedMetric,
  peakToFinalDrop,
  row,
} from "./ablation_results.ts";

/** What a change does to the measures it is judged on. */
export type Effect = "helps" | "no effect" | "hurts" | "mixed" | "inconclusive";

/**
 * The effect of a change from paired comparisons where higher is better (flip a lower-is-better
 * measure before passing it). Any comparison without an interval (fewer than 2 paired seeds) makes
 * the whole verdict inconclusive.
 *
 * @example
 * ```ts
 * import { effectOf } from "./open_questions.ts";
 * import { assertEquals } from "@std/assert";
 * const c = (verdict: string) => ({ mean: 0, low: 0, high: 0, n: 3, verdict }) as never;
 * assertEquals(effectOf([c("better"), c("no clear difference")]), "helps");
 * assertEquals(effectOf([c("worse"), c("no clear difference")]), "hurts");
 * assertEquals(effectOf([c("better"), c("worse")]), "mixed");
 * assertEquals(effectOf([c("no clear difference")]), "no effect");
 * assertEquals(effectOf([c("better"), c("inconclusive")]), "inconclusive");
 * ```
 */
export function effectOf(comparisons: readonly PairedComparison[]): Effect {
  if (comparisons.length === 0 || comparisons.some((c) => c.verdict === "inconclusive")) {
    return "inconclusive";
  }
  const better = comparisons.some((c) => c.verdict === "better");
  const worse = comparisons.some((c) => c.verdict === "worse");
  return better && worse ? "mixed" : better ? "helps" : worse ? "hurts" : "no effect";
}

/** Mean ± standard error over seeds of one outcome of one cell group. */
function groupMetric(
  results: Pick<AblationResults, "runs">,
  which: { group: string; metric: keyof RunOutcome },
): MeanSe {
  return meanSe(
    results.runs.filter((r) => r.group === which.group && r.outcome.finished).map((r) => {
      const v = r.outcome[which.metric];
      return typeof v === "number" ? v : null;
    }),
  );
}

/**
 * `target` with the cell groups `groups` of another grid's results added (rows, runs and curves),
 * their curve columns remapped by name to `target`'s (a column `target` lacks becomes null), so
 * cells of two grids with the same base and seeds can be compared as one grid (the open questions'
 * grids reuse the cells they share with results/reward_design and results/weak_preferences).
 *
 * @example
 * ```ts
 * import { withGroupsFrom } from "./open_questions.ts";
 * import { assertEquals } from "@std/assert";
 * const grid = (group: string, columns: string[], row: number[]) => ({
 *   grid: group, claim: "", baseline: null, provenance: { curveColumns: { eval: columns, train: ["step"] } },
 *   rows: [{ group, settings: {} }], runs: [{ group, seed: 0, name: "", settings: {}, outcome: { finished: true } }],
 *   curves: [{ cell: `${group}_seed-0`, group, seed: 0, eval: [row], train: [] }],
 * });
 * const merged = withGroupsFrom(grid("a", ["step", "eval/accuracy"], [0, 0.5]) as never, {
 *   source: grid("b", ["step", "eval/tie_rate", "eval/accuracy"], [0, 0.1, 0.7]) as never, groups: ["b"] });
 * assertEquals(merged.rows.map((r) => r.group), ["a", "b"]);
 * assertEquals(merged.curves.map((c) => c.eval[0]), [[0, 0.5], [0, 0.7]]);
 * ```
 */
export function withGroupsFrom(
  target: AblationResults,
  from: { source: AblationResults; groups: readonly string[] },
): AblationResults {
  const { source, groups } = from;
  const columns = (
    r: AblationResults,
    kind: "eval" | "train",
  ) => ((r.provenance.curveColumns as Record<string, string[]> | undefined)?.[kind] ?? []);
  const remap = (kind: "eval" | "train") => {
    const mine = columns(target, kind), theirs = columns(source, kind);
    const index = mine.map((name) => theirs.indexOf(name));
    return (row: readonly (number | null)[]) => index.map((i) => (i < 0 ? null : row[i] ?? null));
  };
  const [evalRow, trainRow] = [remap("eval"), remap("train")];
  const wanted = (r: { group: string }) => groups.includes(r.group);
  for (const group of groups) {
    if (!source.rows.some((r) => r.group === group)) {
      throw new RangeError(`results/${source.grid}: no cell group ${group}`);
    }
  }
  return {
    ...target,
    rows: [...target.rows, ...source.rows.filter(wanted)],
    runs: [...target.runs, ...source.runs.filter(wanted)],
    curves: [
      ...target.curves,
      ...source.curves.filter(wanted).map((c) => ({
        ...c,
        eval: c.eval.map(evalRow),
        train: c.train.map(trainRow),
      })),
    ],
  };
}

/** One design of the preference-fixes grid (open question 2). */
export interface PreferenceFixRow {
  readonly design: string;
  readonly seeds: number;
  /** Final held-out accuracy. */
  readonly accuracy: MeanSe;
  /** Mean over seeds of best-minus-final held-out accuracy: how far training fell back. */
  readonly peakToFinalDrop: number;
  /** Mean training score variance over the first and the last third of the steps. */
  readonly varianceFirst: number;
  readonly varianceLast: number;
  /** Final accuracy minus the unfixed preference design's, paired by seed. */
  readonly vsPreference: PairedComparison;
  /** Final accuracy minus mean's, paired by seed. */
  readonly vsMean: PairedComparison;
  /**
   * Against the unfixed preference design, on final accuracy and on the best-to-final drop
   * (per seed, lower is better); the two designs themselves get none.
   */
  readonly effect: Effect | null;
}

/** Best-minus-final held-out accuracy of each run of `group`, by seed. */
function dropsBySeed(results: AblationResults, group: string): Map<number, number> {
  return new Map(
    results.curves.filter((c) => c.group === group).map((c) => [
      c.seed,
      peakToFinalDrop({ ...results, curves: [c] }, group),
    ]),
  );
}

/**
 * Open question 2: per design of the preference-fixes grid, final accuracy, how far training fell
 * back from its best, how the score variance moved from the first to the last third, and the
 * paired differences against the unfixed preference design and against mean. A fix *helps* when
 * it ends clearly above preference or falls back clearly less, and neither is clearly worse.
 *
 * @example
 * ```ts
 * import { preferenceFixRows } from "./open_questions.ts";
 * import { assertEquals } from "@std/assert";
 * const cols = { eval: ["step", "accuracy"], train: ["step", "score/variance"] };
 * const cell = (design: string, seed: number, acc: number[], variance: number[]) => ({
 *   cell: `design-${design}_seed-${seed}`, group: `design-${design}`, seed,
 *   eval: acc.map((a, i) => [100 * i, a]), train: variance.map((v, i) => [i + 1, v]),
 * });
 * const run = (design: string, seed: number, accuracy: number) => ({ group: `design-${design}`,
 *   seed, name: "", settings: { design }, outcome: { finished: true, accuracy } });
 * const results = {
 *   grid: "preference_fixes", claim: "", baseline: "design-preference", provenance: { curveColumns: cols },
 *   rows: ["mean", "preference", "preference-capped"].map((design) => ({ group: `design-${design}`, settings: { design } })),
 *   runs: [0, 1, 2].flatMap((s) => [run("mean", s, 0.8 + s / 100), run("preference", s, 0.7 + s / 100),
 *     run("preference-capped", s, 0.75 + s / 100 + (s === 1 ? 0.001 : 0))]),
 *   curves: [0, 1, 2].flatMap((s) => [cell("mean", s, [0.5, 0.8], [1, 1, 1]),
 *     cell("preference", s, [0.5, 0.8, 0.7], [1, 2, 9]), cell("preference-capped", s, [0.5, 0.75], [1, 1, 2])]),
 * };
 * const rows = preferenceFixRows(results as never);
 * const capped = rows.find((r) => r.design === "preference-capped")!;
 * assertEquals(capped.vsPreference.verdict, "better"); // +5 points on every seed
 * assertEquals(capped.effect, "helps");
 * assertEquals(rows.find((r) => r.design === "preference")!.varianceLast, 9);
 * ```
 */
export function preferenceFixRows(results: AblationResults): PreferenceFixRow[] {
  const preference = row(results, { design: "preference" }).group;
  const mean = row(results, { design: "mean" }).group;
  const preferenceDrops = dropsBySeed(results, preference);
  return results.rows.map((r) => {
    const design = String(r.settings.design);
    const variance = curveThirds(results, { group: r.group, field: "score/variance" });
    const vsPreference = pairedMetric(results, { metric: "accuracy", a: preference, b: r.group });
    const drops = dropsBySeed(results, r.group);
    // falling back less is better: preference's drop minus this design's, per seed
    const dropGain = pairedComparison(meanSe(
      [...drops].map(([seed, d]) =>
        preferenceDrops.has(seed) ? preferenceDrops.get(seed)! - d : null
      ),
    ));
    return {
      design,
      seeds: groupMetric(results, { group: r.group, metric: "accuracy" }).n,
      accuracy: groupMetric(results, { group: r.group, metric: "accuracy" }),
      peakToFinalDrop: peakToFinalDrop(results, r.group),
      varianceFirst: variance.first,
      varianceLast: variance.last,
      vsPreference,
      vsMean: pairedMetric(results, { metric: "accuracy", a: mean, b: r.group }),
      effect: r.group === preference || r.group === mean
        ? null
        : effectOf([vsPreference, dropGain]),
    };
  });
}

/** One setting of the weak-pairs grid, or the recipe's filter (open question 3). */
export interface WeakPairsRow {
  /** `"recipe (|p| >= 2)"` or the grid's setting, e.g. `"weak-pair-weight 0.5"`. */
  readonly setting: string;
  readonly seeds: number;
  readonly strongAccuracy: MeanSe;
  readonly weakAccuracy: MeanSe;
  /** Paired by seed against the recipe; null on the recipe's own row. */
  readonly strongVsRecipe: PairedComparison | null;
  readonly weakVsRecipe: PairedComparison | null;
  readonly effect: Effect | null;
}

/**
 * Open question 3: each way of using the weak pairs (results/weak_pairs_use) against the recipe that
 * drops them (the `minStrength: 2` cell of results/weak_preferences, same seeds, same steps), on
 * strong and on weak held-out pairs, paired by seed.
 *
 * @example
 * ```ts
 * import { weakPairsRows } from "./open_questions.ts";
 * import { assertEquals } from "@std/assert";
 * const run = (group: string, seed: number, strongAccuracy: number, weakAccuracy: number) =>
 *   ({ group, seed, name: "", settings: {}, outcome: { finished: true, strongAccuracy, weakAccuracy } });
 * const recipe = { grid: "weak_preferences", rows: [{ group: "min-strength-2", settings: { minStrength: 2 } }],
 *   runs: [0, 1, 2].map((s) => run("min-strength-2", s, 0.8, 0.6 + s / 100)) };
 * const use = { grid: "weak_pairs_use", rows: [{ group: "weak-pair-weight-1", settings: { weakPairWeight: 1 } }],
 *   runs: [0, 1, 2].map((s) => run("weak-pair-weight-1", s, 0.8 + s / 1000, 0.65 + s / 100 + (s === 2 ? 0.001 : 0))) };
 * const rows = weakPairsRows({ use: use as never, recipe: recipe as never });
 * assertEquals(rows.map((r) => r.setting), ["recipe (|p| >= 2)", "weak-pair-weight 1"]);
 * assertEquals(rows[1].weakVsRecipe!.verdict, "better");
 * assertEquals(rows[1].effect, "helps");
 * ```
 */
export function weakPairsRows(
  grids: { use: AblationResults; recipe: AblationResults },
): WeakPairsRow[] {
  const { use, recipe } = grids;
  const recipeGroup = row(recipe, { minStrength: 2 }).group;
  const both = { runs: [...use.runs, ...recipe.runs.filter((r) => r.group === recipeGroup)] };
  const measure = (group: string, from: Pick<AblationResults, "runs">) => ({
    seeds: groupMetric(from, { group, metric: "strongAccuracy" }).n,
    strongAccuracy: groupMetric(from, { group, metric: "strongAccuracy" }),
    weakAccuracy: groupMetric(from, { group, metric: "weakAccuracy" }),
  });
  return [
    {
      setting: "recipe (|p| >= 2)",
      ...measure(recipeGroup, recipe),
      strongVsRecipe: null,
      weakVsRecipe: null,
      effect: null,
    },
    ...use.rows.map((r) => {
      const strongVsRecipe = pairedMetric(both, {
        metric: "strongAccuracy",
        a: recipeGroup,
        b: r.group,
      });
      const weakVsRecipe = pairedMetric(both, {
        metric: "weakAccuracy",
        a: recipeGroup,
        b: r.group,
      });
      return {
        // a kept-weak-pairs cell without a weight trains them at the default weight, 1
        setting: Object.entries(
          "weakPairWeight" in r.settings || r.settings.minStrength !== 1
            ? r.settings
            : { weakPairWeight: 1 },
        ).map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${v}`).join(", "),
        ...measure(r.group, use),
        strongVsRecipe,
        weakVsRecipe,
        effect: effectOf([strongVsRecipe, weakVsRecipe]),
      };
    }),
  ];
}

/** A table cell for a paired comparison: `+1.2 points (95% CI ...)`, or `-` for none. */
export function comparisonCell(c: PairedComparison | null): string {
  return c === null ? "-" : formatComparison(c);
}
