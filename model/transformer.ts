/**
 * The GRM's decoder-only transformer (GPT-2 layout, pre-norm), read top to bottom:
 * embeddings -> MLP -> block -> stack -> head -> {@link forward}. The elementary layers (norm,
 * linear, GELU) are in `layers.ts` and attention in `attention.ts`.
 *
 * Tensors flow as the flattened residual stream `[N, D]` with N = B * T, which keeps every
 * projection a plain 2-D matmul.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { attention, causalMask, type LayerKeyValues, MASKED } from "./attention.ts";
import type { ModelConfig } from "./config.ts";
import { embedding, gelu, layerNorm, linear, matMul, sumRows } from "./layers.ts";
import { type BlockParams, checkParams, type Model, type Params } from "./params.ts";

/** Options of {@link forward}. */
export interface ForwardOptions {
  /**
   * [B, T] with 1 for real tokens and 0 for left padding (float32 or int32). Padded keys are
   * masked out and position ids count real tokens only, so a left-padded row gives the same
   * logits at its real positions as the unpadded row. Omit for unpadded or right-padded rows.
   */
  readonly padMask?: tf.Tensor2D;
}

/** Inputs of the decoder stack for a block of queries. */
export interface StackInput {
  /** Residual stream of the queries [N, D], N = batch * queries. */
  readonly x: tf.Tensor2D;
  /** Batch size B. */
  readonly batch: number;
  /** Query positions in this call. */
  readonly queries: number;
  /** Additive attention mask broadcastable to [B, H, Tq, Tk]. */
  readonly mask: tf.Tensor;
  /** Cached keys/values per layer (decoding). */
  readonly past?: readonly LayerKeyValues[];
  /**
   * False when the caller needs no keys/values (a full forward pass): `stack` then returns none,
   * and the blas backend's fused attention runs without forming them. Default true.
   */
  readonly keepKeyValues?: boolean;
}

/** Token plus position embeddings: `E_tok[token] + E_pos[position]` -> [N, D]. */
export function embed(params: Params, tokens: tf.Tensor2D, positions?: tf.Tensor2D): tf.Tensor2D {
  const time = tokens.shape[1];
  const tokenRows = embedding(params.tokenEmbedding as tf.Tensor2D, tf.reshape(tokens, [-1])); // [N, D]
  if (positions) {
    const positionRows = embedding(
      params.positionEmbedding as tf.Tensor2D,
      tf.reshape(positions, [-1]),
    ); // [N, D]
    return tf.add(tokenRows, positionRows);
  }
  const width = params.tokenEmbedding.shape[1] as number;
  const table = tf.slice(params.positionEmbedding, [0, 0], [time, width]); // [T, D]
  return addPositions(tokenRows, table as tf.Tensor2D); // [N, D]
}

/**
 * `rows + table` for rows [B T, D] and a position table [T, D] repeated over the batch. Backward:
 * the table's gradient sums dy over the batch as `ones[1, B] @ dy[B, T D]` (`sumRows`), not as
 * tfjs's reduction over axis 0, which wasm runs about 20x slower.
 */
