/**
 * Regression: tf.addN over many inputs returns one of its inputs on tfjs-backend-webgpu 4.22, which
 * broke the global gradient norm (and so clipping) on the GPU path. The norm of 16 tensors must
 * match the plain-number norm on every backend available here.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assertAlmostEquals } from "@std/assert";
import { type BackendName, initBackend } from "../model/backend.ts";
import { globalNorm } from "./clip_grad.ts";

const hasGpu = typeof navigator !== "undefined" && "gpu" in navigator &&
  (await navigator.gpu.requestAdapter()) !== null;

const backends: BackendName[] = ["cpu", "wasm", ...(hasGpu ? ["webgpu" as const] : [])];
for (const backend of backends) {
  Deno.test(`globalNorm of 16 tensors is exact on ${backend}`, async () => {
    await initBackend(backend);
    const values = Array.from({ length: 16 }, (_, i) => [i + 1, -(i % 3), 0.5]);
    const tensors = values.map((v) => tf.tensor1d(v));
    const norm = globalNorm(tensors);
    // sqrt(sum over i of (i+1)^2 + (i mod 3)^2 + 0.25)
    const expected = Math.sqrt(values.flat().reduce((a, x) => a + x * x, 0));
    assertAlmostEquals((await norm.data())[0], expected, 1e-4);
    tf.dispose([norm, ...tensors]);
  });
}
