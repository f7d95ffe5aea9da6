/**
 * Model FLOPs of training, PaLM's count (as nanoGPT's `estimate_mfu` and the PyTorch reference
 * bench use it), so a bench's tokens/s can be read as FLOP/s against a device's peak.
 *
 * @module
 */
import { DEFAULT_MLP_RATIO, type ModelConfig } from "./config.ts";

/**
 * Parameters in matmuls: N = L (4 + 2r) D^2 + V D (attention's q, k, v and output projections,
 * the MLP's two layers of width r D, and the tied embedding counted once, as the head).
 *
 * @example
 * ```ts
 * import { matmulParams } from "./flops.ts";
 * import { assertEquals } from "@std/assert";
 * // small preset: L 2, D 128, V 104, r 4: 2 * 12 * 128^2 + 104 * 128
 * assertEquals(matmulParams({ vocabSize: 104, width: 128, depth: 2, heads: 4, contextLength: 64 }), 406_528);
 * ```
 */
export function matmulParams(config: ModelConfig): number {
  const { vocabSize: v, width: d, depth: l, mlpRatio: r = DEFAULT_MLP_RATIO } = config;
  return l * (4 + 2 * r) * d * d + v * d;
}

/**
 * Training FLOPs per token of a full-context sequence: 6 N + 12 L D T (forward 2 N and backward
 * 4 N for the matmuls, plus the [T, T] attention scores and their weighted sum of values).
 *
 * @example
 * ```ts
 * import { trainFlopsPerToken } from "./flops.ts";
 * import { assertEquals } from "@std/assert";
 * // small preset: 6 * 406,528 + 12 * 2 * 128 * 64
 * assertEquals(trainFlopsPerToken({ vocabSize: 104, width: 128, depth: 2, heads: 4, contextLength: 64 }), 2_635_776);
 * ```
 */
export function trainFlopsPerToken(config: ModelConfig): number {
  const { width: d, depth: l, contextLength: t } = config;
  return 6 * matmulParams(config) + 12 * l * d * t;
}
