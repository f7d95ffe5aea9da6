/**
 * Best-of-n selection with a reward model: pick the best of n candidates from pointwise scores
 * or from a round robin of pairwise verdicts, measure the regret against an oracle, and count
 * the judge calls each way costs.
 *
 * @module
 */
import { checkScore } from "./pair_decision.ts";
import type { Prng } from "../rng/prng.ts";

/** Result of {@link pickBest}. */
export interface BestPick {
  /** Chosen candidate index, `null` when no score is valid. */
  index: number | null;
  /** All indices that share the best score (length > 1 means a tie was broken). */
  tied: number[];
}

function breakTie(tied: readonly number[], prng?: Prng): number {
  return prng === undefined ? tied[0] : tied[prng.int(tied.length)];
}

/**
 * Argmax over the valid scores: tied = {i : s_i = max_j s_j, s_i valid}; the pick is
 * tied[prng.int(|tied|)] with a seeded PRNG, else the first tied index (deterministic).
 * Invalid (`null`) candidates are never picked.
 *
 * @example
 * ```ts
 * import { pickBest } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pickBest([6, null, 9, 9]), { index: 2, tied: [2, 3] });
 * assertEquals(pickBest([null, null]), { index: null, tied: [] });
 * ```
 */
export function pickBest(
  scores: readonly (number | null)[],
  options: { prng?: Prng } = {},
): BestPick {
  let best = -Infinity;
  let tied: number[] = [];
  scores.forEach((s, i) => {
    const score = checkScore(s, `pickBest: scores[${i}]`);
    if (score === null) return;
    if (score > best) {
      best = score;
      tied = [i];
    } else if (score === best) {
      tied.push(i);
    }
  });
  return { index: tied.length === 0 ? null : breakTie(tied, options.prng), tied };
}

/**
 * A pairwise judge: `beats(i, j)` is candidate i's credit against j when shown as (i, j):
 * 1 (i better), 0 (j better), 0.5 (tie), or `null` (no verdict: no credit to either).
 */
export type Beats = (i: number, j: number) => number | null;

/** Result of {@link roundRobinWinner}. */
export interface RoundRobinResult {
  /** Index with the highest Copeland score (ties broken as in {@link pickBest}). */
  winner: number;
  /** Copeland score per candidate: 1 per head-to-head won, 0.5 per head-to-head drawn. */
  copeland: number[];
  /** Raw credit per candidate summed over all its comparisons. */
  points: number[];
  /** All indices sharing the best Copeland score. */
  tied: number[];
  /** Number of `beats` calls made. */
  calls: number;
}

/**
 * The ordered pairs (i, j), i != j, of n candidates, row-major: what a pairwise judge sees when
 * every pair is shown in both orders (n (n - 1) judgments).
 *
 * @example
 * ```ts
 * import { orderedPairs } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(orderedPairs(3), [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]]);
 * ```
 */
export function orderedPairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) out.push([i, j]);
  return out;
}

/**
 * Copeland round robin over n candidates. For each pair i < j the head-to-head credit is
 * p_ij = beats(i, j) (+ 1 - beats(j, i) when `bothOrders`, the default; p_ji likewise from j's
 * side), with `null` giving no credit to either side; i wins the head-to-head if p_ij > p_ji.
 * Copeland(i) = #{j : p_ij > p_ji} + 0.5 #{j : p_ij = p_ji}; winner = argmax Copeland, ties
 * broken by the seeded PRNG or else the first index.
 *
 * @example
 * ```ts
 * import { roundRobinWinner } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * const quality = [3, 7, 5];
 * const beats = (i: number, j: number) => quality[i] > quality[j] ? 1 : quality[i] < quality[j] ? 0 : 0.5;
 * const r = roundRobinWinner(3, beats);
 * assertEquals([r.winner, r.copeland, r.calls], [1, [0, 2, 1], 6]);
 * ```
 */
