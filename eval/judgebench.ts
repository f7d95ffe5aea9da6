/**
 * JudgeBench-style both-order counting for a pairwise verdict: each pair is judged twice, once
 * as (A, B) and once with the responses swapped; the swapped verdict is flipped back before it
 * is compared with the label.
 *
 * Source: ScalerLab/JudgeBench `utils/metrics.py` `compute_final_metrics` (with
 * `reverse_order`, the default in `run_judge.py`): decision2 = flip(verdict on (B, A));
 * counter = sum over the two decisions of (+1 if decision == label, -1 if decision ==
 * flip(label), 0 otherwise: a tie "A=B" or a missing verdict); the pair is correct iff
 * counter > 0, incorrect iff counter < 0, else a "tie"; the reported accuracy is
 * 100 n_correct / n_pairs. So one correct verdict plus one tie or one unparseable verdict counts
 * as correct, and one correct plus one wrong (an order-inconsistent judge) is not correct. The
 * same function also counts "all correct" (both decisions equal the label, our strict variant),
 * "all incorrect", "some correct" and `n_inconsistent` (decision1 != decision2).
 * For scalar reward models `utils/judges.py` maps scores to `'A>B' if score_A > score_B else
 * 'B>A'`: a score tie becomes B>A, which both orders turn into one right and one wrong verdict
 * (counter 0, not correct). {@link verdictFromScores} keeps "A=B" unless asked for that rule.
 *
 * @module
 */
import { checkScore } from "./pair_decision.ts";

/** A pairwise verdict: A better, B better, or a tie. `null` = no verdict (unparseable). */
export type Verdict = "A>B" | "B>A" | "A=B";

const VERDICTS: readonly Verdict[] = ["A>B", "B>A", "A=B"];

function checkVerdict(v: unknown, where: string): Verdict | null {
  if (v === null || VERDICTS.includes(v as Verdict)) return v as Verdict | null;
  throw new TypeError(`${where}: verdict must be "A>B", "B>A", "A=B" or null, got ${String(v)}`);
}

/**
 * Reads a verdict from the other presentation order: A>B <-> B>A; A=B and null stay.
 *
 * @example
 * ```ts
 * import { flipVerdict } from "./judgebench.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([flipVerdict("A>B"), flipVerdict("A=B"), flipVerdict(null)], ["B>A", "A=B", null]);
 * ```
 */
export function flipVerdict(verdict: Verdict | null): Verdict | null {
  const v = checkVerdict(verdict, "flipVerdict");
  return v === "A>B" ? "B>A" : v === "B>A" ? "A>B" : v;
}

/**
 * Verdict of a pointwise judge from the two responses' scores (`null` if either is unparseable):
 * "A>B" if s_A > s_B, "B>A" if s_A < s_B, else `tieAs` (default "A=B"; "B>A" reproduces
 * JudgeBench's scalar reward-model judges).
 *
 * @example
 * ```ts
 * import { verdictFromScores } from "./judgebench.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(verdictFromScores(8, 6), "A>B");
 * assertEquals(verdictFromScores(6, 6), "A=B");
 * assertEquals(verdictFromScores(6, 6, { tieAs: "B>A" }), "B>A");
 * assertEquals(verdictFromScores(null, 6), null);
 * ```
 */
export function verdictFromScores(
  scoreA: number | null,
  scoreB: number | null,
  options: { tieAs?: Verdict } = {},
): Verdict | null {
  const tieAs = checkVerdict(options.tieAs ?? "A=B", "verdictFromScores: tieAs");
  const a = checkScore(scoreA, "verdictFromScores: scoreA");
  const b = checkScore(scoreB, "verdictFromScores: scoreB");
  if (a === null || b === null) return null;
  return a > b ? "A>B" : a < b ? "B>A" : tieAs;
}

/** Verdicts of one pair in both presentation orders. */
export interface BothOrderJudgment {
  /** Verdict with the pair shown as (A, B). */
  forward: Verdict | null;
  /** Verdict with the pair shown swapped, as (B, A), in that presentation's own letters. */
  swapped: Verdict | null;
  /** The correct verdict for the (A, B) order (default "A>B": A is the chosen response). */
  label?: "A>B" | "B>A";
}

/** Both-order outcome of one pair. */
export interface BothOrderOutcome {
  /** The two decisions in the (A, B) frame: [forward, flip(swapped)]. */
  decisions: [Verdict | null, Verdict | null];
  /** JudgeBench counter: +1 per decision equal to the label, -1 per decision equal to its flip. */
  counter: number;
  /** JudgeBench accuracy credit: counter > 0. */
  correct: boolean;
  /** counter < 0. */
  incorrect: boolean;
  /** Strict both-order credit: both decisions equal the label. */
  bothCorrect: boolean;
  /** The two decisions differ (position-inconsistent judge). */
  inconsistent: boolean;
  /** At least one verdict is missing. */
  missing: boolean;
}

