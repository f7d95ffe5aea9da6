/**
 * The model's parameters: a flat record of named tensors, created from a seeded PRNG.
 *
 * Names (weights are stored `[in, out]`, so a linear layer is `x @ weight + bias`):
 * | name | shape |
 * |---|---|
 * | `tokenEmbedding` | [V, D] (also the output head: logits = h @ tokenEmbedding^T) |
 * | `positionEmbedding` | [T, D] |
 * | `blocks.{i}.attentionNorm.weight`, `.bias` | [D] |
 * | `blocks.{i}.attention.qkv.weight`, `.bias` | [D, 3D], [3D] (columns: q, k, v; head-major) |
 * | `blocks.{i}.attention.output.weight`, `.bias` | [D, D], [D] |
 * | `blocks.{i}.mlpNorm.weight`, `.bias` | [D] |
 * | `blocks.{i}.mlp.hidden.weight`, `.bias` | [D, rD], [rD] |
 * | `blocks.{i}.mlp.output.weight`, `.bias` | [rD, D], [D] |
 * | `finalNorm.weight`, `.bias` | [D] |
 *
 * Initialisation follows GPT-2: weights and embeddings N(0, 0.02), the two residual projections
 * per block (`attention.output.weight`, `mlp.output.weight`) N(0, 0.02 / sqrt(2L)), biases 0,
 * norm weights 1. Values are drawn in JavaScript from the kit's PRNG, in the table's order, so the
 * same seed gives the same model on every backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../rng/prng.ts";
import { type ModelConfig, modelConfig } from "./config.ts";

/** Model parameters by name; trainable copies are `tf.Variable`s. */
export type Params = Readonly<Record<string, tf.Tensor>>;
/** Trainable parameters, as returned by {@link initParams}. */
export type TrainableParams = Readonly<Record<string, tf.Variable>>;

/** A model's parameters with the config they were built for: the first argument of the model. */
export interface Model {
  readonly params: Params;
  readonly config: ModelConfig;
}

/** One block's parameters: `params` read under `prefix`, e.g. `"blocks.0"`. */
export interface BlockParams {
  readonly params: Params;
  readonly prefix: string;
}

/** Standard deviation of GPT-2's weight initialisation. */
export const INIT_STD = 0.02;

type Init = "normal" | "residual" | "zeros" | "ones";
interface ParamSpec {
  readonly shape: readonly number[];
  readonly init: Init;
}

function specs(config: ModelConfig): [string, ParamSpec][] {
  const c = modelConfig(config);
  const d = c.width, hidden = c.mlpRatio * c.width;
  const list: [string, ParamSpec][] = [
    ["tokenEmbedding", { shape: [c.vocabSize, d], init: "normal" }],
    ["positionEmbedding", { shape: [c.contextLength, d], init: "normal" }],
  ];
  const norm = (name: string) => {
    list.push([`${name}.weight`, { shape: [d], init: "ones" }]);
    list.push([`${name}.bias`, { shape: [d], init: "zeros" }]);
  };
  const linear = (name: string, inputs: number, outputs: number, init: Init) => {
    list.push([`${name}.weight`, { shape: [inputs, outputs], init }]);
    list.push([`${name}.bias`, { shape: [outputs], init: "zeros" }]);
  };
  for (let i = 0; i < c.depth; i++) {
    norm(`blocks.${i}.attentionNorm`);
    linear(`blocks.${i}.attention.qkv`, d, 3 * d, "normal");
    linear(`blocks.${i}.attention.output`, d, d, "residual");
    norm(`blocks.${i}.mlpNorm`);
    linear(`blocks.${i}.mlp.hidden`, d, hidden, "normal");
    linear(`blocks.${i}.mlp.output`, hidden, d, "residual");
  }
  norm("finalNorm");
  return list;
}

