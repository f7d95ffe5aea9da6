import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { intervalReward, meanConfidenceInterval } from "./reward_interval.ts";

// S_c = [7, 8, 6, 9]: mean 7.5, SS = 0.25 + 0.25 + 2.25 + 2.25 = 5, sd = sqrt(5/3) = 1.2909944
// S_r = [5, 6, 7, 4]: mean 5.5, same SS = 5, same sd.
// se = sd / sqrt(4) = 0.6454972; t(0.975, 3) = 3.18244630528371; half-width = 2.0542603
// CI(S_r) = [3.4457397, 7.5542603]; CI(S_c) = [5.4457397, 9.5542603]
const scores = { chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] };
const T_975_3 = 3.18244630528371;
const HALF = T_975_3 * Math.sqrt(5 / 3) / 2;

Deno.test("confidence interval: golden numbers", () => {
  assertAlmostEquals(HALF, 2.0542603, 1e-7);
  const r = meanConfidenceInterval(scores.rejected);
  assertAlmostEquals(r.low, 5.5 - HALF, 1e-12);
  assertAlmostEquals(r.high, 5.5 + HALF, 1e-12);
  // alpha 0.5: t(0.75, 3) = 0.7648923284043444 -> half 0.4937359
  const wide = meanConfidenceInterval(scores.rejected, { alpha: 0.5 });
  assertAlmostEquals(wide.high, 5.5 + 0.7648923284043444 * Math.sqrt(5 / 3) / 2, 1e-12);
  // G = 2: [5, 5] has sd 0, the interval collapses to the mean.
  assertEquals(meanConfidenceInterval([5, 5]), { low: 5, high: 5 });
});

Deno.test("interval design, margin 0: bars CI_high(S_r) = 7.5542603 and CI_low(S_c) = 5.4457397", () => {
  // chosen: 7 -1, 8 +1, 6 -1, 9 +1; rejected: 5 +1, 6 -1, 7 -1, 4 +1
  assertEquals(intervalReward(scores, { margin: 0 }), {
    chosen: [-1, 1, -1, 1],
    rejected: [1, -1, -1, 1],
  });
});

Deno.test("interval design, margin 1: bars 8.5542603 and 4.4457397", () => {
  // chosen: only 9 > 8.554; rejected: only 4 < 4.446
  assertEquals(intervalReward(scores, { margin: 1 }), {
    chosen: [-1, -1, -1, 1],
    rejected: [-1, -1, -1, 1],
  });
});

Deno.test("interval design: alpha 0.5 narrows the interval to [.., 5.9937359] and [7.0062641, ..]", () => {
  // chosen: 7, 8, 6, 9 > 5.9937 all +1; rejected: 5, 6, 7, 4 < 7.0063 all +1
  assertEquals(intervalReward(scores, { margin: 0, alpha: 0.5 }), {
    chosen: [1, 1, 1, 1],
    rejected: [1, 1, 1, 1],
  });
});

Deno.test("interval design: a score equal to a collapsed interval's end loses", () => {
  // S_c = [6, 6] -> CI [6, 6]; S_r = [5, 5] -> CI [5, 5]; margin 1: bars 5 + 1 = 6 and 6 - 1 = 5.
  assertEquals(intervalReward({ chosen: [6, 6], rejected: [5, 5] }, { margin: 1 }), {
    chosen: [-1, -1],
    rejected: [-1, -1],
  });
  // margin 0.5: bars 5.5 and 5.5 -> both sides win.
  assertEquals(intervalReward({ chosen: [6, 6], rejected: [5, 5] }, { margin: 0.5 }), {
    chosen: [1, 1],
    rejected: [1, 1],
  });
});

Deno.test("interval design needs G >= 2 on both sides and alpha in (0, 1)", () => {
  assertThrows(
    () => intervalReward({ chosen: [7], rejected: [5, 6] }, { margin: 0 }),
    RangeError,
    "at least 2 scores per group, got chosen 1",
  );
  assertThrows(() => meanConfidenceInterval([5]), RangeError, "got 1");
  for (const alpha of [0, 1, -0.1, NaN]) {
    assertThrows(() => intervalReward(scores, { margin: 0, alpha }), RangeError, "alpha");
  }
});
