/**
 * Weak preferences (open question 3): the released recipe drops pairs with |label| <= 1, about
 * half of HelpSteer3. Kept (`--min-strength 1`), a weak pair already gets a tie-aware reward from
 * the adaptive margin (delta = p - 2 = -1: a chosen rollout wins when it scores within one point
 * below the rejected group). This adds the other lever: its rollouts' advantages scaled by a
 * weight in [0, 1], so a weak pair teaches less than a strong one.
 *
 * @module
 */

/**
 * Scales the advantages of the rollouts of weak pairs (strength <= 1) by `weight`. Groups come in
 * pair order, chosen then rejected (group 2i and 2i + 1 belong to pair i).
 *
 * @example
 * ```ts
 * import { scaleWeakPairAdvantages } from "./weak_pairs.ts";
 * import { assertEquals } from "@std/assert";
 * // pair 0 strong (p = 3), pair 1 weak (p = 1); weight 0.5 halves pair 1's two groups
 * const groups = [[1, -1], [-1, 1], [1, -1], [2, -2]];
 * const out = scaleWeakPairAdvantages(groups, { strengths: [3, 1], weight: 0.5 });
 * assertEquals(out, [[1, -1], [-1, 1], [0.5, -0.5], [1, -1]]);
 * ```
 */
export function scaleWeakPairAdvantages(
  groupAdvantages: readonly (readonly number[])[],
  options: { strengths: readonly number[]; weight: number },
): number[][] {
  const { strengths, weight } = options;
  if (!(weight >= 0 && weight <= 1)) {
    throw new RangeError(`scaleWeakPairAdvantages: weight must be in [0, 1], got ${weight}`);
  }
  if (groupAdvantages.length !== 2 * strengths.length) {
    throw new RangeError(
      `scaleWeakPairAdvantages: ${groupAdvantages.length} groups for ${strengths.length} pairs`,
    );
  }
  return groupAdvantages.map((group, g) =>
    strengths[Math.floor(g / 2)] <= 1 ? group.map((a) => a * weight) : [...group]
  );
}
