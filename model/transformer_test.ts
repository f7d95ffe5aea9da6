import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertGreater, assertLess, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { assertClose, maxAbsDiff, testOnBackends } from "./_testing.ts";
import { presetConfig } from "./config.ts";
import { disposeParams, initParams } from "./params.ts";
import { forward } from "./transformer.ts";

const config = presetConfig("tiny");
const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0].length], "int32");
const randomRow = (seed: number, length: number) => {
  const rng = createPrng(seed);
  return Array.from({ length }, () => rng.int(config.vocabSize));
};

testOnBackends("forward: logits [B, T, V], finite", async () => {
  const params = initParams(config, createPrng(1));
  const tokens = ids([randomRow(1, 10), randomRow(2, 10), randomRow(3, 10)]);
  const logits = forward({ params, config }, tokens);
  assertEquals(logits.shape, [3, 10, config.vocabSize]);
  assert((await logits.data()).every(Number.isFinite));
  tf.dispose([logits, tokens]);
  disposeParams(params);
});

testOnBackends("forward: changing token t leaves logits at positions < t unchanged", async () => {
  const params = initParams(config, createPrng(2));
  const row = randomRow(4, 12);
  const changed = [...row];
  changed[7] = (row[7] + 1) % config.vocabSize;
  const [a, b] = [row, changed].map((r) => forward({ params, config }, ids([r])));
  const [va, vb] = [await a.data(), await b.data()];
  const before = 7 * config.vocabSize; // positions 0..6
  assertClose(va.slice(0, before), vb.slice(0, before), {
    tolerance: 0,
    what: "logits before the change",
  });
  assertGreater(maxAbsDiff(va.slice(before), vb.slice(before)), 1e-4); // the change is visible
  tf.dispose([a, b]);
  disposeParams(params);
});

testOnBackends(
  "forward: a left-padded row matches the unpadded row at its real positions",
  async () => {
    const params = initParams(config, createPrng(3));
    const short = randomRow(5, 6), long = randomRow(6, 9);
    const padded = ids([[0, 0, 0, ...short], long]);
    const padMask = tf.tensor2d([[0, 0, 0, 1, 1, 1, 1, 1, 1], Array(9).fill(1)]);
    const both = forward({ params, config }, padded, { padMask });
    const alone = forward({ params, config }, ids([short]));
    const shortLogits = (await both.data()).slice(3 * config.vocabSize, 9 * config.vocabSize);
    assertClose(shortLogits, await alone.data(), {
      tolerance: 1e-4,
      what: "padded vs unpadded logits",
    });
    const longAlone = forward({ params, config }, ids([long]));
    assertClose((await both.data()).slice(9 * config.vocabSize), await longAlone.data(), {
      tolerance: 1e-4,
    });
    tf.dispose([padded, padMask, both, alone, longAlone]);
    disposeParams(params);
  },
);

testOnBackends(
  "training: every parameter gets a finite nonzero gradient; Adam lowers the loss",
  async () => {
    const params = initParams(config, createPrng(4));
    const tokens = ids([randomRow(7, 16), randomRow(8, 16)]);
    const targets = tf.tidy(() =>
      tf.cast(tf.oneHot(tf.reshape(tf.reverse(tokens, 1), [-1]), config.vocabSize), "float32")
    );
    const loss = () =>
      tf.losses.softmaxCrossEntropy(
        targets,
        tf.reshape(forward({ params, config }, tokens), [-1, config.vocabSize]),
      ) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, Object.values(params));
    for (const [name, p] of Object.entries(params)) {
      const g = await grads[p.name].data();
      assert(g.every(Number.isFinite), `${name} gradient finite`);
      assertGreater(Math.max(...g.map(Math.abs)), 0, `${name} gradient nonzero`);
    }
    const first = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    const before = await params["blocks.0.mlp.hidden.weight"].data();
    const optimizer = tf.train.adam(1e-2);
    optimizer.minimize(loss, true)?.dispose();
    assertGreater(maxAbsDiff(await params["blocks.0.mlp.hidden.weight"].data(), before), 0); // one step
    for (let step = 1; step < 10; step++) optimizer.minimize(loss, true)?.dispose();
    const last = tf.tidy(loss);
    assertLess((await last.data())[0], first - 0.5); // 10 steps on one batch: a clear drop
    tf.dispose([last, tokens, targets]);
    optimizer.dispose();
    disposeParams(params);
  },
);

Deno.test("forward: bad token tensors throw errors quoting dtype/shape/length", () => {
  const params = initParams(config, createPrng(5));
  const floats = tf.zeros([1, 3]) as tf.Tensor2D;
  assertThrows(() => forward({ params, config }, floats), TypeError, "float32 [1,3]");
  const tooLong = tf.zeros([1, config.contextLength + 1], "int32") as tf.Tensor2D;
  assertThrows(() => forward({ params, config }, tooLong), RangeError, "65");
  const tokens = tf.zeros([1, 3], "int32") as tf.Tensor2D;
  const other = initParams({ ...config, width: 16 }, createPrng(6));
  assertThrows(
    () =>
      forward({
        params: { ...params, "blocks.0.mlp.hidden.weight": other["blocks.0.mlp.hidden.weight"] },
        config,
      }, tokens),
    RangeError,
    'parameter "blocks.0.mlp.hidden.weight" has shape [16,64], the config needs [32,128]',
  );
  const missing = { ...params };
  delete missing["finalNorm.bias"];
  assertThrows(
    () => forward({ params: missing, config }, tokens),
    RangeError,
    '"finalNorm.bias" is missing',
  );
  tf.dispose([floats, tooLong, tokens]);
  disposeParams(other);
  disposeParams(params);
});
