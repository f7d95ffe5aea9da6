/**
 * Helpers shared by the model's tests (not part of the public API).
 *
 * @module
 */
import { assertLessOrEqual } from "@std/assert";
import { type BackendName, initBackend } from "./backend.ts";
import { loadBlas } from "./blas.ts";

/** Whether a BLAS library loads here (then `blas`, with its own kernels, is tested too). */
function blasLoads(): boolean {
  const blas = loadBlas();
  blas?.close();
  return blas !== null;
}

/** Backends every behaviour test runs on: cpu, wasm, and blas where OpenBLAS is installed. */
export const TEST_BACKENDS: readonly BackendName[] = [
  "cpu",
  "wasm",
  ...(blasLoads() ? ["blas" as const] : []),
];

/** Largest absolute elementwise difference of two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/**
 * Asserts two arrays agree elementwise within `options.tolerance` (default 1e-7, as
 * `assertAlmostEquals`); `what` names them in the message.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: { tolerance?: number; what?: string } = {},
): void {
  const { tolerance = 1e-7, what = "values" } = options;
  assertLessOrEqual(
    maxAbsDiff(actual, expected),
    tolerance,
    `${what} differ by more than ${tolerance}`,
  );
}

/** Registers one Deno test per backend in {@link TEST_BACKENDS} (or in `options.backends`). */
export function testOnBackends(
  name: string,
  fn: (backend: BackendName) => Promise<void>,
  options: { backends?: readonly BackendName[] } = {},
): void {
  for (const backend of options.backends ?? TEST_BACKENDS) {
    Deno.test(`${name} [${backend}]`, async () => {
      await initBackend(backend);
      await fn(backend);
    });
  }
}