export function roundRobinWinner(
  n: number,
  beats: Beats,
  options: { prng?: Prng; bothOrders?: boolean } = {},
): RoundRobinResult {
  const { prng, bothOrders = true } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`roundRobinWinner: n must be an integer >= 1, got ${n}`);
  }
  let calls = 0;
  const judge = (i: number, j: number): number | null => {
    calls++;
    const v = beats(i, j);
    if (v !== null && !(typeof v === "number" && v >= 0 && v <= 1)) {
      throw new RangeError(
        `roundRobinWinner: beats(${i}, ${j}) must be in [0, 1] or null, got ${v}`,
      );
    }
    return v;
  };
  const copeland = new Array<number>(n).fill(0);
  const points = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let pi = 0, pj = 0;
      const forward = judge(i, j);
      if (forward !== null) {
        pi += forward;
        pj += 1 - forward;
      }
      if (bothOrders) {
        const backward = judge(j, i);
        if (backward !== null) {
          pj += backward;
          pi += 1 - backward;
        }
      }
      points[i] += pi;
      points[j] += pj;
      if (pi > pj) copeland[i] += 1;
      else if (pj > pi) copeland[j] += 1;
      else {
        copeland[i] += 0.5;
        copeland[j] += 0.5;
      }
    }
  }
  const best = Math.max(...copeland);
  const tied = copeland.flatMap((c, i) => (c === best ? [i] : []));
  return { winner: breakTie(tied, prng), copeland, points, tied, calls };
}

/**
 * Best-of-n regret: regret = max_i q_i - q_picked (0 when the pick is an oracle-best candidate).
 *
 * @example
 * ```ts
 * import { rankingRegret } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(rankingRegret(0.5, [0.2, 0.5, 0.9]), 0.4);
 * ```
 */
export function rankingRegret(pickedQuality: number, qualities: readonly number[]): number {
  if (qualities.length === 0) throw new RangeError("rankingRegret: qualities is empty");
  [pickedQuality, ...qualities].forEach((q, k) => {
    if (!Number.isFinite(q)) {
      throw new RangeError(
        `rankingRegret: ${
          k === 0 ? "pickedQuality" : `qualities[${k - 1}]`
        } must be finite, got ${q}`,
      );
    }
  });
  const best = Math.max(...qualities);
  if (pickedQuality > best) {
    throw new RangeError(`rankingRegret: pickedQuality ${pickedQuality} exceeds the best ${best}`);
  }
  return best - pickedQuality;
}

function checkCount(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`judgeCalls: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Judge calls to rank n candidates with a pointwise GRM and k samples each: n k.
 *
 * @example
 * ```ts
 * import { pointwiseCalls } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pointwiseCalls(8, 4), 32);
 * ```
 */
export function pointwiseCalls(n: number, k = 1): number {
  checkCount(n, "n", 0);
  checkCount(k, "k", 1);
  return n * k;
}

/**
 * Judge calls for a pairwise round robin: n (n - 1) / 2 pairs, times 2 with the order swap
 * (`bothOrders`, default true), times k samples per call.
 *
 * @example
 * ```ts
 * import { pairwiseCalls } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pairwiseCalls(8), 56); // 28 pairs x 2 orders
 * assertEquals(pairwiseCalls(8, { bothOrders: false }), 28);
 * ```
 */
export function pairwiseCalls(
  n: number,
  options: { bothOrders?: boolean; k?: number } = {},
): number {
  const { bothOrders = true, k = 1 } = options;
  checkCount(n, "n", 0);
  checkCount(k, "k", 1);
  return ((n * (n - 1)) / 2) * (bothOrders ? 2 : 1) * k;
}

/**
 * Calls for a scalar (classifier) reward model: one forward pass per candidate, n.
 *
 * @example
 * ```ts
 * import { scalarCalls } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(scalarCalls(8), 8);
 * ```
 */
export function scalarCalls(n: number): number {
  checkCount(n, "n", 0);
  return n;
}

/**
 * The call-count formulas by judge type, chosen at the edge by name.
 *
 * @example
 * ```ts
 * import { JUDGE_CALLS } from "./ranking.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([JUDGE_CALLS.pointwise(16, 1), JUDGE_CALLS.pairwise(16, 1), JUDGE_CALLS.scalar(16, 1)],
 *   [16, 240, 16]);
 * ```
 */
export const JUDGE_CALLS: Readonly<
  Record<"pointwise" | "pairwise" | "scalar", (n: number, k: number) => number>
> = Object.freeze({
  pointwise: (n: number, k: number) => pointwiseCalls(n, k),
  pairwise: (n: number, k: number) => pairwiseCalls(n, { k }),
  scalar: (n: number, _k: number) => scalarCalls(n),
});
