/**
 * Incremental decoding with a key/value cache: run the prompts once ({@link prefill}), then one
 * token per row per step ({@link decodeStep}) attending to the cached keys and values, instead of
 * re-running the whole prefix.
 *
 * Prompts of different lengths are LEFT-padded with PAD to a common length P, so every row's
 * newest token sits in the same column and one `[B, 1]` step serves the whole batch. Padded keys
 * are masked out and position ids count real tokens only, so each row's logits equal those of its
 * unpadded prompt (and those of a right-padded training batch). Finished rows keep being fed
 * (their outputs are ignored by the sampler).
 *
 * Who frees what: every tensor in a returned {@link KvCache} and every returned logits tensor
 * belongs to the caller. `decodeStep` does not dispose the cache it is given; dispose it with
 * {@link disposeKvCache} once the new one is in hand.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { causalMask, type LayerKeyValues, MASKED } from "./attention.ts";
import { checkParams, type Model } from "./params.ts";
import { PAD_ID } from "./tokenizer.ts";
import { embed, head, stack } from "./transformer.ts";

/** Cached keys/values of a batch of left-padded rows. */
export interface KvCache {
  /** Per layer: keys and values `[B, H, Tk, hd]`. */
  readonly layers: readonly LayerKeyValues[];
  /** Additive key-padding bias `[B, 1, 1, Tk]`: 0 for real keys, MASKED for padding. */
  readonly keyBias: tf.Tensor4D;
  /** Position id of the next token of each row (= real tokens so far). */
  readonly nextPositions: readonly number[];
}

/** Left-padded batch: ids and 0/1 mask, both row-major `[B, P]`. */
export interface LeftPadded {
  readonly tokens: Int32Array;
  readonly padMask: Float32Array;
  readonly batch: number;
  readonly length: number;
  /** Real (unpadded) length of each row. */
  readonly lengths: readonly number[];
}

/**
 * Left-pads token rows with PAD to the longest row, or to `width` when that is longer.
 *
 * A fixed `width` makes each row's logits independent of its batch-mates bit for bit (the
 * attention sums then run over the same number of keys whoever else is in the batch); padding to
 * the longest row changes them by float rounding only.
 *
 * @example
 * ```ts
 * import { leftPad } from "./kv_cache.ts";
 * import { assertEquals } from "@std/assert";
 * const padded = leftPad([[5, 6], [7]]);
 * assertEquals(Array.from(padded.tokens), [5, 6, 0, 7]);
 * assertEquals(Array.from(padded.padMask), [1, 1, 0, 1]);
 * assertEquals(Array.from(leftPad([[7]], { width: 3 }).tokens), [0, 0, 7]);
 * ```
 */
export function leftPad(
  rows: readonly (readonly number[])[],
  options: { width?: number } = {},
): LeftPadded {
  if (rows.length === 0) throw new RangeError("leftPad needs at least one row, got 0");
  const length = Math.max(options.width ?? 0, ...rows.map((row) => row.length));
  if (length === 0) throw new RangeError("every prompt is empty; start prompts with BOS");
  const tokens = new Int32Array(rows.length * length).fill(PAD_ID);
  const padMask = new Float32Array(rows.length * length);
  rows.forEach((row, b) => {
    const offset = b * length + length - row.length;
    tokens.set(row, offset);
    padMask.fill(1, offset, (b + 1) * length);
  });
  return { tokens, padMask, batch: rows.length, length, lengths: rows.map((row) => row.length) };
}

/** Last position of each row: [B * T, D] -> [B, D]. */
function lastPositions(hidden: tf.Tensor2D, batch: number, time: number): tf.Tensor2D {
  const width = hidden.shape[1];
  const rows = tf.reshape(hidden, [batch, time, width]); // [B, T, D]
  return tf.reshape(tf.slice(rows, [0, time - 1, 0], [batch, 1, width]), [batch, width]); // [B, D]
}

/**
 * Runs the (left-padded) prompts once and returns the logits of each row's next token [B, V]
 * plus the cache. `options.width` pads every row to at least that many tokens ({@link leftPad}).
 *
 * @example
 * ```ts
 * import { prefill, disposeKvCache } from "./kv_cache.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 11, width: 8, depth: 1, heads: 2, contextLength: 8 };
 * const params = initParams(config, createPrng(0));
 * const { logits, cache } = prefill({ params, config }, [[1, 4, 5], [1]]);
 * assertEquals(logits.shape, [2, 11]);
 * assertEquals(cache.nextPositions, [3, 1]);
 * logits.dispose();
 * disposeKvCache(cache);
 * disposeParams(params);
 * ```
 */
