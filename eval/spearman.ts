/**
 * Spearman rank correlation with average ranks for ties (the Pearson correlation of the
 * fractional ranks), for comparing GRM scores with reference qualities.
 *
 * NaN-safe rules: a pair (x_i, y_i) where either value is `null` or NaN is excluded and counted;
 * after exclusion, fewer than 2 pairs or a constant x or y give rho = NaN (the correlation is
 * undefined, never a silent 0). Infinite values are ranked like any other number.
 *
 * @module
 */

/**
 * Fractional (1-based, average) ranks: tied values share the mean of the ranks they span,
 * rank(v_i) = #{j : v_j < v_i} + (#{j : v_j = v_i} + 1) / 2.
 *
 * @example
 * ```ts
 * import { fractionalRanks } from "./spearman.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fractionalRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
 * ```
 */
export function fractionalRanks(values: readonly number[]): number[] {
  values.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new TypeError(`fractionalRanks: values[${i}] must be a number, got ${String(v)}`);
    }
  });
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of the 1-based ranks start+1 .. end
    for (let t = start; t < end; t++) ranks[order[t]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Pearson correlation r = sum (x - mx)(y - my) / sqrt(sum (x - mx)^2 sum (y - my)^2).
 * NaN when n < 2 or either input is constant. Throws RangeError on a length mismatch.
 *
 * @example
 * ```ts
 * import { pearson } from "./spearman.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(pearson([1, 2, 3], [2, 4, 7]), 0.9933992677987828, 1e-12);
 * ```
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) {
    throw new RangeError(`pearson: x has ${x.length} values, y has ${y.length}`);
  }
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Result of {@link spearman}. */
export interface SpearmanResult {
  /** Spearman's rho over the kept pairs (NaN when undefined, see the module rules). */
  rho: number;
  /** Number of pairs used. */
  n: number;
  /** Number of pairs excluded because x or y was null or NaN. */
  excluded: number;
}

/**
 * Spearman's rho = pearson(fractionalRanks(x'), fractionalRanks(y')) over the pairs where both
 * values are valid; with no ties this equals 1 - 6 sum d_i^2 / (n (n^2 - 1)).
 * Throws RangeError on a length mismatch.
 *
 * @example
 * ```ts
 * import { spearman } from "./spearman.ts";
 * import { assertEquals } from "@std/assert";
 * // ranks x: 1 2 3 4, y: 2 1 3 4; sum d^2 = 2; rho = 1 - 6*2 / (4*15) = 0.8
 * assertEquals(spearman([1, 2, 3, 4, null], [20, 10, 30, 40, 50]), { rho: 0.8, n: 4, excluded: 1 });
 * ```
 */
export function spearman(
  x: readonly (number | null)[],
  y: readonly (number | null)[],
): SpearmanResult {
  if (x.length !== y.length) {
    throw new RangeError(`spearman: x has ${x.length} values, y has ${y.length}`);
  }
  const keptX: number[] = [], keptY: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (const [name, v] of [["x", x[i]], ["y", y[i]]] as const) {
      if (v !== null && typeof v !== "number") {
        throw new TypeError(`spearman: ${name}[${i}] must be a number or null, got ${String(v)}`);
      }
    }
    const a = x[i], b = y[i];
    if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) continue;
    keptX.push(a);
    keptY.push(b);
  }
  const n = keptX.length;
  return {
    rho: pearson(fractionalRanks(keptX), fractionalRanks(keptY)),
    n,
    excluded: x.length - n,
  };
}
