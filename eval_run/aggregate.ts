/**
 * From per-pair outcomes to an evaluation summary: overall, per domain and per subset under both
 * conventions (IRPM tie = 0.5 and strict tie = 0), RewardBench section scores when subsets map,
 * and RM-Bench hard / normal / easy when the pairs carry a level. Every kind of judge (pointwise,
 * pairwise, scalar) reduces to {@link OutcomeRow}s first, so they are all scored by this one code
 * path.
 *
 * @module
 */
import { summarize, type Summary } from "../eval/accuracy.ts";
import type { PairOutcome } from "../eval/pair_decision.ts";
import { type BothOrderJudgment, bothOrderOutcome, verdictFromScores } from "../eval/judgebench.ts";
import { rewardBenchScore, sectionScores } from "../eval/rewardbench.ts";
import { type LevelAccuracy, rmBenchDomainGroup } from "../eval/rm_bench.ts";
import type { RmBenchLevel } from "../data/rm_bench.ts";

/** One decided pair with what groups it. */
export interface OutcomeRow {
  /** Pair id. */
  readonly id: string;
  /** Domain (grouped in `byDomain`; RM-Bench domain groups). */
  readonly domain: string;
  /** RewardBench subset, if any. */
  readonly subset?: string;
  /** RM-Bench level, if any. */
  readonly level?: RmBenchLevel;
  /** The decision under both conventions. */
  readonly outcome: PairOutcome;
}

/** RM-Bench levels of one domain group. */
export interface RmBenchLevels {
  /** Pairs (9 per item). */
  readonly n: number;
  /** Levels with ties as 0.5. */
  readonly irpm: LevelAccuracy;
  /** Levels with ties as 0 (RM-Bench's official numbers). */
  readonly strict: LevelAccuracy;
  /** Share of the pairs that are ties. */
  readonly tieRate: number;
  /** Share of the pairs with an unparseable side. */
  readonly parseErrorRate: number;
}

