import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { warmupCosineLr } from "./schedule.ts";

const O = { peakLr: 1, warmupSteps: 4, totalSteps: 12 };

Deno.test("warmupCosineLr: warm-up counts from 1 and reaches the peak at step W - 1", () => {
  // peak * (s + 1) / 4
  assertEquals([0, 1, 2, 3].map((s) => warmupCosineLr(s, O)), [0.25, 0.5, 0.75, 1]);
});

Deno.test("warmupCosineLr: cosine from the peak at step W to the floor at step N", () => {
  // progress = (s - 4) / 8: s 4 -> 0 (peak), s 6 -> 1/4, s 8 -> 1/2, s 10 -> 3/4, s 12 -> 1
  // 0.5 (1 + cos(pi / 4)) = 0.8535533905932737; 0.5 (1 + cos(3 pi / 4)) = 0.14644660940672627
  assertEquals(warmupCosineLr(4, O), 1);
  assertAlmostEquals(warmupCosineLr(6, O), 0.8535533905932737, 1e-15);
  assertAlmostEquals(warmupCosineLr(8, O), 0.5, 1e-15);
  assertAlmostEquals(warmupCosineLr(10, O), 0.14644660940672627, 1e-15);
  assertEquals(warmupCosineLr(12, O), 0);
  assertEquals(warmupCosineLr(100, O), 0); // past the end: stays at the floor
});

Deno.test("warmupCosineLr: minLrRatio sets the floor", () => {
  // floor 0.1: lr = 0.1 + 0.9 * 0.5 (1 + cos(pi * progress))
  const o = { ...O, peakLr: 2, minLrRatio: 0.1 };
  assertAlmostEquals(warmupCosineLr(8, o), 0.2 + 1.8 * 0.5, 1e-15); // 1.1
  assertAlmostEquals(warmupCosineLr(12, o), 0.2, 1e-15);
  assertAlmostEquals(warmupCosineLr(0, o), 0.5, 1e-15); // warm-up ignores the floor
});

Deno.test("warmupCosineLr: no warm-up, and the IRPM recipe's midpoint", () => {
  assertEquals(warmupCosineLr(0, { peakLr: 3e-4, warmupSteps: 0, totalSteps: 10 }), 3e-4);
  // lr 5e-6, 50 warm-up steps, 440 steps: step 49 is the peak, step 245 half of it
  const irpm = { peakLr: 5e-6, warmupSteps: 50, totalSteps: 440 };
  assertEquals(warmupCosineLr(49, irpm), 5e-6);
  assertAlmostEquals(warmupCosineLr(245, irpm), 2.5e-6, 1e-18);
  // monotone: up during warm-up, down after
  const lrs = Array.from({ length: 440 }, (_, s) => warmupCosineLr(s, irpm));
  for (let s = 1; s < 50; s++) assert(lrs[s] > lrs[s - 1]);
  for (let s = 51; s < 440; s++) assert(lrs[s] < lrs[s - 1]);
});

Deno.test("warmupCosineLr: bad input is rejected with the value in the message", () => {
  assertThrows(() => warmupCosineLr(-1, O), RangeError, "-1");
  assertThrows(() => warmupCosineLr(1.5, O), RangeError, "1.5");
  assertThrows(() => warmupCosineLr(0, { ...O, peakLr: 0 }), RangeError, "peakLr");
  assertThrows(() => warmupCosineLr(0, { ...O, warmupSteps: -2 }), RangeError, "-2");
  assertThrows(() => warmupCosineLr(0, { ...O, totalSteps: 4 }), RangeError, "totalSteps");
  assertThrows(() => warmupCosineLr(0, { ...O, minLrRatio: 1.5 }), RangeError, "1.5");
});