export function prefill(
  model: Model,
  prompts: readonly (readonly number[])[],
  options: { width?: number } = {},
): { logits: tf.Tensor2D; cache: KvCache } {
  const { params, config } = model;
  checkParams(params, config);
  const padded = leftPad(prompts, options);
  const { batch, length } = padded;
  if (length > config.contextLength) {
    throw new RangeError(`prompt length ${length} exceeds contextLength ${config.contextLength}`);
  }
  const positionIds = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    const pads = length - padded.lengths[b];
    for (let t = pads; t < length; t++) positionIds[b * length + t] = t - pads;
  }
  const result = tf.tidy(() => {
    const tokens = tf.tensor2d(padded.tokens, [batch, length], "int32");
    const positions = tf.tensor2d(positionIds, [batch, length], "int32");
    const keyBias = tf.mul(tf.sub(1, tf.tensor4d(padded.padMask, [batch, 1, 1, length])), MASKED);
    const mask = tf.add(causalMask(length), keyBias); // [B, 1, P, P]
    const x = embed(params, tokens, positions); // [B * P, D]
    const { hidden, keyValues } = stack(model, { x, batch, queries: length, mask });
    const logits = head(params, lastPositions(hidden, batch, length)); // [B, V]
    return { logits, keyBias: keyBias as tf.Tensor4D, keyValues };
  });
  return {
    logits: result.logits,
    cache: { layers: result.keyValues, keyBias: result.keyBias, nextPositions: padded.lengths },
  };
}

/**
 * Feeds one token per row (`tokens[b]`) and returns the next-token logits [B, V] and the grown
 * cache. The given cache is left intact (the caller disposes it). `tokens` may be an int32 tensor
 * `[B]` already on the device (sampling on the device: nothing is read back); it is not disposed.
 */
export function decodeStep(
  model: Model,
  input: { cache: KvCache; tokens: readonly number[] | tf.Tensor1D },
): { logits: tf.Tensor2D; cache: KvCache } {
  const { params, config } = model;
  const { cache, tokens } = input;
  const batch = cache.nextPositions.length;
  const given = tokens instanceof tf.Tensor ? tokens.shape[0] : tokens.length;
  if (given !== batch) {
    throw new RangeError(`decodeStep got ${given} tokens for a batch of ${batch}`);
  }
  const tooFar = cache.nextPositions.find((p) => p >= config.contextLength);
  if (tooFar !== undefined) {
    throw new RangeError(`position ${tooFar} is past contextLength ${config.contextLength}`);
  }
  const result = tf.tidy(() => {
    const ids = tokens instanceof tf.Tensor
      ? tf.reshape(tf.cast(tokens, "int32"), [batch, 1]) as tf.Tensor2D
      : tf.tensor2d(Int32Array.from(tokens), [batch, 1], "int32");
    const positions = tf.tensor2d(Int32Array.from(cache.nextPositions), [batch, 1], "int32");
    const keyBias = tf.concat([cache.keyBias, tf.zeros([batch, 1, 1, 1])], 3); // [B, 1, 1, Tk]
    const x = embed(params, ids, positions); // [B, D]
    const { hidden, keyValues } = stack(model, {
      x,
      batch,
      queries: 1,
      mask: keyBias,
      past: cache.layers,
    });
    return { logits: head(params, hidden), keyBias: keyBias as tf.Tensor4D, keyValues }; // [B, V]
  });
  return {
    logits: result.logits,
    cache: {
      layers: result.keyValues,
      keyBias: result.keyBias,
      nextPositions: cache.nextPositions.map((p) => p + 1),
    },
  };
}

/**
 * The cache of a subset of its rows (`rows`: row indices, in the new order), as a new cache; the
 * given one is left intact (the caller disposes it). Each kept row's keys, values, padding bias
 * and position are copied unchanged, so its next logits are the same as before.
 *
 * @example
 * ```ts
 * import { disposeKvCache, prefill, selectRows } from "./kv_cache.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 104, width: 16, depth: 1, heads: 2, contextLength: 16 };
 * const params = initParams(config, createPrng(0));
 * const { logits, cache } = prefill({ params, config }, [[1, 40], [1, 41, 42], [1]]);
 * const kept = selectRows(cache, [2, 0]);
 * assertEquals([kept.nextPositions, kept.keyBias.shape[0]], [[1, 2], 2]);
 * disposeKvCache(cache);
 * disposeKvCache(kept);
 * logits.dispose();
 * disposeParams(params);
 * ```
 */
export function selectRows(cache: KvCache, rows: readonly number[]): KvCache {
  return tf.tidy(() => {
    const index = tf.tensor1d(Int32Array.from(rows), "int32");
    return {
      layers: cache.layers.map((l) => ({
        key: tf.gather(l.key, index),
        value: tf.gather(l.value, index),
      })),
      keyBias: tf.gather(cache.keyBias, index) as tf.Tensor4D,
      nextPositions: rows.map((r) => cache.nextPositions[r]),
    };
  });
}

/** Disposes every tensor of a cache. */
export function disposeKvCache(cache: KvCache): void {
  cache.keyBias.dispose();
  for (const layer of cache.layers) {
    layer.key.dispose();
    layer.value.dispose();
  }
}
