import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "@std/assert";
import { type BackendName, initBackend } from "./backend.ts";
import { loadBlas } from "./blas.ts";
import { fusedAttentionAvailable, installFusedAttention } from "./fused_attention.ts";
import { wasmGemm } from "./wasm_gemm.ts";
import { attention, causalMask } from "./attention.ts";
import { forward, paddingTerms } from "./transformer.ts";
import { disposeParams, initParams, type Params } from "./params.ts";
import { tokenLogProbs } from "./logprobs.ts";
import { assertClose } from "./_testing.ts";
import { createPrng } from "../rng/prng.ts";

const hasBlas = loadBlas() !== null;
const FUSED: BackendName[] = ["wasm", ...(hasBlas ? ["blas" as const] : [])];
const config = { vocabSize: 13, width: 16, depth: 2, heads: 4, contextLength: 12 };

/** Takes the fused kernels away (tfjs ops from then on) until the next initBackend. */
function removeFusedKernels(): void {
  installFusedAttention(wasmGemm())();
}

Deno.test("fusedAttentionAvailable: on wasm and blas, for a float32 mask that broadcasts to [B, H, T, T]", async () => {
  const shape = { batch: 3, heads: 2 };
  const masks = [[5, 5], [3, 1, 5, 5], [3, 2, 5, 5], [1, 1, 1, 5], [4, 5], [3, 2, 5, 4]];
  for (const backend of FUSED) {
    await initBackend(backend);
    const available = masks.map((m) => {
      const mask = tf.zeros(m);
      const yes = fusedAttentionAvailable(mask, { shape, time: 5 });
      mask.dispose();
      return yes;
    });
    assertEquals(available, [true, true, true, true, false, false], backend);
    const ints = tf.zeros([5, 5], "int32");
    assertEquals(fusedAttentionAvailable(ints, { shape, time: 5 }), false);
    ints.dispose();
  }
  await initBackend("cpu"); // no fused kernels there: model/attention.ts's tfjs ops
  const mask = tf.zeros([5, 5]);
  assertEquals(fusedAttentionAvailable(mask, { shape, time: 5 }), false);
  mask.dispose();
});

/** One attention sub-layer's output and its gradients (input, every parameter) as arrays. */
async function attentionAndGrads(
  params: Params,
  x: tf.Tensor2D,
  mask: tf.Tensor,
): Promise<Float32Array[]> {
  const shape = { batch: 3, queries: x.shape[0] / 3, heads: config.heads };
  const names = Object.keys(params).filter((k) => k.startsWith("blocks.0.attention."));
  const run = (input: tf.Tensor, ...weights: tf.Tensor[]) => {
    const p = { ...params, ...Object.fromEntries(names.map((n, i) => [n, weights[i]])) };
    const { output } = attention({ params: p, prefix: "blocks.0" }, {
      x: input as tf.Tensor2D,
      shape,
      mask,
      keepKeyValues: false,
    });
    return output;
  };
  const output = tf.tidy(() => run(x, ...names.map((n) => params[n])));
  // a loss that weights every output differently, so each gradient entry is checked
  const weights = tf.randomUniform(output.shape, -1, 1, "float32", 7);
  const loss = (...args: tf.Tensor[]) => tf.sum(tf.mul(run(args[0], ...args.slice(1)), weights));
  const grads = tf.grads(loss)([x, ...names.map((n) => params[n])]);
  const out = [await output.data() as Float32Array];
  for (const g of grads) out.push(await g.data() as Float32Array);
  tf.dispose([output, weights, ...grads]);
  return out;
}

for (const backend of FUSED) {
  Deno.test(`fused attention: output and gradients within 1e-4 of the tfjs ops, causal and padded masks [${backend}]`, async () => {
    await initBackend(backend);
    const params = initParams(config, createPrng(3));
    const time = 7;
    const x = tf.randomNormal([3 * time, config.width], 0, 1, "float32", 5) as tf.Tensor2D;
    const causal = causalMask(time);
    const padMask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1], [
      0,
      0,
      0,
      0,
      0,
      1,
      1,
    ]]);
    const padded = tf.add(causal, paddingTerms(padMask).keyBias);
    try {
      for (const mask of [causal, padded]) {
        await initBackend(backend);
        assert(fusedAttentionAvailable(mask, { shape: { batch: 3, heads: config.heads }, time }));
        const before = tf.memory().numTensors;
        const fused = await attentionAndGrads(params, x, mask);
        assertEquals(tf.memory().numTensors, before, "no tensor leaked");
        removeFusedKernels();
        const ops = await attentionAndGrads(params, x, mask);
        assertEquals(fused.length, 6); // output, d input, d qkv (weight, bias), d output (w, b)
        fused.forEach((values, i) =>
          assertClose(values, ops[i], { tolerance: 1e-4, what: `output/gradient ${i}` })
        );
      }
    } finally {
      tf.dispose([x, causal, padMask, padded]);
      disposeParams(params);
      await initBackend(backend);
    }
  });
}

Deno.test("forward and the training gradient: fused on wasm and blas, within 1e-4 of cpu's tfjs ops", async () => {
  const params = initParams(config, createPrng(4));
  const rng = createPrng(5);
  const ids = Int32Array.from(
    { length: 2 * config.contextLength },
    () => rng.int(config.vocabSize),
  );
  const run = async () => {
    const tokens = tf.tensor2d(ids, [2, config.contextLength], "int32");
    const targets = tf.tensor1d(ids.map((_, i) => ids[(i + 1) % ids.length]), "int32");
    const { value, grads } = tf.variableGrads(() => {
      const logits = tf.reshape(forward({ params, config }, tokens), [-1, config.vocabSize]);
      return tf.neg(tf.mean(tokenLogProbs(logits as tf.Tensor2D, targets))) as tf.Scalar;
    }, Object.values(params) as tf.Variable[]);
    const out = [await value.data() as Float32Array];
    for (const p of Object.values(params)) out.push(await grads[p.name].data() as Float32Array);
    tf.dispose([tokens, targets, value, ...Object.values(grads)]);
    return out;
  };
  try {
    await initBackend("cpu");
    const cpu = await run();
    for (const backend of FUSED) {
      await initBackend(backend);
      const before = tf.memory().numTensors;
      let fused: Float32Array[] = [];
      const profile = await tf.profile(async () => {
        fused = await run();
      });
      assertEquals(tf.memory().numTensors, before);
      const kernels = profile.kernels.map((k) => k.name);
      assert(kernels.includes("IrpmFusedAttention") && kernels.includes("IrpmFusedAttentionGrad"));
      fused.forEach((values, i) =>
        assertClose(values, cpu[i], { tolerance: 1e-4, what: `${backend} ${i}` })
      );
    }
  } finally {
    await initBackend("wasm");
    disposeParams(params);
  }
});
