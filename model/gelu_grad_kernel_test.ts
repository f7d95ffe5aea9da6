import * as tf from "@tensorflow/tfjs-core";
import { assert } from "@std/assert";
import { initBackend } from "./backend.ts";
import { geluGrad } from "./gelu_grad_kernel.ts";
import { gelu } from "./layers.ts";
import { assertClose, TEST_BACKENDS } from "./_testing.ts";

for (const backend of TEST_BACKENDS.filter((b) => b !== "cpu")) {
  Deno.test(`geluGrad kernel: the ops formula within 1e-5, and gelu's gradient runs on it [${backend}]`, async () => {
    await initBackend(backend);
    const [k1, k3] = [1.6, 0.07];
    const x = tf.randomNormal([37, 11], 0, 2, "float32", 1);
    const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(tf.square(x), k3), k1)));
    const dy = tf.randomNormal([37, 11], 0, 1, "float32", 2);
    const fused = geluGrad(dy, { x, s, constants: { k1, k3 } });
    assert(fused !== null);
    const ops = tf.mul(
      dy,
      tf.add(
        s,
        tf.mul(tf.mul(s, tf.sub(1, s)), tf.mul(x, tf.add(tf.mul(tf.square(x), 3 * k3), k1))),
      ),
    );
    assertClose(await fused.data(), await ops.data(), { tolerance: 1e-5 });
    const profile = await tf.profile(() => {
      tf.grad((t: tf.Tensor) => tf.sum(gelu(t)))(x).dispose();
    });
    assert(profile.kernels.some((k) => k.name === "IrpmGeluGrad"));
    tf.dispose([x, s, dy, fused, ops]);
  });
}
