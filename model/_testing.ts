/**
 * Helpers shared by the model's tests (not part of the public API).
 *
 * @module
 */
import { assertLessOrEqual } from "@std/assert";
import { type BackendName, initBackend } from "./backend.ts";

/** Backends every behaviour test runs on. */
export const TEST_BACKENDS: readonly BackendName[] = ["cpu", "wasm"];

/** Largest absolute elementwise difference of two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Asserts two arrays agree elementwise within `tolerance`. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = "values",
): void {
  assertLessOrEqual(
    maxAbsDiff(actual, expected),
    tolerance,
    `${what} differ by more than ${tolerance}`,
  );
}

/** Registers one Deno test per backend in {@link TEST_BACKENDS}. */
export function testOnBackends(name: string, fn: (backend: BackendName) => Promise<void>): void {
  for (const backend of TEST_BACKENDS) {
    Deno.test(`${name} [${backend}]`, async () => {
      await initBackend(backend);
      await fn(backend);
    });
  }
}
