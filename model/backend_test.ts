import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { assertClose } from "./_testing.ts";
import { type BackendName, describeAdapter, initBackend, initTensorflow } from "./backend.ts";
import { presetConfig } from "./config.ts";
import { disposeParams, initParams } from "./params.ts";
import { forward } from "./transformer.ts";

const config = presetConfig("tiny");

async function tinyLogits(backend: BackendName): Promise<Float32Array> {
  const info = await initBackend(backend);
  assertEquals([info.name, tf.getBackend()], [backend, backend]);
  const params = initParams(config, createPrng(21));
  const tokens = tf.tensor2d([[1, 40, 50, 60, 7], [1, 2, 3, 4, 5]], [2, 5], "int32");
  const padMask = tf.tensor2d([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]]);
  const logits = forward(params, config, tokens, { padMask });
  const values = await logits.data() as Float32Array; // await data(): dataSync throws on webgpu
  tf.dispose([tokens, padMask, logits]);
  disposeParams(params);
  return values;
}

Deno.test("backends: wasm agrees with cpu within 1e-4 on a tiny forward", async () => {
  const reference = await tinyLogits("cpu");
  assertClose(await tinyLogits("wasm"), reference, 1e-4, "wasm vs cpu logits");
});

Deno.test({
  name: "backends: webgpu agrees with cpu within 1e-4 on a tiny forward",
  ignore: !("gpu" in navigator) || Deno.env.get("IRPM_SKIP_WEBGPU") === "1",
  async fn() {
    const reference = await tinyLogits("cpu");
    const info = await initBackend("webgpu");
    assert(info.device.length > 0);
    if (info.isFallbackAdapter) assertStringIncludes(info.device, "not a GPU");
    assertClose(await tinyLogits("webgpu"), reference, 1e-4, "webgpu vs cpu logits");
    await initBackend("cpu");
  },
});

Deno.test("describeAdapter: software adapters are never called a GPU", () => {
  const llvmpipe = describeAdapter({
    vendor: "65541",
    description: "llvmpipe (LLVM 15.0.6, 256 bits)",
  }, false);
  assertEquals(llvmpipe, {
    device: "llvmpipe (CPU software rasterizer, not a GPU)",
    isFallbackAdapter: true,
  });
  const flagged = describeAdapter({ description: "Some Adapter" }, true);
  assertStringIncludes(flagged.device, "not a GPU");
  const h100 = describeAdapter({
    vendor: "nvidia",
    architecture: "hopper",
    description: "NVIDIA H100 80GB HBM3",
  }, false);
  assertEquals(h100, { device: "NVIDIA H100 80GB HBM3 (hopper)", isFallbackAdapter: false });
});

Deno.test("initBackend: tensorflow failure explains why and suggests wasm/webgpu", async () => {
  const load = (specifier: string) => Promise.reject(new Error(`cannot load ${specifier}`));
  const error = await assertRejects(() => initTensorflow({ load }));
  assertStringIncludes(String(error), "tfjs-node-gpu@4.22.0: cannot load");
  assertStringIncludes(String(error), "--backend wasm or --backend webgpu");
  await assertRejects(
    () => initBackend("nope" as BackendName),
    TypeError,
    'unknown backend "nope"',
  );
});
