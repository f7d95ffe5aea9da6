import { assert, assertEquals, assertLess, assertRejects } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { syntheticSuite } from "../data/synthetic/suite.ts";
import { adamwDispose } from "../grpo/adamw.ts";
import { initBackend } from "../model/backend.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { TEST_MODEL } from "./_testing.ts";
import { TrainingDivergedError } from "./divergence.ts";
import { supervisedSteps } from "./supervised.ts";
import { warmStartExamples } from "./warmstart.ts";

const examples = warmStartExamples(syntheticSuite({ seed: 2, size: 2 }), {
  rng: createPrng(1),
  contextLength: 64,
});
const recipe = {
  lr: 1e-2,
  warmupSteps: 1,
  minLrRatio: 0.1,
  weightDecay: 0,
  gradClip: 1,
  steps: 6,
};

Deno.test("supervisedSteps: the schedule, evaluations on it, stopAfter, a falling loss, seeded", async () => {
  await initBackend("wasm");
  const run = async (options: { stopAfter?: number } = {}) => {
    const params = initParams(TEST_MODEL, createPrng(6));
    const events: string[] = [];
    const losses: number[] = [];
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    const out = await supervisedSteps({ params, config: TEST_MODEL }, {
      recipe,
      batch: (step) => {
        steps.push(step);
        return examples;
      },
    }, {
      ...options,
      evalEvery: 4,
      onStep: (p) => {
        events.push(`step ${p.step}`);
        losses.push(p.loss);
        assert(p.tokens > 0 && p.gradNorm > 0 && p.seconds >= p.stepSeconds);
      },
      onEval: (step) => {
        events.push(`eval ${step}`);
      },
    });
    // the optimizer state is all that is left behind: two moments per parameter and a step
    assertEquals(out.optimizer.step, out.steps);
    adamwDispose(out.optimizer);
    assertEquals(tf.memory().numTensors, before);
    disposeParams(params);
    return { events, losses, steps, out };
  };
  const full = await run();
  assertEquals(full.steps, [0, 1, 2, 3, 4, 5]);
  assertEquals(full.events, [
    "step 1",
    "step 2",
    "step 3",
    "step 4",
    "eval 4",
    "step 5",
    "step 6",
    "eval 6",
  ]);
  assertLess(full.losses[5], full.losses[0]);
  assertEquals((await run()).losses, full.losses); // same seeds, same numbers
  const cut = await run({ stopAfter: 3 });
  assertEquals(cut.events, ["step 1", "step 2", "step 3", "eval 3"]);
  assertEquals(cut.losses, full.losses.slice(0, 3)); // the same schedule, stopped early
  assertEquals(cut.out.steps, 3);
});

Deno.test("supervisedSteps: an update that makes the weights NaN/Inf stops, naming who and the step", async () => {
  await initBackend("wasm");
  const params = initParams(TEST_MODEL, createPrng(6));
  try {
    await assertRejects(
      () =>
        supervisedSteps(
          { params, config: TEST_MODEL },
          { recipe: { ...recipe, lr: 1e308 }, batch: () => examples }, // Infinity in float32
          { what: "test warm-start" },
        ),
      TrainingDivergedError,
      "test warm-start stopped: weights became non-finite at step 1",
    );
  } finally {
    disposeParams(params);
  }
});
