import { assert, assertEquals, assertRejects } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { adamwDispose, adamwInit, type AdamWState, adamwUpdate } from "../grpo/adamw.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig } from "../model/config.ts";
import { disposeParams, initParams, paramShapes, type TrainableParams } from "../model/params.ts";
import { CheckpointError } from "./safetensors.ts";
import { createPrng } from "../rng/prng.ts";
import { snapshot, TEST_MODEL } from "../train/_testing.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "./model_checkpoint.ts";

const STATE = {
  step: 12,
  dataCursor: { epoch: 1, index: 3 },
  prngState: [1, 2, 3, 4],
  datasetFingerprint: "f".repeat(64),
  extra: { consecutiveBadSteps: 1 },
};

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(`${dir}/ckpt`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Params after two AdamW steps on random gradients: non-trivial m, v and step. */
function trainedState(seed: number): { params: TrainableParams; optimizer: AdamWState } {
  const params = initParams(TEST_MODEL, createPrng(seed));
  let optimizer = adamwInit(params);
  for (let i = 0; i < 2; i++) {
    const grads = Object.fromEntries(
      Object.entries(params).map(([k, p]) => [k, tf.randomNormal(p.shape, 0, 1, "float32", i)]),
    );
    optimizer = adamwUpdate(params, { grads, state: optimizer, lr: 1e-2 });
    tf.dispose(Object.values(grads));
  }
  return { params, optimizer };
}

Deno.test("model checkpoint: params and AdamW state round-trip bit for bit", async () => {
  await initBackend("cpu");
  await withDir(async (dir) => {
    const { params, optimizer } = trainedState(1);
    const sidecar = await saveModelCheckpoint(dir, {
      model: {
        params,
        config: TEST_MODEL,
        optimizer,
        runConfig: { design: "mean", lr: 3e-4 },
      },
      state: STATE,
    });
    const before = tf.memory().numTensors;
    const loaded = await loadModelCheckpoint(dir, {
      expectModel: TEST_MODEL,
      datasetFingerprint: STATE.datasetFingerprint,
    });
    // same names in the same order as initParams (later reductions over params keep their order)
    assertEquals(Object.keys(loaded.params), Object.keys(params));
    assertEquals(Object.keys(loaded.params), Object.keys(paramShapes(TEST_MODEL)));
    assertEquals(await snapshot(loaded.params), await snapshot(params));
    assert(Object.values(loaded.params).every((p) => p instanceof tf.Variable && p.trainable));
    assertEquals(loaded.config, modelConfig(TEST_MODEL));
    const got = loaded.optimizer!;
    assertEquals(got.step, 2);
    assertEquals(Object.keys(got.m).sort(), Object.keys(params).sort());
    assertEquals(await snapshot(got.m), await snapshot(optimizer.m));
    assertEquals(await snapshot(got.v), await snapshot(optimizer.v));
    // the sidecar carries the run state and the architecture next to the run config
    assertEquals(loaded.sidecar.sha256, sidecar.sha256);
    assertEquals(loaded.sidecar.step, 12);
    assertEquals(loaded.sidecar.dataCursor, STATE.dataCursor);
    assertEquals(loaded.sidecar.prngState, STATE.prngState);
    assertEquals(loaded.sidecar.extra, STATE.extra);
    assertEquals(loaded.sidecar.config, { model: TEST_MODEL, design: "mean", lr: 3e-4 });
    // the loaded model owns exactly its params and moments (nothing else left behind)
    const n = Object.keys(params).length;
    assertEquals(tf.memory().numTensors - before, 3 * n);
    disposeParams(loaded.params);
    adamwDispose(got);
    disposeParams(params);
    adamwDispose(optimizer);
  });
});

Deno.test("model checkpoint: weights only, then loading gives no optimizer state", async () => {
  await initBackend("cpu");
  await withDir(async (dir) => {
    const params = initParams(TEST_MODEL, createPrng(2));
    await saveModelCheckpoint(dir, { model: { params, config: TEST_MODEL }, state: STATE });
    const loaded = await loadModelCheckpoint(dir);
    assertEquals(loaded.optimizer, undefined);
    assertEquals(await snapshot(loaded.params), await snapshot(params));
    disposeParams(loaded.params);
    disposeParams(params);
  });
});

Deno.test("model checkpoint: another architecture is refused, naming the field", async () => {
  await initBackend("cpu");
  await withDir(async (dir) => {
    const params = initParams(TEST_MODEL, createPrng(2));
    await saveModelCheckpoint(dir, { model: { params, config: TEST_MODEL }, state: STATE });
    const before = tf.memory().numTensors;
    await assertRejects(
      () => loadModelCheckpoint(dir, { expectModel: { ...TEST_MODEL, width: 32 } }),
      CheckpointError,
      "width: checkpoint 16, expected 32",
    );
    await assertRejects(
      () => loadModelCheckpoint(dir, { expectModel: { ...TEST_MODEL, depth: 2, heads: 4 } }),
      CheckpointError,
      "depth: checkpoint 1, expected 2; heads: checkpoint 2, expected 4",
    );
    await assertRejects(
      () => loadModelCheckpoint(dir, { datasetFingerprint: "0".repeat(64) }),
      CheckpointError,
      "other data",
    );
    assertEquals(tf.memory().numTensors, before, "a refused load frees what it read");
    disposeParams(params);
  });
});

Deno.test("model checkpoint: missing, unexpected or misshapen params are errors naming them", async () => {
  await initBackend("cpu");
  const params = initParams(TEST_MODEL, createPrng(2));
  const { "finalNorm.bias": _dropped, ...withoutBias } = params;
  const cases: [Record<string, tf.Variable>, string][] = [
    [withoutBias, 'missing "finalNorm.bias"'],
    [{ ...params, "blocks.9.extra": params["finalNorm.bias"] }, 'unexpected "blocks.9.extra"'],
    [
      { ...params, "finalNorm.bias": tf.variable(tf.zeros([3])) },
      '"finalNorm.bias" has shape [3], expected [16]',
    ],
  ];
  for (const [bad, message] of cases) {
    await withDir(async (dir) => {
      await saveModelCheckpoint(dir, { model: { params: bad, config: TEST_MODEL }, state: STATE });
      const before = tf.memory().numTensors;
      await assertRejects(() => loadModelCheckpoint(dir), CheckpointError, message);
      await assertRejects(() => loadModelCheckpoint(dir), CheckpointError, "model.safetensors");
      assertEquals(tf.memory().numTensors, before);
    });
  }
  cases[2][0]["finalNorm.bias"].dispose();
  disposeParams(params);
  await assertRejects(
    () => loadModelCheckpoint("/nonexistent/irpm-ckpt"),
    CheckpointError,
    "/nonexistent/irpm-ckpt",
  );
});
