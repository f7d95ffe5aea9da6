import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { checkTokenChoice, logProbOf, sampleToken, samplingProbs } from "./token_sampling.ts";

const ln = Math.log;

Deno.test("samplingProbs: temperature rescales logits (golden numbers)", () => {
  // logits [0, ln 2]: tau = 1 -> [1/3, 2/3]; tau = 2 -> ∝ [1, sqrt 2]; tau = 0.5 -> ∝ [1, 4]
  const logits = [0, ln(2)];
  const p1 = samplingProbs(logits);
  assertAlmostEquals(p1[1], 2 / 3, 1e-12);
  const p2 = samplingProbs(logits, { temperature: 2 });
  assertAlmostEquals(p2[1], Math.SQRT2 / (1 + Math.SQRT2), 1e-12);
  const pHalf = samplingProbs(logits, { temperature: 0.5 });
  assertAlmostEquals(pHalf[1], 4 / 5, 1e-12);
  assertEquals(Array.from(samplingProbs(logits, { temperature: 0 })), [0, 1]);
});

Deno.test("samplingProbs: top-p keeps the shortest most-likely prefix reaching the mass", () => {
  const logits = [ln(0.2), ln(0.5), ln(0.3)]; // p = [0.2, 0.5, 0.3]
  // topP 0.75: 0.5 < 0.75, 0.5 + 0.3 >= 0.75 -> keep {1, 2} -> [0, 0.625, 0.375]
  const p = samplingProbs(logits, { topP: 0.75 });
  assertAlmostEquals(p[0], 0, 1e-12);
  assertAlmostEquals(p[1], 0.625, 1e-12);
  assertAlmostEquals(p[2], 0.375, 1e-12);
  // topP 0.4: the top token alone already reaches it
  assertEquals(
    Array.from(samplingProbs(logits, { topP: 0.4 })).map((x) => Math.round(x * 1e12) / 1e12),
    [0, 1, 0],
  );
  // a row inside a larger array (offset/size)
  assertAlmostEquals(
    samplingProbs([9, 9, ...logits], { topP: 0.75, offset: 2, size: 3 })[2],
    0.375,
    1e-12,
  );
});

Deno.test("sampleToken: empirical frequencies match the distribution (20000 draws, tol 0.015)", () => {
  const rng = createPrng(123);
  const logits = [ln(0.1), ln(0.2), ln(0.7)];
  const counts = [0, 0, 0];
  for (let i = 0; i < 20000; i++) counts[sampleToken(logits, rng)]++;
  // binomial sd <= sqrt(0.25 / 20000) = 0.0035; 0.015 is > 4 sd
  [0.1, 0.2, 0.7].forEach((p, i) => assertAlmostEquals(counts[i] / 20000, p, 0.015));
  // top-p 0.75 never draws the 0.1 token and splits the rest 2:7
  const kept = [0, 0, 0];
  for (let i = 0; i < 20000; i++) kept[sampleToken(logits, rng, { topP: 0.75 })]++;
  assertEquals(kept[0], 0);
  assertAlmostEquals(kept[2] / 20000, 7 / 9, 0.015);
});

Deno.test("sampleToken: greedy and tiny top-p pick the argmax; greedy uses no randomness", () => {
  const logits = [0.1, 2, 1.9, -1];
  const rng = createPrng(7), untouched = createPrng(7);
  for (let i = 0; i < 50; i++) assertEquals(sampleToken(logits, rng, { greedy: true }), 1);
  assertEquals(rng.next(), untouched.next());
  for (let i = 0; i < 50; i++) assertEquals(sampleToken(logits, rng, { topP: 1e-6 }), 1);
  // very low temperature concentrates on the argmax too
  for (let i = 0; i < 50; i++) assertEquals(sampleToken(logits, rng, { temperature: 0.01 }), 1);
});

Deno.test("logProbOf: untempered log-softmax (golden)", () => {
  // logits [1, 2, 3]: log p(2) = 3 - log(e + e^2 + e^3) = -0.40760596
  assertAlmostEquals(logProbOf([1, 2, 3], 2), -0.40760596444, 1e-10);
  assertAlmostEquals(
    logProbOf([5, 1, 2, 3], 0, { offset: 1, size: 3 }),
    1 - ln(Math.E + Math.E ** 2 + Math.E ** 3),
    1e-12,
  );
});

Deno.test("checkTokenChoice: rejects bad temperature and top-p, quoting the value", () => {
  assertThrows(() => checkTokenChoice({ temperature: -1 }), RangeError, "got -1");
  assertThrows(() => checkTokenChoice({ temperature: NaN }), RangeError, "NaN");
  assertThrows(() => checkTokenChoice({ topP: 0 }), RangeError, "topP must be in (0, 1], got 0");
  assertThrows(() => checkTokenChoice({ topP: 1.5 }), RangeError, "1.5");
});
