import { assertEquals, assertThrows } from "@std/assert";
import { meanReward } from "./reward_mean.ts";

// Shared example: S_c = [7, 8, 6, 9] (mean 30/4 = 7.5), S_r = [5, 6, 7, 4] (mean 22/4 = 5.5).
const scores = { chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] };

Deno.test("mean design, margin 0: bars 5.5 (chosen) and 7.5 (rejected); everyone clears", () => {
  // chosen: 7, 8, 6, 9 > 5.5 -> all +1; rejected: 5, 6, 7, 4 < 7.5 -> all +1
  assertEquals(meanReward(scores, { margin: 0 }), { chosen: [1, 1, 1, 1], rejected: [1, 1, 1, 1] });
});

Deno.test("mean design, margin 1: bars 5.5 + 1 = 6.5 and 7.5 - 1 = 6.5", () => {
  // chosen: 7 > 6.5 +1, 8 +1, 6 -1, 9 +1; rejected: 5 < 6.5 +1, 6 +1, 7 -1, 4 +1
  assertEquals(meanReward(scores, { margin: 1 }), {
    chosen: [1, 1, -1, 1],
    rejected: [1, 1, -1, 1],
  });
});

Deno.test("mean design: a score equal to its bar loses (strict comparison)", () => {
  // margin 0.5: bars 5.5 + 0.5 = 6 and 7.5 - 0.5 = 7; chosen 6 and rejected 7 sit on them.
  assertEquals(meanReward(scores, { margin: 0.5 }), {
    chosen: [1, 1, -1, 1],
    rejected: [1, 1, -1, 1],
  });
  // margin 0.25: bars 5.75 and 7.25; now 6 > 5.75 and 7 < 7.25 win.
  assertEquals(meanReward(scores, { margin: 0.25 }), {
    chosen: [1, 1, 1, 1],
    rejected: [1, 1, 1, 1],
  });
});

Deno.test("mean design: G = 1, unequal group sizes, negative margin", () => {
  // G = 1: bars 5 + 1 = 6 and 7 - 1 = 6: 7 > 6, 5 < 6; margin 2: bars 7 and 5 -> both tie, lose.
  assertEquals(meanReward({ chosen: [7], rejected: [5] }, { margin: 1 }), {
    chosen: [1],
    rejected: [1],
  });
  assertEquals(meanReward({ chosen: [7], rejected: [5] }, { margin: 2 }), {
    chosen: [-1],
    rejected: [-1],
  });
  // Gc = 2, Gr = 3: mean_c = 6, mean_r = (4 + 5 + 9) / 3 = 6; margin 0: 7 > 6, 5 no; 4, 5 < 6, 9 no
  assertEquals(meanReward({ chosen: [7, 5], rejected: [4, 5, 9] }, { margin: 0 }), {
    chosen: [1, -1],
    rejected: [1, 1, -1],
  });
  // margin -2 (adaptive for strength 0): bars 4 - 2 = 2 and 3 + 2 = 5: 3 > 2 and 4 < 5 both win.
  assertEquals(meanReward({ chosen: [3], rejected: [4] }, { margin: -2 }), {
    chosen: [1],
    rejected: [1],
  });
});

Deno.test("mean design rejects empty groups, non-finite scores and a non-finite margin", () => {
  assertThrows(
    () => meanReward({ chosen: [], rejected: [5] }, { margin: 0 }),
    RangeError,
    "chosen",
  );
  assertThrows(
    () => meanReward({ chosen: [7], rejected: [5, NaN] }, { margin: 0 }),
    RangeError,
    "scores.rejected[1]",
  );
  assertThrows(() => meanReward(scores, { margin: NaN }), RangeError, "margin");
});
