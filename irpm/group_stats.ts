/**
 * Small descriptive statistics of one group of scores (plain numbers, no tensors).
 *
 * @module
 */

/**
 * Arithmetic mean: mean(x) = (1/n) sum_i x_i. NaN for an empty array.
 *
 * @example
 * ```ts
 * import { mean } from "./group_stats.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(mean([5, 6, 7, 4]), 5.5); // 22 / 4
 * ```
 */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * Median: the middle value of the sorted scores, or the mean of the two middle values when n is
 * even (numpy's `median`). NaN for an empty array.
 *
 * @example
 * ```ts
 * import { median } from "./group_stats.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(median([5, 6, 7, 4]), 5.5); // sorted 4 5 6 7 -> (5 + 6) / 2
 * assertEquals(median([3, 1, 2]), 2);
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Sum of squared deviations from the mean: SS(x) = sum_i (x_i - mean(x))^2 (0 for one value).
 *
 * @example
 * ```ts
 * import { sumSquaredDeviations } from "./group_stats.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(sumSquaredDeviations([2, 0]), 2); // 1^2 + 1^2
 * ```
 */
export function sumSquaredDeviations(values: readonly number[]): number {
  const center = mean(values);
  let sum = 0;
  for (const value of values) sum += (value - center) ** 2;
  return sum;
}

/**
 * Unbiased sample variance (ddof 1): var(x) = SS(x) / (n - 1). NaN when n < 2.
 *
 * @example
 * ```ts
 * import { sampleVariance } from "./group_stats.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(sampleVariance([5, 6, 7, 4]), 5 / 3); // SS = 2.25 + 0.25 + 2.25 + 0.25 = 5
 * assertEquals(sampleVariance([5]), NaN);
 * ```
 */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  return sumSquaredDeviations(values) / (values.length - 1);
}
