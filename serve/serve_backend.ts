/**
 * Starting the server's backend, `"auto"` included.
 *
 * `"auto"` starts `blas` when a BLAS library can be loaded and falls back to `wasm` (which needs
 * nothing installed) only when BLAS is unavailable; any other failure is reported as is. A batched
 * generation call is mostly matmuls, which BLAS runs several times faster than WebAssembly, so
 * batching pays more there (serve:bench at C = 32 on 2 cores: 3.8x on blas, 2.7x on wasm).
 *
 * @module
 */
import {
  type BackendInfo,
  type BackendName,
  BackendUnavailableError,
  initBackend,
} from "../model/backend.ts";
import type { ServeBackend } from "./config.ts";

/**
 * Starts `name`; `"auto"` is `blas`, or `wasm` when `blas` throws a
 * {@link BackendUnavailableError}. `init` starts one named backend (injectable for tests).
 *
 * @example
 * ```ts
 * import { startServeBackend } from "./serve_backend.ts";
 * import { BackendUnavailableError } from "../model/backend.ts";
 * import { assertEquals } from "@std/assert";
 * const tried: string[] = [];
 * const init = (name: string) => {
 *   tried.push(name);
 *   if (name === "blas") return Promise.reject(new BackendUnavailableError("no BLAS here"));
 *   return Promise.resolve({ name: name as "wasm", device: "CPU" });
 * };
 * assertEquals((await startServeBackend("auto", { init })).name, "wasm");
 * assertEquals(tried, ["blas", "wasm"]);
 * ```
 */
export async function startServeBackend(
  name: ServeBackend,
  options: { init?: (name: BackendName) => Promise<BackendInfo> } = {},
): Promise<BackendInfo> {
  const { init = initBackend } = options;
  if (name !== "auto") return await init(name);
  try {
    return await init("blas");
  } catch (error) {
    if (error instanceof BackendUnavailableError) return await init("wasm");
    throw error;
  }
}
