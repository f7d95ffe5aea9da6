/**
 * The `--backend` flag's value: one of the kit's backends, or `"auto"` (the CLIs' default).
 *
 * `"auto"` starts `blas` when a BLAS library can be loaded and falls back to `wasm` (which needs
 * nothing installed) only when BLAS is unavailable; any other failure is reported as is. The
 * model's time goes mostly to matmuls, which BLAS runs several times faster than WebAssembly
 * (`deno task bench` on 2 cores: 22,403 vs 6,084 training tokens/s), and it uses every core.
 * A GPU is never chosen automatically: `--backend webgpu` asks for one by name.
 *
 * A run records the backend that actually started (its log and report say which), since a run is
 * deterministic per backend, not across them: wasm and blas agree within float32 rounding only.
 *
 * @module
 */
import {
  BACKEND_NAMES,
  type BackendInfo,
  type BackendName,
  BackendUnavailableError,
  initBackend,
} from "./backend.ts";

/** A `--backend` value: a backend by name, or `"auto"` (`blas` if it starts, else `wasm`). */
export type BackendChoice = BackendName | "auto";

/** Accepted `--backend` values, `"auto"` first. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", ...BACKEND_NAMES];

/**
 * Starts `choice`; `"auto"` is `blas`, or `wasm` when `blas` throws a
 * {@link BackendUnavailableError}. `init` starts one named backend (injectable for tests).
 *
 * @example
 * ```ts
 * import { startBackend } from "./backend_choice.ts";
 * import { BackendUnavailableError } from "./backend.ts";
 * import { assertEquals } from "@std/assert";
 * const tried: string[] = [];
 * const init = (name: string) => {
 *   tried.push(name);
 *   if (name === "blas") return Promise.reject(new BackendUnavailableError("no BLAS here"));
 *   return Promise.resolve({ name: name as "wasm", device: "CPU" });
 * };
 * assertEquals((await startBackend("auto", { init })).name, "wasm");
 * assertEquals(tried, ["blas", "wasm"]);
 * ```
 */
export async function startBackend(
  choice: BackendChoice,
  options: { init?: (name: BackendName) => Promise<BackendInfo> } = {},
): Promise<BackendInfo> {
  const { init = initBackend } = options;
  if (choice !== "auto") return await init(choice);
  try {
    return await init("blas");
  } catch (error) {
    if (error instanceof BackendUnavailableError) return await init("wasm");
    throw error;
  }
}
