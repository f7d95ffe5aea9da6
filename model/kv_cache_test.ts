import * as tf from "@tensorflow/tfjs-core";
import { assertEquals, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { assertClose, testOnBackends } from "./_testing.ts";
import { presetConfig } from "./config.ts";
import { decodeStep, disposeKvCache, leftPad, prefill } from "./kv_cache.ts";
import { disposeParams, initParams } from "./params.ts";
import { forward } from "./transformer.ts";

const config = presetConfig("tiny");

/** Next-token logits [V] of one unpadded sequence, by a full forward pass. */
async function uncachedLast(params: ReturnType<typeof initParams>, sequence: number[]) {
  const tokens = tf.tensor2d(sequence, [1, sequence.length], "int32");
  const logits = forward({ params, config }, tokens);
  const all = await logits.data();
  tf.dispose([tokens, logits]);
  return all.slice((sequence.length - 1) * config.vocabSize);
}

testOnBackends(
  "kv cache: prefill + decode steps equal full re-runs (left-padded, ragged prompts)",
  async () => {
    const params = initParams(config, createPrng(9));
    const rng = createPrng(10);
    const prompts = [3, 7, 5].map((n) =>
      Array.from({ length: n }, () => rng.int(config.vocabSize))
    );
    const sequences = prompts.map((p) => [...p]);
    let { logits, cache } = prefill({ params, config }, prompts);
    for (let step = 0; step <= 6; step++) {
      const cached = await logits.data();
      for (let b = 0; b < prompts.length; b++) {
        const row = cached.slice(b * config.vocabSize, (b + 1) * config.vocabSize);
        assertClose(row, await uncachedLast(params, sequences[b]), {
          tolerance: 1e-4,
          what: `row ${b} step ${step}`,
        });
      }
      if (step === 6) break;
      const next = sequences.map(() => rng.int(config.vocabSize));
      next.forEach((id, b) => sequences[b].push(id));
      const out = decodeStep({ params, config }, { cache, tokens: next });
      logits.dispose();
      disposeKvCache(cache);
      ({ logits, cache } = out);
    }
    assertEquals(cache.nextPositions, [9, 13, 11]);
    assertEquals(cache.layers[0].key.shape, [3, config.heads, 13, config.width / config.heads]);
    logits.dispose();
    disposeKvCache(cache);
    disposeParams(params);
  },
);

Deno.test("leftPad: right-aligns rows; rejects empty input", () => {
  const padded = leftPad([[7], [1, 2, 3]]);
  assertEquals([padded.batch, padded.length, padded.lengths], [2, 3, [1, 3]]);
  assertEquals(Array.from(padded.tokens), [0, 0, 7, 1, 2, 3]);
  assertThrows(() => leftPad([]), RangeError, "at least one row");
  assertThrows(() => leftPad([[]]), RangeError, "empty");
});

Deno.test("kv cache: decoding past contextLength or with a wrong batch throws", () => {
  const params = initParams(config, createPrng(1));
  const { logits, cache } = prefill({ params, config }, [Array(config.contextLength).fill(9)]);
  assertThrows(
    () => decodeStep({ params, config }, { cache, tokens: [9] }),
    RangeError,
    "contextLength",
  );
  assertThrows(
    () => decodeStep({ params, config }, { cache, tokens: [9, 9] }),
    RangeError,
    "batch of 1",
  );
  assertThrows(
    () => prefill({ params, config }, [Array(config.contextLength + 1).fill(9)]),
    RangeError,
    "65",
  );
  logits.dispose();
  disposeKvCache(cache);
  disposeParams(params);
});
