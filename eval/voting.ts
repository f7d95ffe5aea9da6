/**
 * Voting@k for a pointwise GRM (method.md "Evaluation"): sample k judgments per response at
 * temperature 1, average the valid scores, then decide the pair on the averaged scores.
 * In the method k = 1 means greedy decoding, so the table takes the greedy scores separately.
 *
 * @module
 */
import { summarize, type Summary } from "./accuracy.ts";
import { checkScore, pairOutcome } from "./pair_decision.ts";

/**
 * Vote score of one response from its sampled judgments:
 * v = (1/|V|) sum_{s in V} s, V = the valid (non-null) scores; v = null when V is empty.
 * Invalid samples are dropped, not counted as 0. Throws RangeError for an empty array.
 *
 * @example
 * ```ts
 * import { votingScore } from "./voting.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(votingScore([7, null, 8, 6]), 7); // (7 + 8 + 6) / 3
 * assertEquals(votingScore([null, null]), null);
 * ```
 */
export function votingScore(scores: readonly (number | null)[]): number | null {
  if (!Array.isArray(scores) || scores.length === 0) {
    throw new RangeError(`votingScore: needs at least one sampled score, got ${String(scores)}`);
  }
  let sum = 0, count = 0;
  scores.forEach((s, i) => {
    const score = checkScore(s, `votingScore: scores[${i}]`);
    if (score === null) return;
    sum += score;
    count++;
  });
  return count === 0 ? null : sum / count;
}

/** Sampled judgments of one pair: `chosen[t]`, `rejected[t]` is sample t of each side. */
export interface SampledPair {
  /** Scores of the chosen response's samples (`null` = unparseable). */
  chosen: readonly (number | null)[];
  /** Scores of the rejected response's samples (`null` = unparseable). */
  rejected: readonly (number | null)[];
}

/** One row of {@link votingAccuracyTable}. */
export interface VotingRow extends Summary {
  /** Number of samples per response. */
  k: number;
  /** `greedy` when the k = 1 row used the greedy scores, else `samples`. */
  source: "greedy" | "samples";
}

/** Options of {@link votingAccuracyTable}. */
export interface VotingOptions {
  /** Values of k, each >= 1 (default [1, 2, 4, 8], the paper's table). */
  ks?: readonly number[];
  /** Greedy scores per pair, used for the k = 1 row when given (the method's k = 1). */
  greedy?: readonly { chosen: number | null; rejected: number | null }[];
}

/**
 * Accuracy table of voting@k: for each k, pair i is decided by
 * pairOutcome(votingScore(chosen_i[0..k)), votingScore(rejected_i[0..k))), then summarised.
 * Uses the first k samples of each side; the k = 1 row uses `greedy` instead when given.
 * Throws RangeError when a pair has fewer than k samples on a side or `greedy` has the wrong
 * length.
 *
 * @example
 * ```ts
 * import { votingAccuracyTable } from "./voting.ts";
 * import { assertEquals } from "@std/assert";
 * const pairs = [
 *   { chosen: [7, 8], rejected: [7, 6] }, // k=1: 7 vs 7 tie; k=2: 7.5 vs 6.5 win
 *   { chosen: [5, null], rejected: [6, 6] }, // k=1: loss; k=2: 5 vs 6 loss
 * ];
 * const rows = votingAccuracyTable(pairs, { ks: [1, 2] });
 * assertEquals(rows.map((r) => [r.k, r.accuracy, r.tieRate]), [[1, 0.25, 0.5], [2, 0.5, 0]]);
 * ```
 */
export function votingAccuracyTable(
  pairs: readonly SampledPair[],
  options: VotingOptions = {},
): VotingRow[] {
  const { ks = [1, 2, 4, 8], greedy } = options;
  if (pairs.length === 0) throw new RangeError("votingAccuracyTable: needs at least one pair");
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`votingAccuracyTable: each k must be an integer >= 1, got ${k}`);
    }
  }
  if (greedy !== undefined && greedy.length !== pairs.length) {
    throw new RangeError(
      `votingAccuracyTable: greedy has ${greedy.length} entries but there are ${pairs.length} pairs`,
    );
  }
  return ks.map((k) => {
    if (k === 1 && greedy !== undefined) {
      const outcomes = greedy.map((g) => pairOutcome(g.chosen, g.rejected));
      return { k, source: "greedy" as const, ...summarize(outcomes) };
    }
    const outcomes = pairs.map((pair, i) => {
      for (const side of ["chosen", "rejected"] as const) {
        if (pair[side].length < k) {
          throw new RangeError(
            `votingAccuracyTable: pairs[${i}].${side} has ${pair[side].length} samples, k = ${k}`,
          );
        }
      }
      return pairOutcome(
        votingScore(pair.chosen.slice(0, k)),
        votingScore(pair.rejected.slice(0, k)),
      );
    });
    return { k, source: "samples" as const, ...summarize(outcomes) };
  });
}
