import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { createPrng } from "../../rng/mod.ts";
import {
  discretizedNormal,
  distributionMean,
  erfc,
  expectedPreference,
  normalCdf,
  sampleScores,
} from "./score_model.ts";

Deno.test("erfc matches tabulated values to the fit's 1.2e-7 relative error", () => {
  // Reference values of erfc (e.g. Abramowitz & Stegun table 7.1, more digits from mpmath).
  const table: [number, number][] = [
    [0.5, 0.4795001221869535],
    [-1, 1.8427007929497148],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
  ];
  for (const [x, expected] of table) assertAlmostEquals(erfc(x), expected, 1.2e-7 * expected);
  assertAlmostEquals(normalCdf(-1.959963984540054), 0.025, 1e-8);
});

Deno.test("discretizedNormal: probabilities sum to 1, symmetric case has the exact mean", () => {
  const d = discretizedNormal(5, 1.7);
  assertAlmostEquals(d.probabilities.reduce((a, b) => a + b), 1, 1e-12);
  assertAlmostEquals(distributionMean(d), 5, 1e-9); // symmetric around 5 on the 0..10 grid
  // Far below the grid, all mass is clipped onto 0.
  assertAlmostEquals(discretizedNormal(-20, 1).probabilities[0], 1, 1e-12);
  // P(3) for N(3.2, 1): Phi(0.3) - Phi(-0.7) = 0.6179114222 - 0.2419636522
  assertAlmostEquals(discretizedNormal(3.2, 1).probabilities[3], 0.37594777, 2e-7);
  assertThrows(() => discretizedNormal(5, 0), RangeError, "sd 0");
});

Deno.test("expectedPreference: 1/2 for identical distributions, hand value otherwise", () => {
  const d = discretizedNormal(6, 2);
  assertAlmostEquals(expectedPreference(d, d), 0.5, 1e-12); // sigmoid(x) + sigmoid(-x) = 1
  const c = { values: [5, 7], probabilities: [0.25, 0.75] };
  const r = { values: [5], probabilities: [1] };
  // 0.25 sigmoid(0) + 0.75 sigmoid(2) = 0.125 + 0.75 * 0.8807970779778823
  assertAlmostEquals(expectedPreference(c, r), 0.7855978084834117, 1e-15);
});

Deno.test("sampleScores follows the distribution (4 standard errors) and is seeded", () => {
  const d = { values: [2, 5, 9], probabilities: [0.2, 0.5, 0.3] };
  const n = 20_000;
  const draws = sampleScores(d, { count: n, rng: createPrng(11) });
  d.values.forEach((v, k) => {
    const p = d.probabilities[k];
    const freq = draws.filter((x) => x === v).length / n;
    assertAlmostEquals(freq, p, 4 * Math.sqrt((p * (1 - p)) / n));
  });
  assertEquals(
    sampleScores(d, { count: 5, rng: createPrng(3) }),
    sampleScores(d, { count: 5, rng: createPrng(3) }),
  );
  assertThrows(() => sampleScores(d, { count: 1.5, rng: createPrng(3) }), RangeError, "1.5");
});
