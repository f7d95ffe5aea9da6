import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "./backend.ts";
import { layerNormBackward } from "./layer_norm_kernel.ts";
import { LAYER_NORM_EPS, layerNorm } from "./layers.ts";
import { assertClose, TEST_BACKENDS } from "./_testing.ts";

for (const backend of TEST_BACKENDS.filter((b) => b !== "cpu")) {
  Deno.test(`layerNorm backward kernel: the ops formula within 1e-5, and layerNorm's gradient runs on it [${backend}]`, async () => {
    await initBackend(backend);
    const x = tf.add(tf.randomNormal([37, 24], 0, 3, "float32", 1), 5);
    const w = tf.randomNormal([24], 1, 0.5, "float32", 2),
      b = tf.randomNormal([24], 0, 1, "float32", 3);
    const dy = tf.randomNormal([37, 24], 0, 1, "float32", 4);
    const [normed, rstd] = tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(tf.sub(x, mean)), -1, true), LAYER_NORM_EPS));
      return [tf.mul(tf.sub(x, mean), r), r];
    });
    const before = tf.memory().numTensors;
    const [dx, dw, db] = layerNormBackward(dy, { normed, rstd, weight: w })!;
    assertEquals(tf.memory().numTensors, before + 3);
    // the same formulas as tfjs ops
    const ops = tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(tf.sub(x, mean)), -1, true), LAYER_NORM_EPS));
      const hat = tf.mul(tf.sub(x, mean), r);
      const g = tf.mul(dy, w);
      const dxOps = tf.mul(
        tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(hat, tf.mean(tf.mul(g, hat), -1, true))),
        r,
      );
      return [dxOps, tf.sum(tf.mul(dy, hat), 0), tf.sum(dy, 0)];
    });
    const fused = [dx, dw, db];
    for (let i = 0; i < 3; i++) {
      assertClose(await fused[i].data(), await ops[i].data(), { tolerance: 1e-5, what: `${i}` });
    }
    const profile = await tf.profile(() => {
      tf.grads((a: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(layerNorm(a as tf.Tensor2D, { weight: c, bias: b }), dy))
      )([x, w])
        .forEach((t) => t.dispose());
    });
    const names = profile.kernels.map((k) => k.name);
    assert(names.includes("IrpmLayerNormGrad"));
    tf.dispose([x, w, b, dy, normed, rstd, ...fused, ...ops]);
  });
}
