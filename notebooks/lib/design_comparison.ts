/**
 * How every reward design treats the same pair of score groups: long-format rows from the kit's
 * `scoreGroups` (worst-case stand-in and format penalty included), plus the wide table and bar
 * series a notebook shows.
 *
 * @module
 */
import {
  type DesignName,
  type MarginSpec,
  PAPER_DESIGNS,
  resolveMargin,
  scoreGroups,
} from "../../irpm/mod.ts";
import type { BarSeries } from "../../viz/mod.ts";

/** Parsed scores of one pair's rollouts; `null` marks a rollout whose output did not parse. */
export type ParsedGroups = {
  readonly chosen: readonly (number | null)[];
  readonly rejected: readonly (number | null)[];
};

/** One rollout's reward under one design and margin. */
export type DesignComparisonRow = {
  design: DesignName;
  /** E.g. `delta=0` or `adaptive delta=1`. */
  margin: string;
  side: "chosen" | "rejected";
  /** `c1`, `c2`, ... for chosen rollouts, `r1`, ... for rejected ones. */
  rollout: string;
  /** The parsed score, or null for an invalid rollout. */
  parsed: number | null;
  /** The score that entered the statistics (worst case 0 / 10 for an invalid rollout). */
  used: number;
  /** Design reward plus penalty. */
  reward: number;
};

/** Options of {@link compareDesigns}. */
export type CompareOptions = {
  /** The pair's preference strength |p| in [0, 3] (used by an adaptive margin). */
  strength: number;
  /** Margins to compare; default [0, "adaptive"]. */
  margins?: readonly MarginSpec[];
  /** Designs to compare; default all five. */
  designs?: readonly DesignName[];
};

/**
 * The label of a margin spec at a given strength.
 *
 * @example
 * ```ts
 * import { marginLabel } from "./design_comparison.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([marginLabel(0, 3), marginLabel("adaptive", 3)], ["delta=0", "adaptive delta=1"]);
 * ```
 */
export function marginLabel(spec: MarginSpec, strength: number): string {
  const delta = resolveMargin(spec, strength);
  return spec === "adaptive" ? `adaptive delta=${delta}` : `delta=${delta}`;
}

/**
 * Rewards of every rollout under every (design, margin), in the order designs x margins x
 * (chosen rollouts, then rejected rollouts).
 *
 * @example
 * ```ts
 * import { compareDesigns } from "./design_comparison.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = compareDesigns({ chosen: [7, null], rejected: [5] }, { strength: 2, margins: [0], designs: ["mean"] });
 * // chosen used [7, 0] (mean 3.5), rejected [5]: 7 > 5 -> +1; 0 > 5 fails -> -1 - 0.5; 5 < 3.5 fails -> -1
 * assertEquals(rows.map((r) => [r.rollout, r.used, r.reward]), [["c1", 7, 1], ["c2", 0, -1.5], ["r1", 5, -1]]);
 * ```
 */
export function compareDesigns(
  scores: ParsedGroups,
  options: CompareOptions,
): DesignComparisonRow[] {
  const margins = options.margins ?? [0, "adaptive"];
  const designs = options.designs ?? PAPER_DESIGNS;
  const rows: DesignComparisonRow[] = [];
  for (const design of designs) {
    for (const margin of margins) {
      const out = scoreGroups(scores, { design, margin, strength: options.strength });
      const label = marginLabel(margin, options.strength);
      for (const side of ["chosen", "rejected"] as const) {
        out[side].forEach((r, i) => {
          rows.push({
            design,
            margin: label,
            side,
            rollout: `${side[0]}${i + 1}`,
            parsed: scores[side][i],
            used: r.score,
            reward: r.reward,
          });
        });
      }
    }
  }
  return rows;
}

/**
 * The rows as columns for a data frame: `rollout`, `score` (e.g. `8` or `invalid -> 0`), then one
 * column `<design> <margin>` of rewards per (design, margin), rollouts in first-seen order;
 * `digits` rounds the rewards for display.
 *
 * @example
 * ```ts
 * import { compareDesigns, rewardColumns } from "./design_comparison.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = compareDesigns({ chosen: [7, null], rejected: [5] }, { strength: 2, margins: [0], designs: ["mean"] });
 * assertEquals(rewardColumns(rows), {
 *   rollout: ["c1", "c2", "r1"],
 *   score: ["7", "invalid -> 0", "5"],
 *   "mean delta=0": [1, -1.5, -1],
 * });
 * const soft = compareDesigns({ chosen: [7], rejected: [5, 6] }, { strength: 2, margins: [0], designs: ["preference"] });
 * // c1: (sigmoid(2) + sigmoid(1)) / 2 = 0.806; r1: sigmoid(7 - 5) = 0.881; r2: sigmoid(1) = 0.731
 * assertEquals(rewardColumns(soft, 3)["preference delta=0"], [0.806, 0.881, 0.731]);
 * ```
 */
export function rewardColumns(
  rows: readonly DesignComparisonRow[],
  digits?: number,
): Record<string, (string | number)[]> {
  const rollouts = [...new Map(rows.map((r) => [r.rollout, r])).values()];
  const columns: Record<string, (string | number)[]> = {
    rollout: rollouts.map((r) => r.rollout),
    score: rollouts.map((r) => (r.parsed === null ? `invalid -> ${r.used}` : String(r.parsed))),
  };
  for (const row of rows) {
    const key = `${row.design} ${row.margin}`;
    columns[key] ??= rollouts.map(() => NaN);
    columns[key][rollouts.findIndex((r) => r.rollout === row.rollout)] = digits === undefined
      ? row.reward
      : Number(row.reward.toFixed(digits));
  }
  return columns;
}

/**
 * Grouped-bar series for one margin: one series per design, one bar per rollout.
 *
 * @example
 * ```ts
 * import { compareDesigns, designBarSeries } from "./design_comparison.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = compareDesigns({ chosen: [7], rejected: [5] }, { strength: 2, margins: [0], designs: ["mean", "winrate"] });
 * assertEquals(designBarSeries(rows, "delta=0"), [
 *   { name: "mean", categories: ["c1", "r1"], values: [1, 1] },
 *   { name: "winrate", categories: ["c1", "r1"], values: [1, 1] },
 * ]);
 * ```
 */
export function designBarSeries(rows: readonly DesignComparisonRow[], margin: string): BarSeries[] {
  const selected = rows.filter((r) => r.margin === margin);
  if (selected.length === 0) {
    throw new RangeError(`designBarSeries: no rows with margin "${margin}"`);
  }
  const designs = [...new Set(selected.map((r) => r.design))];
  return designs.map((design) => {
    const ofDesign = selected.filter((r) => r.design === design);
    return {
      name: design,
      categories: ofDesign.map((r) => r.rollout),
      values: ofDesign.map((r) => r.reward),
    };
  });
}
