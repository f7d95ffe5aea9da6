import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertThrows,
} from "@std/assert";
import { createPrng, type Prng } from "../rng/prng.ts";
import {
  chosenCredits,
  estimatorDiagnostics,
  preferenceProbability,
  rejectedCredits,
  sigmoid,
} from "./estimator.ts";

// sigmoid values used below (1 / (1 + e^-x)):
// s(0) = 0.5, s(1) = 0.7310585786300049, s(-1) = 0.2689414213699951, s(2) = 0.8807970779778823
const S1 = 0.7310585786300049;
const SM1 = 0.2689414213699951;
const S2 = 0.8807970779778823;

Deno.test("sigmoid is symmetric, stable at the extremes and exact at 0", () => {
  assertEquals(sigmoid(0), 0.5);
  assertAlmostEquals(sigmoid(1), S1, 1e-16);
  assertAlmostEquals(sigmoid(-1), SM1, 1e-16);
  assertAlmostEquals(sigmoid(3) + sigmoid(-3), 1, 1e-15);
  assertEquals(sigmoid(1000), 1);
  assertEquals(sigmoid(-1000), 0);
  assert(sigmoid(-745) > 0 && Number.isFinite(sigmoid(-800)));
});

Deno.test("P_hat and marginal credits: golden numbers for chosen [2, 0], rejected [1, 0]", () => {
  // Pairs (i, j): s(2-1) = s(1), s(2-0) = s(2), s(0-1) = s(-1), s(0-0) = 0.5.
  // P_hat = (0.7310585786 + 0.8807970780 + 0.2689414214 + 0.5) / 4 = 2.3807970780 / 4
  assertAlmostEquals(preferenceProbability([2, 0], [1, 0]), 2.3807970779778823 / 4, 1e-15);
  // chosen 2: (s(1) + s(2)) / 2 = 0.8059278283; chosen 0: (s(-1) + 0.5) / 2 = 0.3844707107
  const c = chosenCredits([2, 0], [1, 0]);
  assertAlmostEquals(c[0], (S1 + S2) / 2, 1e-15);
  assertAlmostEquals(c[1], (SM1 + 0.5) / 2, 1e-15);
  // rejected 1: (s(1) + s(-1)) / 2 = 0.5 exactly by symmetry; rejected 0: (s(2) + 0.5) / 2
  const r = rejectedCredits([2, 0], [1, 0]);
  assertAlmostEquals(r[0], 0.5, 1e-15);
  assertAlmostEquals(r[1], (S2 + 0.5) / 2, 1e-15);
  // Both marginals average to P_hat.
  assertAlmostEquals((r[0] + r[1]) / 2, (c[0] + c[1]) / 2, 1e-15);
});

Deno.test("P_hat allows different group sizes and divides by Gc * Gr", () => {
  // chosen [1], rejected [0, 1, 2]: (s(1) + s(0) + s(-1)) / 3 = (0.7310585786 + 0.5 + 0.2689414214) / 3 = 0.5
  assertAlmostEquals(preferenceProbability([1], [0, 1, 2]), 0.5, 1e-15);
  // chosen [3, 1], rejected [1]: (s(2) + s(0)) / 2 = (0.8807970780 + 0.5) / 2
  assertAlmostEquals(preferenceProbability([3, 1], [1]), (S2 + 0.5) / 2, 1e-15);
  assertEquals(rejectedCredits([3, 1], [1]).length, 1);
  assertEquals(chosenCredits([3, 1], [1]).length, 2);
});

Deno.test("diagnostics: golden numbers for chosen [2, 0], rejected [1, 0]", () => {
  const d = estimatorDiagnostics([2, 0], [1, 0]);
  assertAlmostEquals(d.pHat, 0.5951992694944706, 1e-15);
  // credits_c = [0.8059278283, 0.3844707107], gap 0.4214571176: var (ddof 1) = gap^2 / 2 = 0.0888130
  // credits_r = [0.5, 0.6903985390], gap 0.1903985390: var = gap^2 / 2 = 0.0181258
  // se = sqrt(0.0888130 / 2 + 0.0181258 / 2) = sqrt(0.0534694) = 0.2312346
  const gapC = (S1 + S2) / 2 - (SM1 + 0.5) / 2;
  const gapR = (S2 + 0.5) / 2 - 0.5;
  assertAlmostEquals(d.standardError, Math.sqrt(gapC ** 2 / 4 + gapR ** 2 / 4), 1e-15);
  assertAlmostEquals(d.standardError, 0.23123457010187373, 1e-12);
  // within: SS([2, 0]) = 1 + 1 = 2, SS([1, 0]) = 0.25 + 0.25 = 0.5; (2 + 0.5) / (2 + 2 - 2) = 1.25
  assertEquals(d.withinVariance, 1.25);
  // between: (mean_c - mean_r)^2 = (1 - 0.5)^2 = 0.25; SNR = 0.25 / 1.25 = 0.2
  assertEquals(d.betweenVariance, 0.25);
  assertAlmostEquals(d.signalToNoise, 0.2, 1e-15);
});

