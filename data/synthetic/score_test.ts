import { assertEquals, assertThrows } from "@std/assert";
import {
  qualityFromErrors,
  syntheticCritique,
  syntheticErrors,
  syntheticPreference,
  syntheticQuality,
} from "./score.ts";

Deno.test("syntheticErrors: positional mismatches, missing and extra characters count", () => {
  const cases: [string, string, number][] = [
    ["85", "85", 0],
    ["85", "84", 1], // position 1
    ["85", "8", 1], // position 1 missing
    ["85", "", 2], // both missing
    ["85", "185", 3], // 1/8, 8/5, 5/(none)
    ["85", "58", 2], // swap of two different digits: 2 positions
    ["tmqk", "tmkq", 2],
    ["tmqk", "mqk", 4], // drop at the front shifts all: t/m, m/q, q/k, (none)/k
    ["tmqk", "tmqkx", 1],
    ["tmqk", "tmq", 1],
    ["1235", "9999", 4],
  ];
  for (const [answer, response, errors] of cases) {
    assertEquals(syntheticErrors({ answer }, response), errors, `${answer} vs ${response}`);
  }
});

Deno.test("qualityFromErrors: round(10 * max(0, 1 - e/L)) by hand for L = 1..6", () => {
  // L=3: 10*2/3 = 6.67 -> 7, 10*1/3 = 3.33 -> 3; L=4: 7.5 -> 8, 2.5 -> 3 (halves round up);
  // L=6: 8.33 -> 8, 6.67 -> 7, 5, 3.33 -> 3, 1.67 -> 2
  const table: Record<number, number[]> = {
    1: [10, 0, 0],
    2: [10, 5, 0, 0],
    3: [10, 7, 3, 0],
    4: [10, 8, 5, 3, 0],
    5: [10, 8, 6, 4, 2, 0],
    6: [10, 8, 7, 5, 3, 2, 0, 0],
  };
  for (const [length, qualities] of Object.entries(table)) {
    assertEquals(qualities.map((_, e) => qualityFromErrors(e, Number(length))), qualities);
  }
  assertThrows(() => qualityFromErrors(1, 0), RangeError, "got 0");
  assertThrows(() => qualityFromErrors(-1, 3), RangeError, "got -1");
  assertEquals(syntheticQuality({ answer: "tmqk" }, "mqk"), 0); // 4 errors of 4
  assertEquals(syntheticQuality({ answer: "113489" }, "11348"), 8); // 1 of 6: 8.33 -> 8
});

Deno.test("syntheticCritique: hand examples", () => {
  assertEquals(syntheticCritique({ answer: "85" }, "84"), "85 vs 84: 1 err");
  assertEquals(syntheticCritique({ answer: "85" }, "85"), "85 vs 85: 0 err");
  assertEquals(syntheticCritique({ answer: "tmqk" }, "mqk"), "tmqk vs mqk: 4 err");
  assertEquals(syntheticCritique({ answer: "1235" }, "12355"), "1235 vs 12355: 1 err");
});

Deno.test("syntheticPreference: gap -> label table, negative when response1 is better", () => {
  // gap g = q1 - q2:   0 | 1 2 | 3 4 5 | 6 .. 10
  // label          :   0 | -1  | -2    | -3      (and mirrored for negative gaps)
  const expected = [0, -1, -1, -2, -2, -2, -3, -3, -3, -3, -3];
  for (let g = 0; g <= 10; g++) {
    assertEquals(syntheticPreference(g, 0), expected[g], `gap ${g}`);
    assertEquals(syntheticPreference(0, g), -expected[g] || 0, `gap ${-g}`);
    assertEquals(syntheticPreference(10, 10 - g), expected[g]);
  }
});
