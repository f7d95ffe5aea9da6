/**
 * What plotly computes in the browser for histogram and box traces, computed here for the static
 * SVG: bin heights and box-plot quartiles/whiskers, with plotly's rules.
 *
 * @module
 */
import type { HistogramTrace } from "./figure.ts";

/** Bin edges (length n + 1) and the n bar heights of a histogram trace. */
export type HistogramHeights = { edges: number[]; heights: number[] };

/**
 * Bins a histogram trace: value v falls in bin k = floor((v - start) / size) when
 * 0 <= k < n = round((end - start) / size). Heights are counts, or count / N ("probability"), or
 * count / (N * size) ("probability density"), N = number of values in the trace.
 *
 * @example
 * ```ts
 * import { histogramHeights } from "./trace_stats.ts";
 * import { assertEquals } from "@std/assert";
 * const trace = { type: "histogram", x: [0.1, 0.3, 0.35, 0.9], xbins: { start: 0, end: 1, size: 0.25 }, histnorm: "" } as const;
 * // 0.1 -> bin 0; 0.3, 0.35 -> bin 1; 0.9 -> bin 3
 * assertEquals(histogramHeights({ ...trace, x: [...trace.x], xbins: { ...trace.xbins } }), {
 *   edges: [0, 0.25, 0.5, 0.75, 1],
 *   heights: [1, 2, 0, 1],
 * });
 * ```
 */
export function histogramHeights(trace: HistogramTrace): HistogramHeights {
  const { start, end, size } = trace.xbins;
  const binCount = Math.round((end - start) / size);
  if (!(size > 0) || binCount < 1) {
    throw new RangeError(`histogramHeights: bad xbins ${JSON.stringify(trace.xbins)}`);
  }
  const counts = new Array<number>(binCount).fill(0);
  for (const value of trace.x) {
    // + 1e-9: 0.3 / 0.1 is 2.9999999999999996 in floats but belongs to bin 3.
    const k = Math.floor((value - start) / size + 1e-9);
    if (k >= 0 && k < binCount) counts[k]++;
  }
  const total = trace.x.length;
  const heights = counts.map((count) =>
    trace.histnorm === "probability"
      ? count / total
      : trace.histnorm === "probability density"
      ? count / (total * size)
      : count
  );
  const edges = Array.from({ length: binCount + 1 }, (_, k) => start + k * size);
  return { edges, heights };
}

/** The five numbers and outliers of one box. */
export type BoxStats = {
  q1: number;
  median: number;
  q3: number;
  lowerWhisker: number;
  upperWhisker: number;
  outliers: number[];
};

/**
 * Quantile with plotly's "linear" box rule (Hyndman-Fan type 5): position p * n - 0.5 in the
 * sorted values (0-based), linearly interpolated, clamped to the ends.
 *
 * @example
 * ```ts
 * import { quantileType5 } from "./trace_stats.ts";
 * import { assertEquals } from "@std/assert";
 * // n = 4, p = 0.25 -> position 0.5 -> halfway between 1 and 2
 * assertEquals(quantileType5([1, 2, 3, 4], 0.25), 1.5);
 * assertEquals(quantileType5([1, 2, 3, 4], 0.5), 2.5);
 * ```
 */
export function quantileType5(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("quantileType5: empty sample");
  const position = Math.min(Math.max(p * sorted.length - 0.5, 0), sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * Box-plot summary: quartiles (type 5), whiskers at the most extreme values within
 * [q1 - 1.5 IQR, q3 + 1.5 IQR], and the values outside as outliers.
 *
 * @example
 * ```ts
 * import { boxStats } from "./trace_stats.ts";
 * import { assertEquals } from "@std/assert";
 * // sorted 1 2 3 4 100: q1 at position 0.75 -> 1.75, q3 at 3.25 -> 4 + 0.25*96 = 28
 * const s = boxStats([3, 1, 100, 2, 4]);
 * assertEquals([s.q1, s.median, s.q3], [1.75, 3, 28]);
 * // IQR 26.25, upper fence 28 + 39.375 = 67.375 -> 100 is an outlier, whisker ends at 4
 * assertEquals([s.lowerWhisker, s.upperWhisker, s.outliers], [1, 4, [100]]);
 * ```
 */
export function boxStats(values: readonly number[]): BoxStats {
  const sorted = [...values].sort((a, b) => a - b);
  const q1 = quantileType5(sorted, 0.25);
  const median = quantileType5(sorted, 0.5);
  const q3 = quantileType5(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - fence && v <= q3 + fence);
  return {
    q1,
    median,
    q3,
    lowerWhisker: inside[0],
    upperWhisker: inside[inside.length - 1],
    outliers: sorted.filter((v) => v < q1 - fence || v > q3 + fence),
  };
}
