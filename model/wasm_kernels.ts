/**
 * Copy-free `Slice` and `SplitV` kernels for tfjs-backend-wasm (used by `--backend wasm` and
 * `blas`).
 *
 * tfjs-wasm 4.22's `Slice` (and `SplitV`, which slices) first reads its whole input out of the
 * wasm heap into a fresh ArrayBuffer (`readSync` copies), then copies the slice row by row of the
 * LAST axis: a split of the heads [B, 3H, T, hd] cost tens of ms, most of it allocating and
 * collecting. Here they read the input through a heap view and copy contiguous runs as long as the
 * slice allows (all trailing axes taken whole merge into one run). Values are unchanged, bit for
 * bit. {@link installWasmKernels} puts them in place and returns a function that restores tfjs's.
 *
 * (A copy-free `Identity` sharing its input's data, as tfjs-backend-cpu's does, was tried and
 * dropped: some gradient paths then freed a wasm buffer twice.)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** What the kernels need of the wasm backend. */
interface WasmBackendLike {
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

type Numeric = Float32Array | Int32Array | Uint8Array;
const VIEWS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** A view of a tensor's values in the heap (valid until the heap grows). */
function heapView(backend: WasmBackendLike, info: tf.TensorInfo, size: number): Numeric {
  const View = VIEWS[info.dtype as keyof typeof VIEWS];
  return new View(
    backend.wasm.HEAPU8.buffer as ArrayBuffer,
    backend.dataIdMap.get(info.dataId).memoryOffset,
    size,
  );
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/**
 * Copies the box `begin`/`size` of a row-major `shape` from `source` into `target` (packed):
 * axes after the last one that is cut merge into contiguous runs, one `set` per run.
 *
 * @example
 * ```ts
 * import { copyBox } from "./wasm_kernels.ts";
 * import { assertEquals } from "@std/assert";
 * // [2, 3] -> columns 1..2 of both rows
 * const out = new Float32Array(4);
 * copyBox(Float32Array.from([0, 1, 2, 3, 4, 5]), { target: out, shape: [2, 3], begin: [0, 1], size: [2, 2] });
 * assertEquals(Array.from(out), [1, 2, 4, 5]);
 * ```
 */
export function copyBox(
  source: Numeric,
  box: {
    target: Numeric;
    shape: readonly number[];
    begin: readonly number[];
    size: readonly number[];
  },
): void {
  const { target, shape, begin, size } = box;
  let cut = shape.length - 1; // the innermost axis that is not taken whole
  let run = 1; // values per contiguous run: the whole axes after `cut`
  while (cut >= 0 && size[cut] === shape[cut]) run *= shape[cut--];
  if (cut < 0) {
    target.set(source.subarray(0, run));
    return;
  }
  const strides = new Array<number>(cut + 1);
  strides[cut] = run;
  for (let axis = cut - 1; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  const length = size[cut] * run; // values of one copy
  const outer = sizeOf(size.slice(0, cut)); // copies
  const index = new Array<number>(cut).fill(0); // odometer over the axes before `cut`
  for (let copy = 0, at = 0; copy < outer; copy++, at += length) {
    let offset = begin[cut] * run;
    for (let axis = 0; axis < cut; axis++) offset += (begin[axis] + index[axis]) * strides[axis];
    target.set(source.subarray(offset, offset + length), at);
    for (let axis = cut - 1; axis >= 0; axis--) {
      if (++index[axis] < size[axis]) break;
      index[axis] = 0;
    }
  }
}

function slice(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): tf.TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  // views after the allocation (it may grow the heap and detach older views)
  const target = heapView(backend, out, sizeOf(size));
  copyBox(heapView(backend, x, sizeOf(x.shape)), { target, shape: x.shape, begin, size });
  return out;
}

const copyFree = (dtype: tf.DataType) => dtype in VIEWS;

/**
 * Replaces tfjs-backend-wasm's Slice and SplitV with the copy-free versions above
 * (string tensors still go to the originals). Call after the wasm backend is registered; returns
 * a function that restores the original kernels.
 */
export function installWasmKernels(): () => void {
  const names = ["Slice", "SplitV"] as const;
  const originals = names.map((name) => tf.getKernel(name, "wasm"));
  if (originals.some((k) => k === undefined)) {
    throw new Error("installWasmKernels: the wasm backend's kernels are not registered");
  }
  const [originalSlice, originalSplit] = originals as tf.KernelConfig[];
  const replace = (config: tf.KernelConfig) => {
    tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  };
  replace({
    kernelName: "Slice",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (!copyFree(x.dtype)) return originalSlice.kernelFunc(args);
      const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
      const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      return slice(args.backend as unknown as WasmBackendLike, x, begin_, size_);
    },
  });
  replace({
    kernelName: "SplitV",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (!copyFree(x.dtype)) return originalSplit.kernelFunc(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as {
        numOrSizeSplits: number | number[];
        axis: number;
      };
      const at = tf.util.parseAxisParam(axis, x.shape)[0];
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, at);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((part) => {
        const size = [...x.shape];
        size[at] = part;
        const out = slice(args.backend as unknown as WasmBackendLike, x, begin, size);
        begin[at] += part;
        return out;
      });
    },
  });
  return () => originals.forEach((k) => replace(k!));
}
