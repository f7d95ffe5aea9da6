/**
 * Pairwise accuracy of a pointwise GRM over a set of pairs, under the IRPM convention (tie = 0.5)
 * and the strict one (tie = 0), with tie and parse-error rates, standard errors, per-domain and
 * per-subset breakdowns, and the per-item outcomes every number is computed from.
 *
 * @module
 */
import { type PairOutcome, pairOutcome } from "./pair_decision.ts";

/** Accuracy figures for one group of pairs. */
export interface Summary {
  /** Number of pairs. */
  n: number;
  /** IRPM accuracy: mean of {@link PairOutcome.irpm} (win 1, tie 0.5, loss or invalid 0). */
  accuracy: number;
  /** Binomial standard error of `accuracy`: sqrt(p (1 - p) / n). */
  accuracySe: number;
  /** Strict accuracy: share of pairs with chosen > rejected (ties and invalid count 0). */
  strictAccuracy: number;
  /** Binomial standard error of `strictAccuracy`. */
  strictAccuracySe: number;
  /** Share of pairs with two valid, equal scores. */
  tieRate: number;
  /** Share of pairs with at least one unparseable score. */
  parseErrorRate: number;
  /** Count of ties. */
  ties: number;
  /** Count of pairs with a parse error. */
  parseErrors: number;
}

/** One scored pair as the evaluator receives it. */
export interface ScoredPair {
  /** Score of the chosen response, `null` if its judgment did not parse. */
  chosen: number | null;
  /** Score of the rejected response, `null` if its judgment did not parse. */
  rejected: number | null;
  /** Task domain (grouped in `byDomain`). */
  domain?: string;
  /** Benchmark subset (grouped in `bySubset`). */
  subset?: string;
}

/** A scored pair with its decision and its position in the input. */
export interface ItemOutcome extends ScoredPair, PairOutcome {
  /** Index of the pair in the input array. */
  index: number;
}

/** Result of {@link pairwiseAccuracy}. */
export interface AccuracyReport {
  /** All pairs. */
  overall: Summary;
  /** Pairs grouped by `domain` (pairs without a domain are left out of this breakdown). */
  byDomain: Record<string, Summary>;
  /** Pairs grouped by `subset` (pairs without a subset are left out of this breakdown). */
  bySubset: Record<string, Summary>;
  /** Per-pair outcomes, in input order. */
  items: ItemOutcome[];
}

/**
 * Binomial standard error of a proportion: se = sqrt(p (1 - p) / n).
 *
 * For the IRPM accuracy, whose per-pair outcomes X lie in {0, 0.5, 1}, this is an upper bound on
 * the plug-in standard error sqrt(Var(X) / n): X in [0, 1] gives E[X^2] <= E[X], so
 * Var(X) = E[X^2] - p^2 <= p (1 - p). Ties make the binomial SE slightly conservative.
 *
 * @example
 * ```ts
 * import { binomialSe } from "./accuracy.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(binomialSe(0.75, 4), Math.sqrt(0.75 * 0.25 / 4), 1e-15); // 0.2165...
 * ```
 */
export function binomialSe(p: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`binomialSe: n must be >= 1, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomialSe: p must be in [0, 1], got ${p}`);
  return Math.sqrt((p * (1 - p)) / n);
}

/**
 * Summarises pair outcomes:
 * accuracy = (1/n) sum_i irpm_i, strictAccuracy = (1/n) sum_i strict_i,
 * tieRate = #ties / n, parseErrorRate = #parse errors / n, SEs from {@link binomialSe}.
 * Throws RangeError for an empty list.
 *
 * @example
 * ```ts
 * import { summarize } from "./accuracy.ts";
 * import { pairOutcome } from "./pair_decision.ts";
 * import { assertEquals } from "@std/assert";
 * const s = summarize([pairOutcome(9, 1), pairOutcome(5, 5)]);
 * assertEquals([s.accuracy, s.strictAccuracy, s.tieRate], [0.75, 0.5, 0.5]);
 * ```
 */
export function summarize(outcomes: readonly PairOutcome[]): Summary {
  const n = outcomes.length;
  if (n === 0) throw new RangeError("summarize: needs at least one pair outcome, got 0");
  let irpm = 0, strict = 0, ties = 0, parseErrors = 0;
  for (const o of outcomes) {
    irpm += o.irpm;
    strict += o.strict;
    if (o.tie) ties++;
    if (o.parseError) parseErrors++;
  }
  const accuracy = irpm / n;
  const strictAccuracy = strict / n;
  return {
    n,
    accuracy,
    accuracySe: binomialSe(accuracy, n),
    strictAccuracy,
    strictAccuracySe: binomialSe(strictAccuracy, n),
    tieRate: ties / n,
    parseErrorRate: parseErrors / n,
    ties,
    parseErrors,
  };
}

function groupBy(
  items: readonly ItemOutcome[],
  key: (item: ItemOutcome) => string | undefined,
): Record<string, Summary> {
  const groups = new Map<string, ItemOutcome[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  const out: Record<string, Summary> = {};
  for (const k of [...groups.keys()].sort()) out[k] = summarize(groups.get(k)!);
  return out;
}

/**
 * Decides every pair with {@link pairOutcome} and summarises them overall, by domain and by
 * subset (see {@link summarize} for the formulas). Throws RangeError for an empty list and
 * TypeError (naming the pair index) for a score that is neither a number nor null.
 *
 * @example
 * ```ts
 * import { pairwiseAccuracy } from "./accuracy.ts";
 * import { assertEquals } from "@std/assert";
 * const report = pairwiseAccuracy([
 *   { chosen: 8, rejected: 6, domain: "code" }, // win: 1
 *   { chosen: 7, rejected: 7, domain: "code" }, // tie: 0.5 (strict 0)
 *   { chosen: null, rejected: 2, domain: "math" }, // parse error: 0
 *   { chosen: 9, rejected: 3, domain: "math" }, // win: 1
 * ]);
 * assertEquals(report.overall.accuracy, 2.5 / 4);
 * assertEquals(report.overall.strictAccuracy, 2 / 4);
 * assertEquals(report.byDomain.code.accuracy, 0.75);
 * assertEquals(report.items[2].parseError, true);
 * ```
 */
export function pairwiseAccuracy(items: readonly ScoredPair[]): AccuracyReport {
  if (items.length === 0) throw new RangeError("pairwiseAccuracy: needs at least one pair, got 0");
  const outcomes: ItemOutcome[] = items.map((item, index) => {
    if (item === null || typeof item !== "object") {
      throw new TypeError(`pairwiseAccuracy: items[${index}] must be an object, got ${item}`);
    }
    let outcome: PairOutcome;
    try {
      outcome = pairOutcome(item.chosen, item.rejected);
    } catch (error) {
      throw new TypeError(`pairwiseAccuracy: items[${index}]: ${(error as Error).message}`);
    }
    return { ...item, index, ...outcome };
  });
  return {
    overall: summarize(outcomes),
    byDomain: groupBy(outcomes, (o) => o.domain),
    bySubset: groupBy(outcomes, (o) => o.subset),
    items: outcomes,
  };
}
