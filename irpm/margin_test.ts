import { assertEquals, assertThrows } from "@std/assert";
import { adaptiveMargin, fixedMargin, resolveMargin } from "./margin.ts";

Deno.test("adaptive margin is strength - 2 over [0, 3]", () => {
  assertEquals([0, 1, 2, 3].map(adaptiveMargin), [-2, -1, 0, 1]);
  assertEquals(adaptiveMargin(2.5), 0.5);
});

Deno.test("margins reject out-of-range strength and non-finite values, quoting them", () => {
  for (const bad of [-1, 3.5, NaN, Infinity]) {
    assertThrows(() => adaptiveMargin(bad), RangeError, `got ${bad}`);
  }
  assertThrows(() => adaptiveMargin("2" as unknown as number), RangeError, "got 2");
  assertThrows(() => fixedMargin(NaN), RangeError, "got NaN");
  assertThrows(() => fixedMargin(-Infinity), RangeError, "got -Infinity");
});

Deno.test("resolveMargin: adaptive or fixed, strength checked either way", () => {
  assertEquals(resolveMargin("adaptive", 3), 1);
  assertEquals(resolveMargin("adaptive", 2), 0);
  assertEquals(resolveMargin(0.25, 0), 0.25);
  assertEquals(resolveMargin(-1, 3), -1);
  assertThrows(() => resolveMargin(0, 4), RangeError, "strength");
  assertThrows(() => resolveMargin("fixed" as "adaptive", 2), TypeError, '"fixed"');
});
