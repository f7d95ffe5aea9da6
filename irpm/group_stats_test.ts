import { assertEquals } from "@std/assert";
import { mean, median, sampleVariance, sumSquaredDeviations } from "./group_stats.ts";

Deno.test("group stats: golden values, odd and even medians, input left unsorted", () => {
  const scores = [9, 6, 6, 8];
  assertEquals(mean(scores), 7.25); // 29 / 4
  assertEquals(median(scores), 7); // sorted 6 6 8 9 -> (6 + 8) / 2
  assertEquals(scores, [9, 6, 6, 8]);
  assertEquals(median([10, 1, 2]), 2);
  assertEquals(median([4]), 4);
  // deviations from 7.25: 1.75 -1.25 -1.25 0.75 -> 3.0625 + 1.5625 + 1.5625 + 0.5625 = 6.75
  assertEquals(sumSquaredDeviations(scores), 6.75);
  assertEquals(sampleVariance(scores), 2.25); // 6.75 / 3
  assertEquals(sumSquaredDeviations([3]), 0);
});

Deno.test("group stats: empty input gives NaN, not 0", () => {
  assertEquals([mean([]), median([]), sampleVariance([]), sampleVariance([1])], [
    NaN,
    NaN,
    NaN,
    NaN,
  ]);
});
