/**
 * One preference pair judged by a pointwise GRM: each response was scored alone (a number, or
 * `null` when the judgment did not parse), and the pair is decided by comparing the two scores.
 *
 * @module
 */

/** The decision of one pair under both conventions, and why. */
export interface PairOutcome {
  /** IRPM convention (method.md "Evaluation"): 1 win, 0.5 tie, 0 loss or either side invalid. */
  irpm: 0 | 0.5 | 1;
  /** Strict convention (RewardBench / RM-Bench scalar path, `chosen > rejected`): tie counts 0. */
  strict: 0 | 1;
  /** Both scores valid and equal. */
  tie: boolean;
  /** At least one score is `null` (its judgment did not parse). */
  parseError: boolean;
}

/**
 * Checks that `score` is a number (not NaN) or `null`, and returns it.
 * `where` names the caller and field for the error message.
 *
 * @example
 * ```ts
 * import { checkScore } from "./pair_decision.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(checkScore(7, "chosen"), 7);
 * assertEquals(checkScore(null, "chosen"), null);
 * assertThrows(() => checkScore(NaN, "chosen"), TypeError, "chosen");
 * ```
 */
export function checkScore(score: unknown, where: string): number | null {
  if (score === null) return null;
  if (typeof score !== "number" || Number.isNaN(score)) {
    throw new TypeError(
      `${where}: a score must be a number or null (unparseable), got ${String(score)}`,
    );
  }
  return score;
}

/**
 * Decides one pair from the two pointwise scores.
 *
 * irpm   = 1 if s_c > s_r, 0.5 if s_c = s_r, 0 if s_c < s_r or either score is null
 * strict = 1 if s_c > s_r, else 0
 *
 * An unparseable side loses the pair under both conventions (never a silent tie).
 *
 * @example
 * ```ts
 * import { pairOutcome } from "./pair_decision.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pairOutcome(8, 6), { irpm: 1, strict: 1, tie: false, parseError: false });
 * assertEquals(pairOutcome(7, 7), { irpm: 0.5, strict: 0, tie: true, parseError: false });
 * assertEquals(pairOutcome(null, 3), { irpm: 0, strict: 0, tie: false, parseError: true });
 * ```
 */
export function pairOutcome(chosenScore: number | null, rejectedScore: number | null): PairOutcome {
  const chosen = checkScore(chosenScore, "pairOutcome: chosenScore");
  const rejected = checkScore(rejectedScore, "pairOutcome: rejectedScore");
  if (chosen === null || rejected === null) {
    return { irpm: 0, strict: 0, tie: false, parseError: true };
  }
  if (chosen > rejected) return { irpm: 1, strict: 1, tie: false, parseError: false };
  if (chosen === rejected) return { irpm: 0.5, strict: 0, tie: true, parseError: false };
  return { irpm: 0, strict: 0, tie: false, parseError: false };
}
