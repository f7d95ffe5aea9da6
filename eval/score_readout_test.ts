import { assertAlmostEquals, assertEquals } from "@std/assert";
import {
  expectedScore,
  type NextTokenLogProbs,
  scoreCandidates,
  scoreDistribution,
  scoreQuantile,
} from "./score_readout.ts";

// A character-level toy vocabulary: 0 = "</score>", 1.. = the characters "0123456789."
const CHARS = "0123456789.";
const encode = (text: string) => [...text].map((c) => 1 + CHARS.indexOf(c));
const CLOSE = 0;
const VOCAB = 1 + CHARS.length;

/** A judge that writes `text` then `</score>` with certainty (log 0), everything else log(0). */
function certainJudge(text: string): NextTokenLogProbs {
  const target = [...encode(text), CLOSE];
  return (prefixes) =>
    Promise.resolve(prefixes.map((p) => {
      const onPath = p.every((t, i) => t === target[i]);
      return Array.from({ length: VOCAB }, (_, id) =>
        onPath && id === target[p.length] ? 0 : -Infinity);
    }));
}

Deno.test("all mass on one score string gives that score: integers, two digits, decimals", async () => {
  const candidates = scoreCandidates({ encode, close: CLOSE, decimals: true });
  for (const text of ["0", "7", "10", "7.5", "10.0"]) {
    const d = await scoreDistribution(certainJudge(text), candidates);
    assertEquals(expectedScore(d), Number(text), text);
    assertEquals(scoreQuantile(d, 0.5), Number(text), text);
    assertAlmostEquals(d.mass, 1, 1e-12);
  }
});

Deno.test("a two-token score's probability is the product along its tokens, renormalised", async () => {
  // after <score>: "1" 0.5, "9" 0.25, "x" (not a score) 0.25; after "1": "0" 0.2, "</score>" 0.8;
  // after "10" or "9": "</score>" 1
  const judge: NextTokenLogProbs = (prefixes) =>
    Promise.resolve(prefixes.map((p) => {
      const probs = new Array(VOCAB).fill(0);
      const key = p.map((t) => CHARS[t - 1]).join("");
      if (key === "") [probs[encode("1")[0]], probs[encode("9")[0]]] = [0.5, 0.25];
      else if (key === "1") [probs[encode("0")[0]], probs[CLOSE]] = [0.2, 0.8];
      else probs[CLOSE] = 1;
      return probs.map(Math.log);
    }));
  const d = await scoreDistribution(judge, scoreCandidates({ encode, close: CLOSE }));
  // P("1") = 0.5 * 0.8 = 0.4, P("10") = 0.5 * 0.2 = 0.1, P("9") = 0.25; seen mass 0.75
  assertAlmostEquals(d.mass, 0.75, 1e-12);
  const p = (v: number) => d.probabilities[d.values.indexOf(v)];
  assertAlmostEquals(p(1), 0.4 / 0.75, 1e-12);
  assertAlmostEquals(p(9), 0.25 / 0.75, 1e-12);
  assertAlmostEquals(p(10), 0.1 / 0.75, 1e-12);
  // (1 * 0.4 + 9 * 0.25 + 10 * 0.1) / 0.75 = 3.65 / 0.75
  assertAlmostEquals(expectedScore(d), 3.65 / 0.75, 1e-12);
  // CDF over 1, 9, 10: 0.533, 0.867, 1
  assertEquals([scoreQuantile(d, 0.5), scoreQuantile(d, 0.8), scoreQuantile(d, 0.9)], [1, 9, 10]);
});
