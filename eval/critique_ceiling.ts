/**
 * The critique ceiling of a GRM on the synthetic suite: how well the pairs would be ranked if each
 * response's score were a perfect function of what its own critique says.
 *
 * The synthetic critique ends in `"<n> err"`, the error count the GRM claims to have found. With
 * e_c and e_r the counts stated in the chosen and the rejected response's critiques, the pair is
 * decided by `pairOutcome(-e_c, -e_r)`: fewer stated errors wins, equal counts tie (0.5), a critique
 * with no count (or an unparseable judgment) is a parse error (0). IRPM can only learn a
 * critique-to-score map, so its greedy accuracy is bounded by this number (up to ties the score
 * scale could break) — the gap between the two is what training has left to learn.
 *
 * @module
 */
import { type PairOutcome, pairOutcome } from "./pair_decision.ts";

/**
 * The error count a synthetic critique states: the last `"<n> err"` in the text, or null. A
 * stuttered tag (`"1 errr"`, which RL-trained GRMs drift into) still counts; other words do not.
 *
 * @example
 * ```ts
 * import { statedErrors } from "./critique_ceiling.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(statedErrors("<critique>85 vs 84: 1 err</critique><score>5</score>"), 1);
 * assertEquals(statedErrors("<critique>abc vs abc: 0 err</critique>"), 0);
 * assertEquals(statedErrors("<critique>27 vs 727: 1 errr</critique><score>2</score>"), 1);
 * assertEquals(statedErrors("<critique>garbled</critique><score>5</score>"), null);
 * ```
 */
export function statedErrors(text: string): number | null {
  const matches = [...text.matchAll(/(\d+) err+(?![a-z])/g)];
  return matches.length === 0 ? null : Number(matches[matches.length - 1][1]);
}

/** Result of {@link critiqueCeiling}. */
export interface CritiqueCeiling {
  /** Mean IRPM-convention outcome (tie 0.5, missing count 0). */
  readonly accuracy: number;
  /** Share of pairs whose two critiques state the same count. */
  readonly tieRate: number;
  /** Per-pair outcomes, in input order. */
  readonly items: PairOutcome[];
}

/**
 * Critique-ceiling accuracy over pairs of judgment texts `{ chosen, rejected }`.
 *
 * @example
 * ```ts
 * import { critiqueCeiling } from "./critique_ceiling.ts";
 * import { assertEquals } from "@std/assert";
 * const c = critiqueCeiling([
 *   { chosen: "12 vs 12: 0 err", rejected: "12 vs 13: 1 err" }, // fewer errors: win
 *   { chosen: "ab vs ac: 1 err", rejected: "ab vs ba: 2 err" }, // win
 *   { chosen: "5 vs 5: 0 err", rejected: "5 vs 5: 0 err" }, // the critiques tie: 0.5
 *   { chosen: "??", rejected: "1 vs 2: 1 err" }, // no count: 0
 * ]);
 * assertEquals([c.accuracy, c.tieRate], [2.5 / 4, 1 / 4]);
 * ```
 */
export function critiqueCeiling(
  pairs: readonly { chosen: string; rejected: string }[],
): CritiqueCeiling {
  if (pairs.length === 0) throw new RangeError("critiqueCeiling: no pairs");
  const negate = (n: number | null) => (n === null ? null : -n);
  const items = pairs.map((p) =>
    pairOutcome(negate(statedErrors(p.chosen)), negate(statedErrors(p.rejected)))
  );
  return {
    accuracy: items.reduce((a, o) => a + o.irpm, 0) / items.length,
    tieRate: items.filter((o) => o.tie).length / items.length,
    items,
  };
}
