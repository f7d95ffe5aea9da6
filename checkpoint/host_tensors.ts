/**
 * The bridge between tf tensors and {@link HostTensor}s (typed arrays on the host), the input and
 * output of the safetensors codec. Reads use `await tensor.data()`, so it works on every backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkHostTensor, type HostTensor } from "./safetensors.ts";

/**
 * Reads tf tensors to the host with `await tensor.data()` (never `dataSync`, which the webgpu
 * backend cannot do in Deno). Only `float32` and `int32` tensors are accepted. The returned arrays
 * may share memory with the backend (cpu): treat them as read-only. The tensors are not disposed.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { toHostTensors } from "./host_tensors.ts";
 * import { assertEquals } from "@std/assert";
 * await tf.setBackend("cpu");
 * const w = tf.tensor2d([[1, 2], [3, 4]]);
 * const host = await toHostTensors({ w });
 * assertEquals([host.w.dtype, host.w.shape], ["F32", [2, 2]]);
 * assertEquals(Array.from(host.w.data), [1, 2, 3, 4]);
 * w.dispose();
 * ```
 */
export async function toHostTensors(
  tensors: Readonly<Record<string, tf.Tensor>>,
): Promise<Record<string, HostTensor>> {
  const entries = Object.entries(tensors).map(async ([name, t]): Promise<[string, HostTensor]> => {
    if (t.dtype !== "float32" && t.dtype !== "int32") {
      throw new TypeError(`tensor "${name}" has dtype ${t.dtype}; checkpoints hold float32, int32`);
    }
    const data = t.dtype === "float32" ? await t.data<"float32">() : await t.data<"int32">();
    return [name, { dtype: t.dtype === "float32" ? "F32" : "I32", shape: [...t.shape], data }];
  });
  return Object.fromEntries(await Promise.all(entries));
}

/**
 * Creates tf tensors (on the current backend) from host tensors. The caller owns and disposes
 * them; the typed arrays are handed to tf, so do not modify them afterwards.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { fromHostTensors } from "./host_tensors.ts";
 * import { assertEquals } from "@std/assert";
 * await tf.setBackend("cpu");
 * const { n } = fromHostTensors({ n: { dtype: "I32", shape: [2], data: Int32Array.of(3, 4) } });
 * assertEquals([n.dtype, Array.from(await n.data())], ["int32", [3, 4]]);
 * n.dispose();
 * ```
 */
export function fromHostTensors(
  host: Readonly<Record<string, HostTensor>>,
): Record<string, tf.Tensor> {
  const entries = Object.entries(host);
  for (const [name, t] of entries) checkHostTensor(name, t);
  return Object.fromEntries(entries.map(([name, t]) => [
    name,
    tf.tensor(t.data, [...t.shape], t.dtype === "F32" ? "float32" : "int32"),
  ]));
}

/** A tensor holding NaN or ±Infinity: its name and how many of its values are not finite. */
export interface NonFiniteTensor {
  readonly name: string;
  /** Values that are NaN, +Infinity or -Infinity. */
  readonly count: number;
  /** All values of the tensor. */
  readonly size: number;
}

/**
 * The F32 tensors that hold NaN or ±Infinity, in the order given (I32 tensors are always finite).
 * One pass over the data on the host: cheap next to reading or writing the file.
 *
 * @example
 * ```ts
 * import { nonFiniteTensors } from "./host_tensors.ts";
 * import { assertEquals } from "@std/assert";
 * const found = nonFiniteTensors({
 *   ok: { dtype: "F32", shape: [2], data: Float32Array.of(1, -0) },
 *   bad: { dtype: "F32", shape: [3], data: Float32Array.of(NaN, 2, -Infinity) },
 * });
 * assertEquals(found, [{ name: "bad", count: 2, size: 3 }]);
 * ```
 */
export function nonFiniteTensors(host: Readonly<Record<string, HostTensor>>): NonFiniteTensor[] {
  const found: NonFiniteTensor[] = [];
  for (const [name, t] of Object.entries(host)) {
    if (t.dtype !== "F32") continue;
    let count = 0;
    for (const x of t.data) if (x - x !== 0) count++; // x - x is NaN exactly for NaN and ±Inf
    if (count > 0) found.push({ name, count, size: t.data.length });
  }
  return found;
}
