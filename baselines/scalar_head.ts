/**
 * The scalar reward head of the Bradley-Terry baseline: the GRM's transformer body with a linear
 * head on the last token's final-norm hidden state instead of the language-model head,
 *
 *     r(x, y) = LayerNorm_final(h_T) w + b,     w: `scalarHead.weight` [D, 1], b: `scalarHead.bias` [1]
 *
 * where h_T is the residual stream at the last token of `[BOS] judgePrompt(x, y)` (the same text
 * the pointwise GRM reads). Batches are LEFT-padded, so the last column is every row's last real
 * token; padded keys are masked and positions count real tokens only (as in `forward`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { causalMask } from "../model/attention.ts";
import type { ModelConfig } from "../model/config.ts";
import { leftPad } from "../model/kv_cache.ts";
import { layerNorm, linear } from "../model/layers.ts";
import { INIT_STD, type Params } from "../model/params.ts";
import { embed, paddingTerms, stack } from "../model/transformer.ts";
import type { Prng } from "../rng/prng.ts";
import { judgePromptTokens } from "../train/judge.ts";
import type { ResponseItem } from "../eval_run/responses.ts";

/** Parameter names of the head, added to the model's params record. */
export const SCALAR_HEAD = Object.freeze({ weight: "scalarHead.weight", bias: "scalarHead.bias" });

/**
 * Shapes of the head's parameters: weight [D, 1], bias [1].
 *
 * @example
 * ```ts
 * import { scalarHeadShapes } from "./scalar_head.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(scalarHeadShapes({ vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 }),
 *   { "scalarHead.weight": [8, 1], "scalarHead.bias": [1] });
 * ```
 */
export function scalarHeadShapes(config: ModelConfig): Record<string, number[]> {
  return { [SCALAR_HEAD.weight]: [config.width, 1], [SCALAR_HEAD.bias]: [1] };
}

/**
 * New head variables: weight ~ N(0, 0.02) drawn from `rng` (GPT-2's init), bias 0.
 *
 * @example
 * ```ts
 * import { initScalarHead } from "./scalar_head.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const head = initScalarHead({ vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 }, createPrng(0));
 * assertEquals(head["scalarHead.weight"].shape, [8, 1]);
 * assertEquals(Array.from(await head["scalarHead.bias"].data()), [0]);
 * ```
 */
export function initScalarHead(config: ModelConfig, rng: Prng): Record<string, tf.Variable> {
  const values = new Float32Array(config.width);
  for (let i = 0; i < values.length; i++) values[i] = INIT_STD * rng.normal();
  return {
    [SCALAR_HEAD.weight]: tf.variable(tf.tensor2d(values, [config.width, 1]), true),
    [SCALAR_HEAD.bias]: tf.variable(tf.zeros([1]), true),
  };
}

/** A left-padded batch of token rows: int32 tokens [B, T] and padMask [B, T] (1 = real). */
export interface LeftPaddedBatch {
  readonly tokens: tf.Tensor2D;
  readonly padMask: tf.Tensor2D;
}

/** Left-pads prompt token rows into tensors the caller disposes. */
export function leftPaddedBatch(rows: readonly (readonly number[])[]): LeftPaddedBatch {
  const padded = leftPad(rows);
  const shape: [number, number] = [padded.batch, padded.length];
  return {
    tokens: tf.tensor2d(padded.tokens, shape, "int32"),
    padMask: tf.tensor2d(padded.padMask, shape),
  };
}

/**
 * Rewards r [B] of a left-padded batch (module doc); differentiable w.r.t. `params`, which must
 * hold the transformer body and the head.
 */
export function scalarRewards(
  model: { params: Params; config: ModelConfig },
  batch: LeftPaddedBatch,
): tf.Tensor1D {
  const { params, config } = model;
  return tf.tidy(() => {
    const [rows, time] = batch.tokens.shape;
    const width = config.width;
    const { keyBias, positions } = paddingTerms(batch.padMask);
    const mask = tf.add(causalMask(time), keyBias); // [B, 1, T, T]
    const x = embed(params, batch.tokens, positions); // [B * T, D]
    const { hidden } = stack({ params, config }, { x, batch: rows, queries: time, mask });
    const last = tf.reshape(
      tf.slice(tf.reshape(hidden, [rows, time, width]), [0, time - 1, 0], [rows, 1, width]),
      [rows, width],
    ) as tf.Tensor2D; // [B, D]
    const normed = layerNorm(last, {
      weight: params["finalNorm.weight"],
      bias: params["finalNorm.bias"],
    }); // [B, D]
    const reward = linear(normed, {
      weight: params[SCALAR_HEAD.weight],
      bias: params[SCALAR_HEAD.bias],
    }); // [B, 1]
    return tf.reshape(reward, [rows]) as tf.Tensor1D;
  });
}

/** Prompt tokens the scalar model reads for one response: the GRM's judge prompt, no completion. */
export function scalarPromptTokens(item: ResponseItem, contextLength: number): number[] {
  return judgePromptTokens(item, contextLength).tokens;
}

/** Rewards of many responses, `chunk` rows per forward pass (default 64), as numbers. */
export async function scoreWithScalar(
  model: { params: Params; config: ModelConfig },
  items: readonly ResponseItem[],
  options: { chunk?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<number[]> {
  const { chunk = 64 } = options;
  const out: number[] = [];
  for (let start = 0; start < items.length; start += chunk) {
    const rows = items.slice(start, start + chunk).map((item) =>
      scalarPromptTokens(item, model.config.contextLength)
    );
    const batch = leftPaddedBatch(rows);
    const rewards = scalarRewards(model, batch);
    out.push(...(await rewards.data()));
    tf.dispose([rewards, batch.tokens, batch.padMask]);
    options.onProgress?.(out.length, items.length);
  }
  return out;
}
