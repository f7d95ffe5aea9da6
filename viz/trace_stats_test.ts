import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import type { HistogramTrace } from "./figure.ts";
import { boxStats, histogramHeights, quantileType5 } from "./trace_stats.ts";

const trace = (x: number[], histnorm: HistogramTrace["histnorm"]): HistogramTrace => ({
  type: "histogram",
  x,
  xbins: { start: 0, end: 0.6, size: 0.2 },
  histnorm,
});

Deno.test("histogramHeights: counts, probability and density", () => {
  // bins [0, .2) [.2, .4) [.4, .6); 0.6 is outside (end is open); 0.4 = 2 * 0.2 lands in bin 2
  const x = [0.05, 0.2, 0.39, 0.4, 0.6];
  assertEquals(histogramHeights(trace(x, "")).heights, [1, 2, 1]);
  assertEquals(histogramHeights(trace(x, "probability")).heights, [0.2, 0.4, 0.2]);
  const density = histogramHeights(trace(x, "probability density")).heights;
  // count / (N * size) = 1 / (5 * 0.2) = 1, 2, 1
  density.forEach((d, k) => assertAlmostEquals(d, [1, 2, 1][k], 1e-12));
  assertThrows(
    () => histogramHeights({ ...trace(x, ""), xbins: { start: 0, end: 1, size: 0 } }),
    RangeError,
  );
});

Deno.test("quantileType5 interpolates at p * n - 0.5 and clamps", () => {
  const sorted = [10, 20, 30];
  assertEquals(quantileType5(sorted, 0), 10); // position -0.5 clamps to 0
  assertEquals(quantileType5(sorted, 0.25), 12.5); // position 0.25 -> 10 + 0.25 * 10
  assertEquals(quantileType5(sorted, 1), 30);
  assertThrows(() => quantileType5([], 0.5), RangeError);
});

Deno.test("boxStats: symmetric sample has no outliers", () => {
  // sorted 1..8: q1 at 1.5 -> 2.5, median at 3.5 -> 4.5, q3 at 5.5 -> 6.5; fences -3.5, 12.5
  assertEquals(boxStats([8, 1, 7, 2, 6, 3, 5, 4]), {
    q1: 2.5,
    median: 4.5,
    q3: 6.5,
    lowerWhisker: 1,
    upperWhisker: 8,
    outliers: [],
  });
});
