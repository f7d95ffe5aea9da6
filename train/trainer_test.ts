import { withoutTimings } from "./step.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../model/backend.ts";
import { initParams, type TrainableParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import {
  disposePolicy,
  formatTrainedParams,
  TEST_MODEL,
  testConfig,
  testPolicy,
} from "./_testing.ts";
import type { TrainConfig } from "./config.ts";
import { loadTrainData, nextBatch } from "./data.ts";
import {
  learningRate,
  type LoopState,
  totalSteps,
  type TrainerCallbacks,
  TrainingDivergedError,
  trainLoop,
} from "./trainer.ts";

const data = await loadTrainData(testConfig());

const fresh = (seed = 1): LoopState => ({
  step: 0,
  cursor: { epoch: 0, index: 0 },
  prngState: createPrng(seed).state(),
  consecutiveBadSteps: 0,
});

/** Callbacks that log what happened, in order. */
function recorder() {
  const events: string[] = [];
  const metrics: Record<string, number>[] = [];
  const callbacks: TrainerCallbacks = {
    onStep: (step, m) => {
      events.push(`step ${step}`);
      metrics.push(m);
    },
    onSamples: (step, samples) => {
      events.push(`samples ${step} (${samples.length})`);
    },
    onEval: (step, e) => {
      events.push(`eval ${step} (${e.report.overall.n})`);
    },
    onSkip: (step) => {
      events.push(`skip ${step}`);
    },
    onCheckpoint: (state) => {
      events.push(`checkpoint ${state.step}`);
    },
  };
  return { events, metrics, callbacks };
}

let trained: Promise<TrainableParams> | undefined;
/** A fresh copy of format-trained params (valid judgments, so real updates happen). */
async function trainedCopy(): Promise<TrainableParams> {
  trained ??= formatTrainedParams(data.train);
  const params = await trained;
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, tf.variable(v.clone(), true)]),
  );
}

const withoutTimes = (m: Record<string, number>) => withoutTimings(m);

Deno.test("totalSteps and learningRate: epochs override steps; warm-up capped below the total", () => {
  assertEquals(totalSteps(testConfig({ steps: 7 }), 1000), 7);
  // ceil(2 epochs x 10 pairs / 3 per batch) = ceil(6.67) = 7
  assertEquals(totalSteps(testConfig({ epochs: 2, batchPairs: 3 }), 10), 7);
  assertEquals(totalSteps(testConfig({ epochs: 0.01, batchPairs: 3 }), 10), 1);
  // W = 10, N = 200, floor 0.1: step 105 is halfway through the cosine: 0.1 + 0.9 * 0.5 = 0.55
  const c = testConfig({ lr: 1, warmupSteps: 10, minLrRatio: 0.1 });
  assertAlmostEquals(learningRate(c, { step: 0, total: 200 }), 0.1, 1e-12); // (0 + 1) / 10
  assertAlmostEquals(learningRate(c, { step: 105, total: 200 }), 0.55, 1e-12);
  // a 3-step run with 10 warm-up steps: W becomes 2, so step 0 gets 1/2, step 1 the peak
  assertEquals([0, 1, 2].map((s) => learningRate(c, { step: s, total: 3 })), [0.5, 1, 1]);
  assertEquals(learningRate(c, { step: 0, total: 1 }), 1); // one step: W = 0, no warm-up
});

