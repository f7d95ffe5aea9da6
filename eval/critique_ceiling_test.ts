import { assertEquals, assertThrows } from "@std/assert";
import { critiqueCeiling, statedErrors } from "./critique_ceiling.ts";
import { syntheticCritique, syntheticErrors } from "../data/synthetic/score.ts";
import { syntheticSuite } from "../data/synthetic/suite.ts";
import { judgeCompletion } from "../data/judge_prompt.ts";

Deno.test("statedErrors: the last count wins; counts are whole words", () => {
  assertEquals(statedErrors("1 err then 3 err"), 3);
  assertEquals(statedErrors("12 errors"), null); // "errors" is not the critique's "err"
  assertEquals(statedErrors(""), null);
});

Deno.test("critiqueCeiling: with the true critiques it is the hidden-truth ranking of the suite", () => {
  // Truthful critiques rank a pair correctly exactly when the chosen response has fewer
  // positional errors; the suite's labels come from quality, a monotone function of errors per
  // answer length, so the ceiling counts: fewer errors -> 1, equal -> 0.5, more -> 0.
  const rows = syntheticSuite({ seed: 5, size: 300 });
  let expected = 0;
  const pairs = rows.map((row) => {
    const [chosen, rejected] = row.quality1 >= row.quality2
      ? [row.response1, row.response2]
      : [row.response2, row.response1];
    const ec = syntheticErrors(row, chosen), er = syntheticErrors(row, rejected);
    expected += ec < er ? 1 : ec === er ? 0.5 : 0;
    return {
      chosen: judgeCompletion(syntheticCritique(row, chosen), 5),
      rejected: judgeCompletion(syntheticCritique(row, rejected), 5),
    };
  });
  const c = critiqueCeiling(pairs);
  assertEquals(c.items.length, 300);
  assertEquals(c.accuracy, expected / 300);
  assertThrows(() => critiqueCeiling([]), RangeError, "no pairs");
});