/**
 * Scores one pair judged in both orders (formulas in the module doc).
 *
 * @example
 * ```ts
 * import { bothOrderOutcome } from "./judgebench.ts";
 * import { assertEquals } from "@std/assert";
 * // forward right, swapped says tie: counter 1 -> correct, but not both correct
 * const o = bothOrderOutcome({ forward: "A>B", swapped: "A=B" });
 * assertEquals([o.counter, o.correct, o.bothCorrect, o.inconsistent], [1, true, false, true]);
 * // swapped presentation says "B>A", i.e. the original A wins: both right
 * assertEquals(bothOrderOutcome({ forward: "A>B", swapped: "B>A" }).bothCorrect, true);
 * ```
 */
export function bothOrderOutcome(judgment: BothOrderJudgment): BothOrderOutcome {
  const label = judgment.label ?? "A>B";
  if (label !== "A>B" && label !== "B>A") {
    throw new TypeError(`bothOrderOutcome: label must be "A>B" or "B>A", got ${String(label)}`);
  }
  const d1 = checkVerdict(judgment.forward, "bothOrderOutcome: forward");
  const d2 = flipVerdict(checkVerdict(judgment.swapped, "bothOrderOutcome: swapped"));
  const wrong = flipVerdict(label);
  const counter = [d1, d2].reduce((c, d) => c + (d === label ? 1 : d === wrong ? -1 : 0), 0);
  return {
    decisions: [d1, d2],
    counter,
    correct: counter > 0,
    incorrect: counter < 0,
    bothCorrect: d1 === label && d2 === label,
    inconsistent: d1 !== d2,
    missing: d1 === null || d2 === null,
  };
}

/** Result of {@link judgeBenchAccuracy}. */
export interface JudgeBenchReport {
  /** Number of pairs. */
  n: number;
  /** JudgeBench's accuracy: share of pairs with counter > 0. */
  accuracy: number;
  /** Strict both-order accuracy: share of pairs with both decisions equal to the label. */
  strictAccuracy: number;
  /** Share with counter < 0. */
  incorrectRate: number;
  /** Share with counter = 0 (JudgeBench's `n_tie`; counted as not correct). */
  tieRate: number;
  /** Share whose two decisions differ. */
  inconsistencyRate: number;
  /** Share with at least one missing verdict. */
  missingRate: number;
  /** Per-pair outcomes, in input order. */
  items: BothOrderOutcome[];
}

/**
 * Both-order accuracy over pairs: accuracy = #{counter > 0} / n (JudgeBench), strictAccuracy =
 * #{both decisions correct} / n, plus incorrect, tie, inconsistency and missing rates.
 * Throws RangeError for an empty list.
 *
 * @example
 * ```ts
 * import { judgeBenchAccuracy } from "./judgebench.ts";
 * import { assertEquals } from "@std/assert";
 * const r = judgeBenchAccuracy([
 *   { forward: "A>B", swapped: "B>A" }, // both right: counter 2
 *   { forward: "A>B", swapped: "A>B" }, // position bias: counter 0
 *   { forward: "A>B", swapped: null }, // one right, one missing: counter 1
 *   { forward: "B>A", swapped: "A>B" }, // both wrong: counter -2
 * ]);
 * assertEquals([r.accuracy, r.strictAccuracy, r.inconsistencyRate], [0.5, 0.25, 0.5]);
 * ```
 */
export function judgeBenchAccuracy(pairs: readonly BothOrderJudgment[]): JudgeBenchReport {
  const n = pairs.length;
  if (n === 0) throw new RangeError("judgeBenchAccuracy: needs at least one pair, got 0");
  const items = pairs.map((p, i) => {
    try {
      return bothOrderOutcome(p);
    } catch (error) {
      throw new TypeError(`judgeBenchAccuracy: pairs[${i}]: ${(error as Error).message}`);
    }
  });
  const rate = (f: (o: BothOrderOutcome) => boolean) => items.filter(f).length / n;
  return {
    n,
    accuracy: rate((o) => o.correct),
    strictAccuracy: rate((o) => o.bothCorrect),
    incorrectRate: rate((o) => o.incorrect),
    tieRate: rate((o) => o.counter === 0),
    inconsistencyRate: rate((o) => o.inconsistent),
    missingRate: rate((o) => o.missing),
    items,
  };
}