Deno.test("trainLoop: eval at 0, steps 1..3 with samples, eval and checkpoint at the end", async () => {
  await initBackend("wasm");
  const policy = testPolicy(initParams(TEST_MODEL, createPrng(1)));
  try {
    const config = testConfig({
      steps: 3,
      evalEvery: 0,
      checkpointEvery: 0,
      sampleEvery: 1,
      warmupSteps: 2,
    });
    const { events, metrics, callbacks } = recorder();
    const state = fresh();
    const out = await trainLoop(policy, { data, config, state }, callbacks);
    assertEquals(events, [
      "eval 0 (4)",
      "step 1",
      "samples 1 (8)",
      "step 2",
      "samples 2 (8)",
      "step 3",
      "samples 3 (8)",
      "eval 3 (4)",
      "checkpoint 3",
    ]);
    assert(out === state, "the loop advances the state it was given");
    assertEquals(out.step, 3);
    // the cursor is where three batches of 2 leave the data stream
    let cursor = { epoch: 0, index: 0 };
    for (let i = 0; i < 3; i++) {
      cursor = nextBatch(data.train, { cursor, batch: 2, seed: 0 }).cursor;
    }
    assertEquals(out.cursor, cursor);
    assertNotEquals(out.prngState, fresh().prngState);
    assertEquals(metrics.map((m) => m.step), [1, 2, 3]);
    assertEquals(
      metrics.map((m) => m.learning_rate),
      [0, 1, 2].map((s) => learningRate(config, { step: s, total: 3 })),
    );
    assertEquals(metrics[2].epoch, 6 / data.train.length);
    assert(metrics.every((m) => !("tensor_delta" in m)), "a step leaked tensors");
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("trainLoop: stopAfter checkpoints and stops; continuing matches one straight run", async () => {
  await initBackend("wasm");
  const config: Readonly<TrainConfig> = testConfig({
    steps: 4,
    evalEvery: 2,
    checkpointEvery: 2,
    sampleEvery: 0,
  });
  const straight = testPolicy(await trainedCopy());
  const split = testPolicy(await trainedCopy());
  try {
    const a = recorder();
    await trainLoop(straight, { data, config, state: fresh() }, a.callbacks);
    assertEquals(a.events, [
      "eval 0 (4)",
      "step 1",
      "step 2",
      "eval 2 (4)",
      "checkpoint 2",
      "step 3",
      "step 4",
      "eval 4 (4)",
      "checkpoint 4",
    ]);

    const b = recorder();
    const state = await trainLoop(split, {
      data,
      config: { ...config, stopAfter: 3 },
      state: fresh(),
    }, b.callbacks);
    assertEquals(b.events, [
      "eval 0 (4)",
      "step 1",
      "step 2",
      "eval 2 (4)",
      "checkpoint 2",
      "step 3",
      "checkpoint 3", // the time box ends: checkpoint, no evaluation
    ]);
    assertEquals(state.step, 3);
    // continue from the returned state (JSON round trip, as through a checkpoint sidecar)
    const resumed = JSON.parse(JSON.stringify(state));
    const c = recorder();
    await trainLoop(split, { data, config, state: resumed }, c.callbacks);
    assertEquals(c.events, ["step 4", "eval 4 (4)", "checkpoint 4"]); // no second step-0 eval
    assertEquals(
      [...b.metrics, ...c.metrics].map(withoutTimes),
      a.metrics.map(withoutTimes),
    );
    assert(a.metrics.some((m) => m.grad_norm > 0), "the runs never updated the weights");
  } finally {
    disposePolicy(straight);
    disposePolicy(split);
  }
});

Deno.test("trainLoop: NaN/Inf steps are skipped, then TrainingDivergedError after maxBadSteps", async () => {
  await initBackend("wasm");
  // Finite weights whose forward pass overflows: token + position embedding = 6e38 > the float32
  // maximum, so every loss and gradient is NaN while the weights themselves stay finite.
  const policy = testPolicy(initParams(TEST_MODEL, createPrng(1)));
  for (const name of ["tokenEmbedding", "positionEmbedding"]) {
    const huge = tf.fill(policy.params[name].shape, 3e38);
    policy.params[name].assign(huge);
    huge.dispose();
  }
  try {
    const config = testConfig({
      steps: 40,
      gradClip: 0,
      warmupSteps: 0,
      maxBadSteps: 3,
      evalEvery: 0,
      checkpointEvery: 0,
      sampleEvery: 0,
    });
    const { events, metrics, callbacks } = recorder();
    const state = fresh();
    const error = await assertRejects(
      () => trainLoop(policy, { data, config, state }, callbacks),
      TrainingDivergedError,
      "3 consecutive steps with a NaN/Inf loss or gradient (--max-bad-steps 3)",
    );
    assertInstanceOf(error, Error);
    assertStringIncludes((error as Error).message, `training stopped at step ${state.step}`);
    const skips = events.filter((e) => e.startsWith("skip"));
    assertEquals(skips.length, 3);
    // the three skips are the last three steps, each right after its step callback
    const n = state.step;
    assertEquals(events.slice(-6), [
      `step ${n - 2}`,
      `skip ${n - 2}`,
      `step ${n - 1}`,
      `skip ${n - 1}`,
      `step ${n}`,
      `skip ${n}`,
    ]);
    assertEquals(state.consecutiveBadSteps, 3);
    assertEquals(n, 3);
    assertEquals(metrics.at(-1)!.skipped_updates, 1);
    assert(!events.some((e) => e.startsWith("checkpoint")));
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("trainLoop: an update that makes the weights NaN/Inf stops at that step, before any checkpoint", async () => {
  await initBackend("wasm");
  // lr 1e308 is Infinity in float32: the first update turns the weights into NaN/Inf, though its
  // loss and gradient were finite (so it is not skipped).
  const policy = testPolicy(initParams(TEST_MODEL, createPrng(1)));
  try {
    const config = testConfig({
      steps: 10,
      lr: 1e308,
      warmupSteps: 0,
      evalEvery: 1,
      checkpointEvery: 1,
      sampleEvery: 1,
    });
    const { events, callbacks } = recorder();
    // As if resumed from the checkpoint of step 2.
    const state: LoopState = { ...fresh(), step: 2, cursor: { epoch: 0, index: 4 } };
    const error = await assertRejects(
      () => trainLoop(policy, { data, config, state }, callbacks),
      TrainingDivergedError,
      "training stopped: weights became non-finite at step 3 (params/",
    );
    assertMatch(
      error.message,
      /\(params\/\S+: \d+ of \d+ values NaN\/Inf after an update with lr 9.141e\+307,/,
    );
    assertStringIncludes(error.message, "the last checkpoint (step 2) holds finite weights");
    assertStringIncludes(error.message, "try a lower --lr");
    assertEquals(events, [], "a callback ran for the diverged step");
    assertEquals(state.step, 2);
    // A fresh run has no checkpoint to point to.
    const fresher = testPolicy(initParams(TEST_MODEL, createPrng(2)));
    try {
      await assertRejects(
        () =>
          trainLoop(fresher, { data, config: { ...config, evalEvery: -1 }, state: fresh() }, {}),
        TrainingDivergedError,
        "at step 1 (params/",
      ).then((e) => assertStringIncludes(e.message, "no checkpoint of this run was written"));
    } finally {
      disposePolicy(fresher);
    }
  } finally {
    disposePolicy(policy);
  }
});
