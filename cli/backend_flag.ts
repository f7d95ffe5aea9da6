/**
 * The `--backend` flag shared by the CLIs that start one backend (eval, compare, voting, rank and
 * the warm-start recipes); `deno task train` and `deno task policy` take it from their config.
 *
 * @module
 */
import type { FlagSchema } from "../config/flags.ts";
import { BACKEND_CHOICES } from "../model/backend_choice.ts";

/** `--backend auto|wasm|blas|webgpu|cpu|tensorflow`, default `auto` (blas, else wasm). */
export const BACKEND_FLAG: FlagSchema[string] = Object.freeze({
  kind: "choice",
  choices: BACKEND_CHOICES,
  help: "tfjs backend (auto: blas where OpenBLAS loads, else wasm)",
});