Deno.test("diagnostics: edge cases of the variances", () => {
  // G = 1 on one side: no spread estimate for that side's credits -> NaN standard error.
  assertEquals(estimatorDiagnostics([5], [3, 4]).standardError, NaN);
  // Gc = Gr = 1: pooled within variance has 0 degrees of freedom -> NaN, and so is the SNR.
  const single = estimatorDiagnostics([5], [3]);
  assertEquals([single.withinVariance, single.signalToNoise], [NaN, NaN]);
  assertEquals(single.betweenVariance, 4);
  // Constant groups with a gap: within 0, between 4 -> Infinity; identical constant groups -> 0.
  assertEquals(estimatorDiagnostics([5, 5], [3, 3]).signalToNoise, Infinity);
  assertEquals(estimatorDiagnostics([5, 5], [5, 5]).signalToNoise, 0);
  assertEquals(estimatorDiagnostics([5, 5], [5, 5]).standardError, 0);
});

Deno.test("estimator rejects empty groups and non-finite scores", () => {
  assertThrows(() => preferenceProbability([], [1]), RangeError, "chosen is empty");
  assertThrows(() => rejectedCredits([1], []), RangeError, "rejected is empty");
  assertThrows(() => chosenCredits([1, NaN], [1]), RangeError, "chosen[1]");
  assertThrows(() => estimatorDiagnostics([1], [Infinity]), RangeError, "rejected[0]");
});

// ---- Simulation: scores s_c ~ N(muC, sd), s_r ~ N(muR, sd), independent. ----
const MU_C = 6;
const MU_R = 5;
const SD = 1.5;

/**
 * True P = E[sigmoid(X)], X = s_c - s_r ~ N(muC - muR, 2 sd^2), by composite Simpson's rule on
 * mean +/- 12 standard deviations with 4000 panels (error far below 1e-10 for this smooth integrand).
 */
function truePreference(): number {
  const m = MU_C - MU_R;
  const s = Math.SQRT2 * SD;
  const lo = m - 12 * s;
  const hi = m + 12 * s;
  const n = 4000;
  const h = (hi - lo) / n;
  const f = (x: number) =>
    sigmoid(x) * Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
  let sum = f(lo) + f(hi);
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * f(lo + k * h);
  return (sum * h) / 3;
}

function draw(prng: Prng, mu: number, g: number): number[] {
  return Array.from({ length: g }, () => mu + SD * prng.normal());
}

function replicate(prng: Prng, g: number, replicates: number) {
  const pHats: number[] = [];
  const ses: number[] = [];
  for (let k = 0; k < replicates; k++) {
    const d = estimatorDiagnostics(draw(prng, MU_C, g), draw(prng, MU_R, g));
    pHats.push(d.pHat);
    ses.push(d.standardError);
  }
  const mean = pHats.reduce((a, b) => a + b, 0) / replicates;
  const sd = Math.sqrt(pHats.reduce((a, p) => a + (p - mean) ** 2, 0) / (replicates - 1));
  const rmsSe = Math.sqrt(ses.reduce((a, s) => a + s * s, 0) / replicates);
  return { mean, sd, rmsSe };
}

Deno.test("simulation: the numeric-integration truth agrees with a 1e6-draw Monte Carlo", () => {
  // scipy.integrate.quad of the same integrand on [-40, 40] gives 0.6427479801568128.
  assertAlmostEquals(truePreference(), 0.6427479801568128, 1e-10);
  // Cross-checks the reference itself: |MC - P| < 4 MC standard errors (sd of sigmoid <= 0.5).
  const prng = createPrng(11);
  let sum = 0;
  const n = 1_000_000;
  for (let k = 0; k < n; k++) sum += sigmoid(MU_C - MU_R + Math.SQRT2 * SD * prng.normal());
  assertLess(Math.abs(sum / n - truePreference()), 4 * 0.5 / Math.sqrt(n));
});

Deno.test("simulation: P_hat is unbiased (2000 replicates of G = 4, within 3 standard errors)", () => {
  const truth = truePreference();
  const { mean, sd } = replicate(createPrng(2026), 4, 2000);
  const standardErrorOfMean = sd / Math.sqrt(2000);
  assertLess(Math.abs(mean - truth), 3 * standardErrorOfMean);
});

Deno.test("simulation: spread of P_hat shrinks with G; the diagnostic standard error tracks it", () => {
  const prng = createPrng(7);
  const spreads = [2, 4, 8, 16].map((g) => replicate(prng, g, 2000));
  for (let k = 1; k < spreads.length; k++) assertLess(spreads[k].sd, spreads[k - 1].sd);
  // For a two-sample U-statistic var ~ 1/G for large G, so 2 -> 16 should cut the sd by about
  // sqrt(8) = 2.83 (a bit more, since the 1/G^2 term matters at G = 2). Accept [2.2, 4].
  const ratio = spreads[0].sd / spreads[3].sd;
  assertGreater(ratio, 2.2);
  assertLess(ratio, 4);
  // At G = 8 the root-mean-square of the per-pair standard error is within 15% of the
  // empirical spread over 2000 replicates (observed: within 1%; at G = 2 the per-pair estimate
  // is very noisy, so only G = 8 is held to this).
  const atEight = spreads[2];
  assertLess(Math.abs(atEight.rmsSe / atEight.sd - 1), 0.15);
});
