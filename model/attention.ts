/**
 * Causal multi-head self-attention, shared by full-sequence forward passes and cached decoding.
 *
 * Masks are additive: 0 where a query may look, {@link MASKED} where it may not. A finite value
 * (not -1e9 or -Infinity) keeps softmax finite on every backend even for a row whose keys are all
 * masked (a padding query in a left-padded prompt): exp(-1e4) underflows to exactly 0 in float32
 * next to any visible key, and a fully masked row stays a harmless uniform average instead of NaN.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedAttention, fusedAttentionAvailable } from "./fused_attention.ts";
import { linear } from "./layers.ts";
import type { BlockParams } from "./params.ts";

/** Additive mask value for positions a query must not attend to. */
export const MASKED = -1e4;

/** Keys and values of one layer, `[B, H, Tk, hd]` each. */
export type LayerKeyValues = {
  readonly key: tf.Tensor4D;
  readonly value: tf.Tensor4D;
};

/** Sizes of the query block being processed. */
export interface AttentionShape {
  /** Batch size B. */
  readonly batch: number;
  /** Query positions in this call (T for a full pass, 1 for a decode step). */
  readonly queries: number;
  /** Heads H. */
  readonly heads: number;
}

/**
 * Additive causal mask [Tq, Tk] for Tq queries that follow `past` cached positions:
 * query i may see keys j <= past + i.
 *
 * @example
 * ```ts
 * import { causalMask, MASKED } from "./attention.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * assertEquals(Array.from(await causalMask(2, 1).data()), [0, 0, MASKED, 0, 0, 0]);
 * ```
 */
export function causalMask(queries: number, past = 0): tf.Tensor2D {
  const keys = past + queries;
  const values = new Float32Array(queries * keys);
  for (let i = 0; i < queries; i++) values.fill(MASKED, i * keys + past + i + 1, (i + 1) * keys);
  return tf.tensor2d(values, [queries, keys]);
}

/** [N, 3D] fused projection -> q, k, v, each [B, H, T, hd]. */
function splitHeads(qkv: tf.Tensor2D, shape: AttentionShape) {
  const { batch, queries, heads } = shape;
  const headDim = qkv.shape[1] / (3 * heads);
  const grouped = tf.reshape(qkv, [batch, queries, 3 * heads, headDim]); // [B, T, 3H, hd]
  const headMajor = tf.transpose(grouped, [0, 2, 1, 3]); // [B, 3H, T, hd]: 4-D keeps wasm fast
  return tf.split(headMajor, 3, 1) as tf.Tensor4D[]; // 3 x [B, H, T, hd]
}

/** [B, H, T, hd] -> [N, D]. */
function mergeHeads(y: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, queries, headDim] = y.shape;
  return tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [batch * queries, heads * headDim]); // [N, D]
}

/**
 * One attention sub-layer on normalised input `input.x` [N, D] (N = B * Tq):
 * `softmax(q k^T / sqrt(hd) + mask) v`, heads merged, then the output projection.
 * `mask` broadcasts to [B, H, Tq, Tk]; `past` holds earlier keys/values to attend to (decoding).
 * Returns the sub-layer output [N, D] and this layer's keys/values including `past`, unless
 * `keepKeyValues` is false (a full pass that needs none; then `keyValues` is undefined). Without
 * `past`, the wasm and blas backends compute it with the fused kernel of `fused_attention.ts`,
 * which reads the heads straight out of the projection.
 *
 * `prefix` names the block, e.g. `"blocks.0"` (reads `blocks.0.attention.qkv.weight`, ...).
 */
export function attention(
  { params, prefix }: BlockParams,
  input: {
    x: tf.Tensor2D;
    shape: AttentionShape;
    mask: tf.Tensor;
    past?: LayerKeyValues;
    keepKeyValues?: boolean;
  },
): { output: tf.Tensor2D; keyValues?: LayerKeyValues } {
  const { x, shape, mask, past, keepKeyValues = true } = input;
  const p = (name: string) => ({
    weight: params[`${prefix}.attention.${name}.weight`],
    bias: params[`${prefix}.attention.${name}.bias`],
  });
  const qkv = linear(x, p("qkv")); // [N, 3D]
  if (!past && fusedAttentionAvailable(mask, { shape, time: shape.queries })) {
    const output = linear(fusedAttention(qkv, { mask, shape }), p("output"));
    if (!keepKeyValues) return { output }; // [N, D]
    const [, key, value] = splitHeads(qkv, shape); // [B, H, T, hd]
    return { output, keyValues: { key, value } };
  }
  const [q, kNew, vNew] = splitHeads(qkv, shape); // [B, H, Tq, hd]
  const key = past ? tf.concat([past.key, kNew], 2) : kNew; // [B, H, Tk, hd]
  const value = past ? tf.concat([past.value, vNew], 2) : vNew; // [B, H, Tk, hd]
  const scale = 1 / Math.sqrt(q.shape[3]);
  const scores = tf.add(tf.matMul(tf.mul(q, scale), key, false, true), mask); // [B, H, Tq, Tk]
  const weights = tf.softmax(scores); // [B, H, Tq, Tk]
  const y = mergeHeads(tf.matMul(weights, value)); // [N, D]
  const output = linear(y, p("output")); // [N, D]
  return { output, keyValues: { key: key as tf.Tensor4D, value: value as tf.Tensor4D } };
}
