import { assert, assertEquals } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../model/backend.ts";
import { trainSession } from "./train_session.ts";

Deno.test("trainSession: a tiny run keeps every evaluation with its pairs and frees its tensors", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const session = await trainSession({
    warmStart: "off",
    preset: "tiny",
    steps: 2,
    batchPairs: 2,
    groupSize: 2,
    evalEvery: 1,
    evalPairs: 3,
    testSize: 6,
    trainSize: 100,
    maxNewTokens: 8,
  }, (e) => seen.push(e.step));
  assertEquals(seen, [0, 1, 2]);
  assertEquals(session.evals.map((e) => e.step), [0, 1, 2]);
  assertEquals(session.steps.map((m) => m.step), [1, 2]);
  for (const e of session.evals) {
    assertEquals(e.pairs.length, 3);
    // the accuracy is the mean of the kept per-pair outcomes
    assert(Math.abs(e.accuracy - e.pairs.reduce((a, p) => a + p.outcome, 0) / 3) < 1e-12);
    assert(e.critiqueCeiling !== null && e.critiqueCeiling >= 0 && e.critiqueCeiling <= 1);
  }
  session.dispose();
  assertEquals(tf.memory().numTensors, before);
});
