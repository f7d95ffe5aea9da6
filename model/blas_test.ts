import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "./backend.ts";
import { installBlasMatMul, loadBlas } from "./blas.ts";
import { linear } from "./layers.ts";
import { createPrng } from "../rng/prng.ts";

await initBackend("wasm");
const blas = loadBlas();

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createPrng(seed);
  const size = shape.reduce((a, d) => a * d, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.next() * 2 - 1), shape);
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  assertEquals(a.shape, b.shape);
  const x = await a.data() as Float32Array, y = await b.data() as Float32Array;
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  return max;
}

Deno.test({
  name: "BLAS matMul kernels: every transpose, batch broadcast and fused bias within 1e-4 of wasm",
  ignore: blas === null,
  async fn() {
    const cases: [number[], number[], boolean, boolean][] = [
      [[7, 5], [5, 3], false, false],
      [[5, 7], [5, 3], true, false],
      [[7, 5], [3, 5], false, true],
      [[5, 7], [3, 5], true, true],
      [[4, 6, 5], [4, 5, 3], false, false], // attention-like batches
      [[4, 6, 5], [4, 3, 5], false, true],
      [[2, 3, 6, 5], [1, 5, 4], false, false], // b broadcast over the batch
      [[64, 128], [128, 384], false, false], // the model's shapes
    ];
    const inputs = cases.map(([sa, sb], i) => [random(sa, i), random(sb, 100 + i)]);
    const bias = random([384], 7);
    const wasm = cases.map(([, , ta, tb], i) => tf.matMul(inputs[i][0], inputs[i][1], ta, tb));
    const wasmFused = tf.fused.matMul({
      a: inputs[7][0] as tf.Tensor2D,
      b: inputs[7][1] as tf.Tensor2D,
      bias,
    });
    const restore = installBlasMatMul(blas!, { minMacs: 0 }); // every product on BLAS
    try {
      const before = tf.memory().numTensors;
      for (const [i, [, , ta, tb]] of cases.entries()) {
        const out = tf.matMul(inputs[i][0], inputs[i][1], ta, tb);
        assert((await maxAbsDiff(out, wasm[i])) < 1e-4, `case ${i}`);
        out.dispose();
      }
      const fused = tf.fused.matMul({
        a: inputs[7][0] as tf.Tensor2D,
        b: inputs[7][1] as tf.Tensor2D,
        bias,
      });
      assert((await maxAbsDiff(fused, wasmFused)) < 1e-4, "fused with bias");
      fused.dispose();
      // the kit's linear layer, forward and backward
      const [x, w, b] = [random([16, 32], 1), random([32, 8], 2), random([8], 3)];
      const grads = tf.grads((xx, ww, bb) =>
        tf.sum(tf.square(linear(xx as tf.Tensor2D, { weight: ww, bias: bb })))
      );
      const blasGrads = grads([x, w, b]);
      restore();
      const wasmGrads = grads([x, w, b]);
      for (const [i, g] of blasGrads.entries()) {
        assert((await maxAbsDiff(g, wasmGrads[i])) < 1e-4, `grad ${i}`);
      }
      tf.dispose([...blasGrads, ...wasmGrads, x, w, b]);
      assertEquals(tf.memory().numTensors, before); // nothing leaked
    } finally {
      restore();
      tf.dispose([...inputs.flat(), ...wasm, wasmFused, bias]);
    }
  },
});

Deno.test("loadBlas: a library that is not there gives null, not an error", () => {
  assertEquals(loadBlas({ libraries: ["libno-such-blas.so.9"] }), null);
});

Deno.test({
  name: "initBackend('blas') replaces the wasm matmuls; initBackend('wasm') puts them back",
  ignore: blas === null,
  async fn() {
    const wasmKernel = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
    const info = await initBackend("blas");
    assertEquals(info.name, "blas");
    assert(/sgemm, \d+ threads?\)$/.test(info.device), info.device);
    assert(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc !== wasmKernel);
    await initBackend("wasm");
    assert(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc === wasmKernel);
  },
});
