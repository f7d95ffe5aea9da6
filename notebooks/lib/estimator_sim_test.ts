import { assert, assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
import { createPrng } from "../../rng/mod.ts";
import { signalToNoiseSweep, simulateEstimator, summarize } from "./estimator_sim.ts";
import { discretizedNormal, expectedPreference } from "./score_model.ts";

const pair = { chosen: discretizedNormal(6.5, 1.5), rejected: discretizedNormal(5.5, 1.5) };

Deno.test("P_hat is unbiased: replicate mean within 4 SEM of the exact Eq. 3 value", () => {
  const exact = expectedPreference(pair.chosen, pair.rejected);
  for (const groupSize of [2, 4]) {
    const sim = simulateEstimator(pair, {
      groupSize,
      replicates: 3000,
      rng: createPrng(groupSize),
    });
    const s = summarize(sim.pHats);
    assertAlmostEquals(s.mean, exact, 4 * s.standardErrorOfMean, `G = ${groupSize}`);
  }
});

Deno.test("the spread of P_hat shrinks like 1/sqrt(G) and DeLong's SE tracks it", () => {
  const sd = (groupSize: number) =>
    summarize(
      simulateEstimator(pair, { groupSize, replicates: 2000, rng: createPrng(100 + groupSize) })
        .pHats,
    ).sd;
  const [sd2, sd16] = [sd(2), sd(16)];
  // Var(U-statistic) ~ c / G, so sd2 / sd16 ~ sqrt(8) = 2.83; accept 2.2 .. 3.6.
  assert(sd2 / sd16 > 2.2 && sd2 / sd16 < 3.6, `sd ratio ${sd2 / sd16}`);
  const sim = simulateEstimator(pair, { groupSize: 16, replicates: 2000, rng: createPrng(7) });
  const meanSe = summarize(sim.standardErrors).mean;
  assertAlmostEquals(meanSe / summarize(sim.pHats).sd, 1, 0.2);
});

Deno.test("simulateEstimator is reproducible from the seed and checks its options", () => {
  const run = () => simulateEstimator(pair, { groupSize: 3, replicates: 5, rng: createPrng(9) });
  assertEquals(run(), run());
  assertThrows(
    () => simulateEstimator(pair, { groupSize: 0, replicates: 5, rng: createPrng(9) }),
    RangeError,
    "got 0",
  );
  assertThrows(
    () => simulateEstimator(pair, { groupSize: 2, replicates: 0.5, rng: createPrng(9) }),
    RangeError,
  );
  assertThrows(() => summarize([1]), RangeError, "at least 2");
});

Deno.test("signal-to-noise grows with the true gap; at gap 0 it falls with G", () => {
  const points = signalToNoiseSweep({
    gaps: [0, 1, 3],
    groupSizes: [2, 16],
    replicates: 400,
    rng: createPrng(5),
  });
  const at = (gap: number, g: number) =>
    points.find((p) => p.gap === gap && p.groupSize === g)!.medianSignalToNoise;
  assertLess(at(0, 16), at(1, 16));
  assertLess(at(1, 16), at(3, 16));
  // No true gap: between/within ~ (2 / G) F(1, 2G - 2); median F ~ 0.45-0.5, so ~0.06 at G = 16.
  assertLess(at(0, 16), at(0, 2));
  assertLess(at(0, 16), 0.15);
});
