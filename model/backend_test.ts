import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { assertClose } from "./_testing.ts";
import {
  BackendError,
  type BackendName,
  BackendUnavailableError,
  describeAdapter,
  initBackend,
  initTensorflow,
  isNpmPackageInstalled,
  TENSORFLOW_MODULES,
} from "./backend.ts";
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
  const logits = forward({ params, config }, tokens, { padMask });
  const values = await logits.data() as Float32Array; // await data(): dataSync throws on webgpu
  tf.dispose([tokens, padMask, logits]);
  disposeParams(params);
  return values;
}

Deno.test("backends: wasm agrees with cpu within 1e-4 on a tiny forward", async () => {
  const reference = await tinyLogits("cpu");
  assertClose(await tinyLogits("wasm"), reference, { tolerance: 1e-4, what: "wasm vs cpu logits" });
});

Deno.test({
  name: "backends: webgpu agrees with cpu within 1e-4 on a tiny forward",
  ignore: !("gpu" in navigator) || Deno.env.get("IRPM_SKIP_WEBGPU") === "1",
  async fn() {
    const reference = await tinyLogits("cpu");
    const info = await initBackend("webgpu");
    assert(info.device.length > 0);
    if (info.isFallbackAdapter) assertStringIncludes(info.device, "not a GPU");
    assertClose(await tinyLogits("webgpu"), reference, {
      tolerance: 1e-4,
      what: "webgpu vs cpu logits",
    });
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

Deno.test("initTensorflow: a package that is not installed is never imported", async () => {
  const loaded: string[] = [];
  const load = (specifier: string) => {
    loaded.push(specifier);
    return Promise.resolve();
  };
  const error = await assertRejects(
    () => initTensorflow({ load, installed: () => false }),
    BackendUnavailableError,
  );
  assert(error instanceof BackendError); // one class for every backend that cannot start
  assertEquals(loaded, []);
  assertStringIncludes(error.message, 'backend "tensorflow" is not installed');
  assertStringIncludes(error.message, "deno add npm:@tensorflow/tfjs-node@4.22.0");
  assertStringIncludes(error.message, "--backend wasm");
  assertStringIncludes(error.message, "--backend webgpu");
  // Only the installed modules are tried.
  const some = await assertRejects(() =>
    initTensorflow({
      load: (specifier) => Promise.reject(new Error(`cannot load ${specifier}`)),
      installed: (specifier) => specifier === TENSORFLOW_MODULES[1],
    })
  );
  assertStringIncludes(String(some), "tfjs-node@4.22.0: cannot load");
  assertEquals(String(some).includes("tfjs-node-gpu"), false);
});

Deno.test("isNpmPackageInstalled: installed packages yes; unknown ones no, without a download", async () => {
  const lock = await Deno.readFile(new URL("../deno.lock", import.meta.url));
  assertEquals(isNpmPackageInstalled("npm:@tensorflow/tfjs-backend-wasm@4.22.0"), true);
  assertEquals(isNpmPackageInstalled("@tensorflow/tfjs-core"), true); // import-map name
  assertEquals(isNpmPackageInstalled("npm:@tensorflow/no-such-package@1.0.0"), false);
  assertEquals(isNpmPackageInstalled("@tensorflow/not-in-the-import-map"), false);
  assertEquals(await Deno.readFile(new URL("../deno.lock", import.meta.url)), lock);
});