/**
 * Names and shapes of every parameter for a config, in initialisation order.
 *
 * @example
 * ```ts
 * import { paramShapes } from "./params.ts";
 * import { assertEquals } from "@std/assert";
 * const shapes = paramShapes({ vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 });
 * assertEquals(shapes["blocks.0.attention.qkv.weight"], [8, 24]);
 * assertEquals(Object.keys(shapes).length, 2 + 12 + 2);
 * ```
 */
export function paramShapes(config: ModelConfig): Record<string, number[]> {
  return Object.fromEntries(specs(config).map(([name, spec]) => [name, [...spec.shape]]));
}

/**
 * Throws a RangeError naming the first parameter that is missing or has the wrong shape for the
 * config (for instance a checkpoint of another size).
 *
 * @example
 * ```ts
 * import { checkParams } from "./params.ts";
 * import { assertThrows } from "@std/assert";
 * const config = { vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 };
 * assertThrows(() => checkParams({}, config), RangeError, "tokenEmbedding");
 * ```
 */
export function checkParams(params: Params, config: ModelConfig): void {
  for (const [name, { shape }] of specs(config)) {
    const p = params[name];
    if (!p) throw new RangeError(`parameter "${name}" is missing`);
    if (p.shape.length !== shape.length || p.shape.some((n, i) => n !== shape[i])) {
      throw new RangeError(
        `parameter "${name}" has shape [${p.shape}], the config needs [${shape}]`,
      );
    }
  }
}

/**
 * Creates the trainable parameters from a seeded PRNG (GPT-2 initialisation, see module doc).
 *
 * @example
 * ```ts
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 };
 * const a = initParams(config, createPrng(1)), b = initParams(config, createPrng(1));
 * assertEquals(await a.tokenEmbedding.data(), await b.tokenEmbedding.data());
 * disposeParams(a);
 * disposeParams(b);
 * ```
 */
export function initParams(config: ModelConfig, rng: Prng): TrainableParams {
  const depth = modelConfig(config).depth;
  const residualStd = INIT_STD / Math.sqrt(2 * depth);
  const params: Record<string, tf.Variable> = {};
  for (const [name, { shape, init }] of specs(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === "ones") values.fill(1);
    if (init === "normal" || init === "residual") {
      const std = init === "normal" ? INIT_STD : residualStd;
      for (let i = 0; i < size; i++) values[i] = std * rng.normal();
    }
    const value = tf.tensor(values, [...shape], "float32");
    params[name] = tf.variable(value, true); // unnamed: tfjs variable names must be unique per process
    value.dispose();
  }
  return Object.freeze(params);
}

/**
 * A frozen copy (plain tensors, not variables) for a reference model; dispose with
 * {@link disposeParams}.
 *
 * @example
 * ```ts
 * import { copyParams, disposeParams } from "./params.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const w = tf.variable(tf.ones([2]));
 * const copy = copyParams({ w });
 * w.assign(tf.zeros([2]));
 * assertEquals(Array.from(await copy.w.data()), [1, 1]);
 * disposeParams(copy);
 * w.dispose();
 * ```
 */
export function copyParams(params: Params): Params {
  return Object.freeze(
    Object.fromEntries(Object.entries(params).map(([name, p]) => [name, tf.keep(p.clone())])),
  );
}

/** Disposes every tensor of a parameter record. */
export function disposeParams(params: Params): void {
  for (const p of Object.values(params)) p.dispose();
}

/**
 * Total number of scalar parameters.
 *
 * @example
 * ```ts
 * import { countParams, paramShapes } from "./params.ts";
 * import { assertEquals } from "@std/assert";
 * // V*D + T*D + L*(12 D^2 + 13 D) + 2D with V=10, D=8, T=4, L=1: 80 + 32 + 768 + 104 + 16
 * const shapes = paramShapes({ vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 });
 * assertEquals(countParams(shapes), 1000);
 * ```
 */
export function countParams(shapes: Readonly<Record<string, readonly number[]>>): number {
  let total = 0;
  for (const shape of Object.values(shapes)) total += shape.reduce((a, b) => a * b, 1);
  return total;
}
