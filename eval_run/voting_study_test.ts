import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../model/backend.ts";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { syntheticRowPairs, syntheticSplits } from "../data/synthetic/suite.ts";
import { evaluatePointwise } from "./pointwise_eval.ts";
import { votingStudy } from "./voting_study.ts";

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
      "vote@1 T=0.5",
      "vote@2 T=0.5",
      "vote@1 T=1",
      "vote@2 T=1",
    ]);
    const responses = new Set(pairs.flatMap((p) =>
      [p.chosen, p.rejected].map((r) => p.context[0].content + r)
    )).size;
    assertEquals(study.rows.map((r) => r.calls), [1, 1, 2, 1, 2].map((k) => k * responses));
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
