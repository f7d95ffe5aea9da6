import { assertEquals, assertThrows } from "@std/assert";
import { medianReward } from "./reward_median.ts";
import { meanReward } from "./reward_mean.ts";

Deno.test("median design: golden numbers where median and mean differ", () => {
  // S_c = [9, 6, 6, 8]: sorted 6 6 8 9, median (6 + 8) / 2 = 7 (mean 7.25)
  // S_r = [2, 6, 5, 7]: sorted 2 5 6 7, median (5 + 6) / 2 = 5.5 (mean 5)
  const scores = { chosen: [9, 6, 6, 8], rejected: [2, 6, 5, 7] };
  // margin 1: chosen bar 5.5 + 1 = 6.5 -> 9 +1, 6 -1, 6 -1, 8 +1
  //           rejected bar 7 - 1 = 6   -> 2 +1, 6 -1 (tie loses), 5 +1, 7 -1
  assertEquals(medianReward(scores, { margin: 1 }), {
    chosen: [1, -1, -1, 1],
    rejected: [1, -1, 1, -1],
  });
  // margin 0: bars 5.5 and 7 -> chosen 9, 6, 6, 8 all > 5.5; rejected 2, 6, 5 < 7, 7 ties
  assertEquals(medianReward(scores, { margin: 0 }), {
    chosen: [1, 1, 1, 1],
    rejected: [1, 1, 1, -1],
  });
});

Deno.test("median design shrugs off one wild stand-in score where the mean does not", () => {
  // S_c = [8, 8, 8, 0]: median 8, mean 6. S_r = [7, 7, 7, 7]. margin 0.
  const scores = { chosen: [8, 8, 8, 0], rejected: [7, 7, 7, 7] };
  // median: rejected bar 8 -> 7 < 8 all +1;   mean: rejected bar 6 -> 7 < 6 fails, all -1
  assertEquals(medianReward(scores, { margin: 0 }).rejected, [1, 1, 1, 1]);
  assertEquals(meanReward(scores, { margin: 0 }).rejected, [-1, -1, -1, -1]);
});

Deno.test("median design: odd G and G = 1", () => {
  // S_c = [1, 9, 8] median 8; S_r = [3, 10, 2] median 3; margin 0
  // chosen > 3: 1 -1, 9 +1, 8 +1; rejected < 8: 3 +1, 10 -1, 2 +1
  assertEquals(medianReward({ chosen: [1, 9, 8], rejected: [3, 10, 2] }, { margin: 0 }), {
    chosen: [-1, 1, 1],
    rejected: [1, -1, 1],
  });
  // G = 1: the median is the score itself; 6 > 6 fails, 6 < 6 fails.
  assertEquals(medianReward({ chosen: [6], rejected: [6] }, { margin: 0 }), {
    chosen: [-1],
    rejected: [-1],
  });
});

Deno.test("median design rejects an empty group", () => {
  assertThrows(() => medianReward({ chosen: [1], rejected: [] }, { margin: 0 }), RangeError);
});
