import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { initBackend } from "./backend.ts";
import { presetConfig } from "./config.ts";
import {
  copyParams,
  countParams,
  disposeParams,
  INIT_STD,
  initParams,
  paramShapes,
} from "./params.ts";

function std(values: ArrayLike<number>): number {
  let sum = 0, square = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    square += values[i] * values[i];
  }
  const mean = sum / values.length;
  return Math.sqrt(square / values.length - mean * mean);
}

Deno.test("initParams: shapes match paramShapes, all trainable variables", async () => {
  await initBackend("cpu");
  const config = presetConfig("tiny");
  const params = initParams(config, createPrng(3));
  const shapes = paramShapes(config);
  assertEquals(Object.keys(params), Object.keys(shapes));
  for (const [name, p] of Object.entries(params)) {
    assertEquals(p.shape, shapes[name], name);
    assert(p.trainable, name);
  }
  // tiny: V=104, D=32, T=64, L=1: 104*32 + 64*32 + (12*32*32 + 13*32) + 2*32
  //   = 3328 + 2048 + 12704 + 64 = 18144
  assertEquals(countParams(shapes), 18144);
  disposeParams(params);
});

Deno.test("initParams: GPT-2 statistics (std 0.02, residual 0.02/sqrt(2L), zeros, ones)", async () => {
  await initBackend("cpu");
  const config = presetConfig("small"); // L = 2
  const params = initParams(config, createPrng(11));
  // 128 x 512 = 65536 draws: the sample std is within ~0.3% of the truth; allow 3%.
  assertAlmostEquals(
    std(await params["blocks.0.mlp.hidden.weight"].data()),
    INIT_STD,
    INIT_STD * 0.03,
  );
  const residual = INIT_STD / Math.sqrt(4);
  assertAlmostEquals(
    std(await params["blocks.1.mlp.output.weight"].data()),
    residual,
    residual * 0.03,
  );
  assertEquals(Math.max(...await params["blocks.0.attention.qkv.bias"].data()), 0);
  assertEquals(Math.min(...await params["finalNorm.weight"].data()), 1);
  disposeParams(params);
});

Deno.test("initParams: same seed same values on cpu and wasm; other seed differs", async () => {
  const config = presetConfig("tiny");
  await initBackend("cpu");
  const a = initParams(config, createPrng(5));
  const onCpu = await a.positionEmbedding.data();
  await initBackend("wasm");
  const b = initParams(config, createPrng(5));
  const c = initParams(config, createPrng(6));
  assertEquals(await b.positionEmbedding.data(), onCpu);
  assertNotEquals(await c.positionEmbedding.data(), onCpu);
  [a, b, c].forEach(disposeParams);
});

Deno.test("copyParams: an independent frozen copy; disposing releases every tensor", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  const params = initParams(presetConfig("tiny"), createPrng(1));
  const copy = copyParams(params);
  tf.tidy(() => params.tokenEmbedding.assign(tf.zerosLike(params.tokenEmbedding)));
  assertNotEquals(Math.max(...await copy.tokenEmbedding.data()), 0);
  assert(!(copy.tokenEmbedding instanceof tf.Variable));
  disposeParams(params);
  disposeParams(copy);
  assertEquals(tf.memory().numTensors, before);
});
