/**
 * The GRM language model: a small GPT-2-style decoder in TensorFlow.js.
 *
 * Contents, in reading order:
 * - `config.ts`: {@link ModelConfig} and the presets `tiny`, `small`, `medium`, `large`.
 * - `tokenizer.ts`: characters plus one token per `<critique>`/`<score>` tag.
 * - `params.ts`: named parameters, GPT-2 initialisation from the kit's PRNG.
 * - `layers.ts`: linear, LayerNorm, GELU, embedding, with wasm-friendly hand-written backward.
 * - `attention.ts`: causal multi-head self-attention (shared by full passes and decoding).
 * - `transformer.ts`: MLP, block, stack, head, {@link forward}.
 * - `kv_cache.ts`: prefill once, then one token per step from cached keys/values.
 * - `token_sampling.ts` and `sample.ts`: temperature/top-p sampling, batched rollouts.
 * - `logprobs.ts`: per-token log-probs and entropies of completions (GRPO's ratio, reference KL).
 * - `backend.ts`: starting wasm, blas, webgpu, cpu (or tfjs-node) under Deno (`backend_choice.ts`:
 *   `--backend auto`, blas else wasm); the kernels it puts
 *   in place are in `blas.ts` (sgemm matmuls), `fused_attention.ts` with `wasm_gemm.ts` (attention
 *   as one kernel) and `wasm_kernels.ts` (copy-free Slice/SplitV), not re-exported here.
 *
 * @module
 */
export * from "./config.ts";
export * from "./tokenizer.ts";
export * from "./params.ts";
export * from "./layers.ts";
export * from "./attention.ts";
export * from "./transformer.ts";
export * from "./kv_cache.ts";
export * from "./token_sampling.ts";
export * from "./sample.ts";
export * from "./logprobs.ts";
export * from "./backend.ts";
export * from "./backend_choice.ts";