const addPositions = (rows: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D =>
  tf.customGrad((x, t) => {
    const [time, width] = (t as tf.Tensor2D).shape;
    const batch = (x as tf.Tensor2D).shape[0] / time;
    const sum = tf.add(tf.reshape(x as tf.Tensor, [batch, time, width]), t as tf.Tensor); // [B, T, D]
    return {
      value: tf.reshape(sum, [batch * time, width]), // [N, D]
      gradFunc: (dy) => [
        tf.clone(dy), // a tensor of its own: tfjs frees dy after this step
        tf.reshape(sumRows(tf.reshape(dy, [batch, time * width]) as tf.Tensor2D), [time, width]),
      ],
    };
  })(rows, table) as tf.Tensor2D;

/** Position-wise MLP: `W2 gelu(W1 x + b1) + b2`. */
export function mlp({ params, prefix }: BlockParams, x: tf.Tensor2D): tf.Tensor2D {
  const p = (name: string) => ({
    weight: params[`${prefix}.mlp.${name}.weight`],
    bias: params[`${prefix}.mlp.${name}.bias`],
  });
  const hidden = gelu(linear(x, p("hidden"))); // [N, rD]
  return linear(hidden, p("output")); // [N, D]
}

/** Pre-norm block: `x += attention(norm(x)); x += mlp(norm(x))`. */
export function block(
  layer: BlockParams,
  input: Omit<StackInput, "past"> & { heads: number; past?: LayerKeyValues },
): { x: tf.Tensor2D; keyValues?: LayerKeyValues } {
  const { params, prefix } = layer;
  let x = input.x;
  const p = (name: string) => ({
    weight: params[`${prefix}.${name}.weight`],
    bias: params[`${prefix}.${name}.bias`],
  });
  const shape = { batch: input.batch, queries: input.queries, heads: input.heads };
  const normed = layerNorm(x, p("attentionNorm")); // [N, D]
  const attended = attention(layer, {
    x: normed,
    shape,
    mask: input.mask,
    past: input.past,
    keepKeyValues: input.keepKeyValues,
  });
  x = tf.add(x, attended.output); // [N, D]
  x = tf.add(x, mlp(layer, layerNorm(x, p("mlpNorm")))); // [N, D]
  return { x, keyValues: attended.keyValues };
}

/**
 * All blocks in order; returns the final residual stream and every layer's keys/values (none with
 * `keepKeyValues: false`).
 */
export function stack(
  { params, config }: Model,
  input: StackInput,
): { hidden: tf.Tensor2D; keyValues: LayerKeyValues[] } {
  const keyValues: LayerKeyValues[] = [];
  let x = input.x;
  for (let i = 0; i < config.depth; i++) {
    const out = block({ params, prefix: `blocks.${i}` }, {
      ...input,
      x,
      heads: config.heads,
      past: input.past?.[i],
    });
    x = out.x;
    if (out.keyValues) keyValues.push(out.keyValues);
  }
  return { hidden: x, keyValues };
}

/** Final norm and tied output head: `logits = norm(h) E_tok^T` -> [N, V]. */
export function head(params: Params, hidden: tf.Tensor2D): tf.Tensor2D {
  const norm = { weight: params["finalNorm.weight"], bias: params["finalNorm.bias"] };
  const normed = layerNorm(hidden, norm); // [N, D]
  return matMul(normed, tf.transpose(params.tokenEmbedding as tf.Tensor2D)); // [N, V]
}

/**
 * Additive key-padding bias [B, 1, 1, Tk] (0 for real keys, MASKED for padding) and position ids
 * [B, T] (real tokens before each position, so padding does not shift positions).
 */
export function paddingTerms(
  padMask: tf.Tensor2D,
): { keyBias: tf.Tensor4D; positions: tf.Tensor2D } {
  const [batch, time] = padMask.shape;
  const real = tf.cast(padMask, "float32"); // [B, T]
  const keyBias = tf.reshape(tf.mul(tf.sub(1, real), MASKED), [batch, 1, 1, time]); // [B, 1, 1, T]
  const positions = tf.cast(tf.relu(tf.sub(tf.cumsum(real, 1), 1)), "int32"); // [B, T]
  return { keyBias: keyBias as tf.Tensor4D, positions: positions as tf.Tensor2D };
}

/** Throws a RangeError/TypeError unless `tokens` is an int32 [B, T] with 1 <= T <= contextLength. */
export function checkTokens(config: ModelConfig, tokens: tf.Tensor): void {
  if (tokens.rank !== 2 || tokens.dtype !== "int32") {
    throw new TypeError(
      `tokens must be an int32 tensor [B, T], got ${tokens.dtype} [${tokens.shape}]`,
    );
  }
  const time = tokens.shape[1] as number;
  if (time < 1 || time > config.contextLength) {
    throw new RangeError(
      `sequence length ${time} is outside [1, contextLength = ${config.contextLength}]`,
    );
  }
}

/**
 * Full forward pass: int32 token ids [B, T] -> logits [B, T, V] (position t predicts token t+1).
 *
 * @example
 * ```ts
 * import { forward } from "./transformer.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * await tf.setBackend("cpu");
 * const config = { vocabSize: 11, width: 8, depth: 1, heads: 2, contextLength: 6 };
 * const params = initParams(config, createPrng(0));
 * const logits = forward({ params, config }, tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32"));
 * assertEquals(logits.shape, [2, 3, 11]);
 * logits.dispose();
 * disposeParams(params);
 * ```
 */
export function forward(
  model: Model,
  tokens: tf.Tensor2D,
  options: ForwardOptions = {},
): tf.Tensor3D {
  const { params, config } = model;
  checkTokens(config, tokens);
  checkParams(params, config);
  return tf.tidy(() => {
    const [batch, time] = tokens.shape;
    const causal = causalMask(time); // [T, T]
    let mask: tf.Tensor = causal;
    let positions: tf.Tensor2D | undefined;
    if (options.padMask) {
      const terms = paddingTerms(options.padMask);
      mask = tf.add(causal, terms.keyBias); // [B, 1, T, T]
      positions = terms.positions;
    }
    const x = embed(params, tokens, positions); // [N, D]
    const { hidden } = stack(model, {
      x,
      batch,
      queries: time,
      mask,
      keepKeyValues: false,
    });
    return tf.reshape(head(params, hidden), [batch, time, config.vocabSize]) as tf.Tensor3D;
  });
}
