/**
 * Model configuration: the size of the GRM's transformer, as one frozen object with named presets.
 *
 * @module
 */
import { VOCAB_SIZE } from "./tokenizer.ts";

/** Shape of the decoder-only transformer. Frozen; pass it down as an argument. */
export interface ModelConfig {
  /** Number of token ids (the tokenizer's {@link VOCAB_SIZE}). */
  readonly vocabSize: number;
  /** Residual stream width D. */
  readonly width: number;
  /** Number of transformer blocks L. */
  readonly depth: number;
  /** Attention heads H; must divide `width`. */
  readonly heads: number;
  /** Longest sequence T the position table covers (prompt + completion). */
  readonly contextLength: number;
  /** MLP hidden width as a multiple of D (GPT-2 uses 4). */
  readonly mlpRatio?: number;
}

/** Default MLP expansion: GPT-2's 4x. */
export const DEFAULT_MLP_RATIO = 4;

/** Names of the built-in presets. */
export type PresetName = "tiny" | "small" | "medium" | "large";

/**
 * Built-in sizes. `tiny` keeps CPU tests fast; `small` is the default CPU run (trains on a 2-core
 * machine in minutes); `medium` and `large` are for a GPU through the webgpu backend.
 */
export const PRESETS: Readonly<Record<PresetName, ModelConfig>> = Object.freeze({
  tiny: Object.freeze({ vocabSize: VOCAB_SIZE, width: 32, depth: 1, heads: 2, contextLength: 64 }),
  small: Object.freeze({
    vocabSize: VOCAB_SIZE,
    width: 128,
    depth: 2,
    heads: 4,
    contextLength: 64,
  }),
  medium: Object.freeze({
    vocabSize: VOCAB_SIZE,
    width: 256,
    depth: 4,
    heads: 8,
    contextLength: 128,
  }),
  large: Object.freeze({
    vocabSize: VOCAB_SIZE,
    width: 512,
    depth: 6,
    heads: 8,
    contextLength: 128,
  }),
});

/**
 * Checks a config and returns a frozen copy with `mlpRatio` filled in.
 *
 * @example
 * ```ts
 * import { modelConfig } from "./config.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const c = modelConfig({ vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 });
 * assertEquals(c.mlpRatio, 4);
 * assertThrows(() => modelConfig({ ...c, heads: 3 }), RangeError, "heads");
 * ```
 */
export function modelConfig(config: ModelConfig): Required<ModelConfig> {
  const full = { mlpRatio: DEFAULT_MLP_RATIO, ...config };
  for (
    const key of ["vocabSize", "width", "depth", "heads", "contextLength", "mlpRatio"] as const
  ) {
    const value = full[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`ModelConfig.${key} must be a positive integer, got ${value}`);
    }
  }
  if (full.width % full.heads !== 0) {
    throw new RangeError(
      `ModelConfig.heads (${full.heads}) must divide ModelConfig.width (${full.width})`,
    );
  }
  return Object.freeze(full);
}

/**
 * Returns a named preset (frozen, `mlpRatio` filled in).
 *
 * @example
 * ```ts
 * import { presetConfig } from "./config.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(presetConfig("small").width, 128);
 * assertThrows(() => presetConfig("huge"), TypeError, "tiny, small, medium, large");
 * ```
 */
export function presetConfig(name: string): Required<ModelConfig> {
  if (!Object.hasOwn(PRESETS, name)) {
    throw new TypeError(
      `unknown model preset "${name}"; valid presets: ${Object.keys(PRESETS).join(", ")}`,
    );
  }
  return modelConfig(PRESETS[name as PresetName]);
}
