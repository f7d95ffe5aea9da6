import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../model/backend.ts";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { syntheticRowPairs, syntheticSplits } from "../data/synthetic/suite.ts";
import { evaluatePointwise } from "./pointwise_eval.ts";
import { votingStudy, votingStudyRows } from "./voting_study.ts";

await initBackend("wasm");

Deno.test("votingStudy: a tiny GRM end to end; greedy agrees with evaluatePointwise; seeded", async () => {
  const config = presetConfig("tiny");
  const params = initParams(config, createPrng(3));
  const pairs = syntheticRowPairs(syntheticSplits({ seed: 1, train: 4, test: 16 }).test, {
    minStrength: 2,
    requireUserLast: true,
  }).pairs.slice(0, 5);
  try {
    const before = tf.memory().numTensors;
    const options = { temperatures: [0.5, 1], ks: [1, 2], maxNewTokens: 12, seed: 7 };
    const study = await votingStudy({ params, config }, pairs, options);
    assertEquals(tf.memory().numTensors, before); // nothing leaked
    assertEquals(study.n, pairs.length);
    assertEquals(study.rows.map((r) => r.method), [
      "greedy",
      "expected (greedy critique)",
      "median (greedy critique)",
      "vote@1 T=0.5",
      "vote@2 T=0.5",
      "vote@1 T=1",
      "vote@2 T=1",
    ]);
    const responses = new Set(pairs.flatMap((p) =>
      [p.chosen, p.rejected].map((r) => p.context[0].content + r)
    )).size;
    assertEquals(study.rows.map((r) => r.calls), [1, 1, 1, 1, 2, 1, 2].map((k) => k * responses));
    // synthetic pairs carry hidden qualities: every row has its rank correlation with them
    for (const row of study.rows) assert(row.spearman === null || Math.abs(row.spearman!) <= 1);
    for (const row of study.rows) {
      assert(row.tokens >= row.calls, `${row.method}: a token per call`);
    }
    // the greedy row is the same judgment as the kit's evaluation path
    const reference = await evaluatePointwise(
      { params, config },
      { data: "synthetic", source: "test", pairs },
      { ks: [], maxNewTokens: 12 },
    );
    assertAlmostEquals(study.rows[0].accuracy, reference.summary.overall.accuracy, 1e-12);
    assertEquals(study.critiques.map((c) => c.source), ["greedy", 0.5, 1]);
    // same seed, same samples
    const again = await votingStudy({ params, config }, pairs, options);
    assertEquals(
      again.rows.map((r) => [r.accuracy, r.tokens]),
      study.rows.map((r) => [r.accuracy, r.tokens]),
    );
  } finally {
    disposeParams(params);
  }
});

Deno.test("votingStudyRows: readout rows break greedy's ties; Spearman per row against quality", () => {
  const j = (score: number) => ({ score, text: "1 vs 1: 0 err" });
  const study = votingStudyRows({
    // responses 0..3 with hidden qualities 9, 3, 8, 6; pairs (0 > 1) and (2 > 3)
    pairs: [{ chosen: 0, rejected: 1 }, { chosen: 2, rejected: 3 }],
    greedy: [j(8), j(8), j(7), j(5)], // pair 1 ties under greedy
    temperatures: [],
    sampled: [],
    ks: [1],
    seconds: { greedy: 2, sampled: [] },
    readouts: { expected: [7.9, 7.2, 6.6, 5.1], median: [8, 7, 7, 5], seconds: 0.5 },
    quality: [9, 3, 8, 6],
  });
  assertEquals(study.rows.map((r) => [r.method, r.accuracy, r.tieRate, r.seconds]), [
    ["greedy", 0.75, 0.5, 2],
    ["expected (greedy critique)", 1, 0, 2.5],
    ["median (greedy critique)", 1, 0, 2.5],
  ]);
  // expected 7.9, 7.2, 6.6, 5.1 rank 4 3 2 1 vs quality 9 3 8 6 rank 4 1 3 2: d^2 = 0+4+1+1 = 6,
  // rho = 1 - 6 * 6 / (4 * 15) = 0.4
  assertAlmostEquals(study.rows[1].spearman!, 0.4, 1e-12);
});
