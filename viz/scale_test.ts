import { assertEquals, assertThrows } from "@std/assert";
import { formatTick, formatValue, linearScale, niceStep, niceTicks, padRange } from "./scale.ts";

Deno.test("niceStep rounds up to 1, 2 or 5 times a power of ten", () => {
  // 0.0137 = 1.37e-2 -> 2e-2; 0.5 exactly stays 0.5; 51 = 5.1e1 -> 1e2; 1 stays 1
  assertEquals([niceStep(0.0137), niceStep(0.5), niceStep(51), niceStep(1)], [0.02, 0.5, 100, 1]);
  assertThrows(() => niceStep(0), RangeError, "got 0");
  assertThrows(() => niceStep(Number.NaN), RangeError);
});

Deno.test("niceTicks: hand-computed tick lists", () => {
  // [-0.05, 1.05], 8 intervals: 1.1 / 8 = 0.1375 -> 0.2; multiples of 0.2 inside: 0 .. 1
  assertEquals(niceTicks(-0.05, 1.05, 8), { step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  // [-3.2, 7.9], 5 intervals: 11.1 / 5 = 2.22 -> 5; multiples of 5 inside: 0, 5 (-5 < -3.2)
  assertEquals(niceTicks(-3.2, 7.9, 5), { step: 5, values: [0, 5] });
  // [0.1, 0.3] with 2 intervals: 0.1 -> 0.1; 0.1, 0.2, 0.3 (float 3 * 0.1 must not be dropped)
  assertEquals(niceTicks(0.1, 0.30000000000000004, 2).values, [0.1, 0.2, 0.3]);
  assertThrows(() => niceTicks(1, 1), RangeError, "[1, 1]");
});

Deno.test("formatTick and formatValue print without float noise", () => {
  assertEquals(formatTick(0.1 * 3, 0.1), "0.3");
  assertEquals(formatTick(-0, 0.2), "0");
  assertEquals(formatTick(0.025, 0.005), "0.025");
  assertEquals(formatValue(1 / 3), "0.333333333333");
});

Deno.test("linearScale maps ends onto ends and rejects an empty domain", () => {
  const x = linearScale([2, 16], [60, 680]);
  assertEquals([x(2), x(9), x(16)], [60, 370, 680]); // 9 is the middle of [2, 16]
  assertThrows(() => linearScale([3, 3], [0, 1]), RangeError, "[3, 3]");
});

Deno.test("padRange pads both sides by a fraction of the width", () => {
  assertEquals(padRange([-1, 1], 0.25), [-1.5, 1.5]);
  assertEquals(padRange([0, 0]), [-1, 1]);
});
