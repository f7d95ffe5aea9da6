/**
 * Sampling on the device through the real WebGPU path, where an adapter exists (a GPU, or a
 * software one such as llvmpipe): `generateOnDevice` with one PRNG per row samples the host's
 * rollouts and leaves no tensor behind. Skipped where `navigator.gpu` finds no adapter.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assertEquals, assertLess } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { initBackend } from "./backend.ts";
import { presetConfig } from "./config.ts";
import { disposeParams, initParams } from "./params.ts";
import { generate, generateOnDevice } from "./sample.ts";
import { BOS_ID, encode } from "./tokenizer.ts";

const hasAdapter = typeof navigator !== "undefined" && "gpu" in navigator &&
  (await navigator.gpu.requestAdapter()) !== null;

Deno.test({
  name: "generateOnDevice on webgpu: the host sampler's rollouts, one read-back per chunk",
  ignore: !hasAdapter,
  async fn() {
    await initBackend("webgpu");
    const config = presetConfig("tiny");
    const params = initParams(config, createPrng(1));
    const prompts = [[BOS_ID, ...encode("short")], [BOS_ID, ...encode("a longer one")]];
    const rowRngs = () => Array.from({ length: 6 }, (_, b) => createPrng(50 + b));
    const common = { prompts, maxNewTokens: 8, rollouts: 3 };
    const host = await generate({ params, config }, {
      ...common,
      rowRngs: rowRngs(),
      sampleOn: "host",
    });
    const before = tf.memory().numTensors;
    // the default on webgpu: sampling on the device
    const device = await generate({ params, config }, {
      ...common,
      rowRngs: rowRngs(),
      syncEvery: 3,
    });
    assertEquals(tf.memory().numTensors, before, "tensors left behind");
    assertEquals(device.map((r) => r.tokens), host.map((r) => r.tokens));
    device.forEach((r, i) =>
      r.logProbs.forEach((lp, t) => assertLess(Math.abs(lp - host[i].logProbs[t]), 1e-4))
    );
    const greedy = { prompts, maxNewTokens: 8, greedy: true };
    assertEquals(
      (await generateOnDevice({ params, config }, greedy)).map((r) => r.tokens),
      (await generate({ params, config }, { ...greedy, sampleOn: "host" })).map((r) => r.tokens),
    );
    disposeParams(params);
  },
});
