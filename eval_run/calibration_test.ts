import { assert, assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { syntheticCandidates } from "../data/synthetic/candidates.ts";
import { parseSyntheticPrompt } from "../data/synthetic/domains.ts";
import { syntheticQuality } from "../data/synthetic/score.ts";
import { calibration, type ResponseScorer } from "./calibration.ts";

// An oracle that recomputes the hidden quality from the prompt; optionally shifted per prompt.
const oracle = (shift: (prompt: string) => number): ResponseScorer => (items) =>
  Promise.resolve({
    scores: items.map((item) => {
      const task = parseSyntheticPrompt(item.context[0].content)!;
      return syntheticQuality(task, item.response) + shift(task.prompt);
    }),
    calls: items.length,
  });

Deno.test("calibration: an oracle scorer has pooled and within-set rho 1", async () => {
  const r = await calibration(oracle(() => 0), { sets: 20, n: 4 });
  assertAlmostEquals(r.pooled.rho, 1, 1e-12);
  assertEquals([r.pooled.n, r.pooled.excluded, r.calls], [80, 0, 80]);
  assertAlmostEquals(r.withinSet.meanRho, 1, 1e-12);
  assertEquals(r.traces.length, 80);
  const [set] = syntheticCandidates({ seed: 1, n: 4, count: 1 });
  assertEquals([r.traces[0].set, r.traces[0].quality], [set.id, set.candidates[0].quality]);
});

Deno.test("calibration: a per-prompt offset keeps within-set rho 1 but breaks pooled rho", async () => {
  // Shift each prompt by a large pseudo-random offset (a B-T reward's free per-prompt constant).
  const offset = (prompt: string) =>
    [...prompt].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 97, 7) * 10;
  const r = await calibration(oracle(offset), { sets: 30, n: 4 });
  assertAlmostEquals(r.withinSet.meanRho, 1, 1e-12);
  assertLess(r.pooled.rho, 0.5);
});

Deno.test("calibration: unparseable scores are excluded and counted; constant sets are undefined", async () => {
  const scorer: ResponseScorer = (items) =>
    Promise.resolve({ scores: items.map((_, i) => (i % 4 === 0 ? null : 5)), calls: items.length });
  const r = await calibration(scorer, { sets: 5, n: 4 });
  assertEquals([r.pooled.n, r.pooled.excluded], [15, 5]);
  assert(Number.isNaN(r.pooled.rho)); // constant scores: rank correlation undefined, never 0
  assertEquals([r.withinSet.sets, r.withinSet.undefinedSets], [0, 5]);
});