/** Result of {@link summarizeOutcomes}. */
export interface EvalSummary {
  /** All pairs. */
  readonly overall: Summary;
  /** By `domain`. */
  readonly byDomain: Record<string, Summary>;
  /** By RewardBench `subset` (only pairs that have one). */
  readonly bySubset: Record<string, Summary>;
  /** RewardBench sections and score (NaN where a section has no data), when subsets map. */
  readonly rewardBench?: {
    readonly sections: { irpm: Record<string, number>; strict: Record<string, number> };
    readonly score: { irpm: number; strict: number };
  };
  /** RM-Bench levels per domain group and their unweighted mean, when pairs carry levels. */
  readonly rmBench?: {
    readonly byDomain: Record<string, RmBenchLevels>;
    readonly overall: { irpm: LevelAccuracy; strict: LevelAccuracy };
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(row);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function summaries(groups: Map<string, OutcomeRow[]>): Record<string, Summary> {
  const out: Record<string, Summary> = {};
  for (const [k, rows] of groups) out[k] = summarize(rows.map((r) => r.outcome));
  return out;
}

function levels(rows: readonly OutcomeRow[], key: "irpm" | "strict"): LevelAccuracy {
  const mean = (level: RmBenchLevel) => {
    const members = rows.filter((r) => r.level === level);
    if (members.length === 0) return NaN;
    return members.reduce((a, r) => a + r.outcome[key], 0) / members.length;
  };
  const hard = mean("hard"), normal = mean("normal"), easy = mean("easy");
  return { hard, normal, easy, avg: (hard + normal + easy) / 3 };
}

function meanLevels(all: readonly LevelAccuracy[]): LevelAccuracy {
  const mean = (k: keyof LevelAccuracy) => all.reduce((a, l) => a + l[k], 0) / all.length;
  return { hard: mean("hard"), normal: mean("normal"), easy: mean("easy"), avg: mean("avg") };
}

/**
 * Summarises decided pairs. RM-Bench levels per domain group g (`rmBenchDomainGroup`):
 * level_g = mean outcome of g's pairs at that level (every item has 3 hard, 3 normal, 3 easy
 * pairs, so this equals RM-Bench's mean 3 x 3 matrix triangles); overall = unweighted mean over
 * the groups. RewardBench: section = count-weighted mean of its subsets' accuracies, score = mean
 * of the sections. Throws RangeError for no rows.
 *
 * @example
 * ```ts
 * import { summarizeOutcomes } from "./aggregate.ts";
 * import { pairOutcome } from "../eval/pair_decision.ts";
 * import { assertEquals } from "@std/assert";
 * const s = summarizeOutcomes([
 *   { id: "a", domain: "x", outcome: pairOutcome(8, 2) }, // win
 *   { id: "b", domain: "x", outcome: pairOutcome(5, 5) }, // tie: 0.5, strict 0
 *   { id: "c", domain: "y", outcome: pairOutcome(null, 5) }, // parse error: 0
 * ]);
 * assertEquals([s.overall.accuracy, s.overall.strictAccuracy, s.byDomain.x.accuracy], [0.5, 1 / 3, 0.75]);
 * ```
 */
export function summarizeOutcomes(rows: readonly OutcomeRow[]): EvalSummary {
  if (rows.length === 0) throw new RangeError("summarizeOutcomes: needs at least one row, got 0");
  const bySubset = summaries(groupBy(rows, (r) => r.subset));
  const summary: {
    -readonly [K in keyof EvalSummary]: EvalSummary[K];
  } = {
    overall: summarize(rows.map((r) => r.outcome)),
    byDomain: summaries(groupBy(rows, (r) => r.domain)),
    bySubset,
  };
  if (Object.keys(bySubset).length > 0) {
    const pick = (k: "accuracy" | "strictAccuracy") =>
      Object.fromEntries(Object.entries(bySubset).map(([s, v]) => [s, v[k]]));
    const irpm = sectionScores(pick("accuracy"));
    const strict = sectionScores(pick("strictAccuracy"));
    const score = (sections: Record<string, number>) =>
      Object.values(sections).every(Number.isFinite) ? rewardBenchScore(sections) : NaN;
    summary.rewardBench = {
      sections: { irpm, strict },
      score: { irpm: score(irpm), strict: score(strict) },
    };
  }
  if (rows.every((r) => r.level !== undefined)) {
    const byDomain: Record<string, RmBenchLevels> = {};
    for (const [g, members] of groupBy(rows, (r) => rmBenchDomainGroup(r.domain))) {
      const s = summarize(members.map((r) => r.outcome));
      byDomain[g] = {
        n: members.length,
        irpm: levels(members, "irpm"),
        strict: levels(members, "strict"),
        tieRate: s.tieRate,
        parseErrorRate: s.parseErrorRate,
      };
    }
    const groups = Object.values(byDomain);
    summary.rmBench = {
      byDomain,
      overall: {
        irpm: meanLevels(groups.map((g) => g.irpm)),
        strict: meanLevels(groups.map((g) => g.strict)),
      },
    };
  }
  return summary;
}

/**
 * A pair judged in both orders reduced to one {@link PairOutcome}, so a pairwise judge is scored
 * by the same conventions as a pointwise one. With the JudgeBench counter c (+1 per decision equal
 * to the label, -1 per decision equal to its flip):
 * a missing verdict -> parse error (0, as IRPM scores an unparseable judgment);
 * c > 0 -> irpm 1; c = 0 (the two orders disagree: the pairwise analogue of a tie) -> 0.5, tie;
 * c < 0 -> 0; strict = both decisions equal the label.
 *
 * @example
 * ```ts
 * import { bothOrderPairOutcome } from "./aggregate.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bothOrderPairOutcome({ forward: "A>B", swapped: "B>A" }),
 *   { irpm: 1, strict: 1, tie: false, parseError: false }); // both right
 * assertEquals(bothOrderPairOutcome({ forward: "A>B", swapped: "A>B" }),
 *   { irpm: 0.5, strict: 0, tie: true, parseError: false }); // position bias
 * assertEquals(bothOrderPairOutcome({ forward: "A>B", swapped: null }).parseError, true);
 * ```
 */
export function bothOrderPairOutcome(judgment: BothOrderJudgment): PairOutcome {
  const o = bothOrderOutcome(judgment);
  if (o.missing) return { irpm: 0, strict: 0, tie: false, parseError: true };
  return {
    irpm: o.counter > 0 ? 1 : o.counter === 0 ? 0.5 : 0,
    strict: o.bothCorrect ? 1 : 0,
    tie: o.counter === 0,
    parseError: false,
  };
}

/**
 * What a pointwise judge's two scores say in JudgeBench's both-order terms: the pair is shown as
 * (A, B) with the chosen response first when `chosenFirst` (default true); forward =
 * verdict(s_A, s_B), swapped = verdict(s_B, s_A), a tie staying "A=B".
 *
 * @example
 * ```ts
 * import { bothOrderFromScores } from "./aggregate.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bothOrderFromScores(8, 3, false), { forward: "B>A", swapped: "A>B", label: "B>A" });
 * ```
 */
export function bothOrderFromScores(
  chosenScore: number | null,
  rejectedScore: number | null,
  chosenFirst = true,
): BothOrderJudgment {
  const [a, b] = chosenFirst ? [chosenScore, rejectedScore] : [rejectedScore, chosenScore];
  return {
    forward: verdictFromScores(a, b),
    swapped: verdictFromScores(b, a),
    label: chosenFirst ? "A>B" : "B>A",
  };
}
