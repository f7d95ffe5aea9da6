/**
 * LayerNorm's backward pass as one kernel on tfjs-backend-wasm (used by `--backend wasm` and
 * `blas`): with x^ and rstd saved by the forward pass (model/layers.ts),
 *
 *   g = dy w,  dx = rstd (g - mean(g) - x^ mean(g x^)),  dw = sum_rows dy x^,  db = sum_rows dy
 *
 * in one JavaScript pass per row (sums in float64) where tfjs ops take eleven kernels: 0.63 vs
 * 1.6 ms on [2048, 128], 2.4 vs 6.1 ms on [7040, 128]. (A forward kernel was no faster than the
 * ops on large tensors and was dropped.) Other backends keep the ops. {@link installLayerNormGrad}
 * registers it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

const KERNEL = "IrpmLayerNormGrad";

/** What the kernels need of the wasm backend. */
interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

function view(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  const offset = backend.dataIdMap.get(info.dataId).memoryOffset;
  const size = info.shape.reduce((a, d) => a * d, 1);
  return new Float32Array(backend.wasm.HEAPF32.buffer, offset, size);
}

const backwardKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, normed, rstd, weight } = inputs as Record<
    "dy" | "normed" | "rstd" | "weight",
    tf.TensorInfo
  >;
  const [rows, width] = dy.shape;
  const wasm = backend as unknown as WasmBackendLike;
  const dx = wasm.makeOutput([rows, width], "float32");
  const dw = wasm.makeOutput([width], "float32");
  const db = wasm.makeOutput([width], "float32");
  const g = view(wasm, dy), hat = view(wasm, normed), rs = view(wasm, rstd);
  const w = view(wasm, weight), out = view(wasm, dx);
  const dwSum = new Float64Array(width), dbSum = new Float64Array(width);
  for (let r = 0, at = 0; r < rows; r++, at += width) {
    let meanG = 0, meanGHat = 0;
    for (let j = 0; j < width; j++) {
      const gj = g[at + j] * w[j];
      meanG += gj;
      meanGHat += gj * hat[at + j];
      dwSum[j] += g[at + j] * hat[at + j];
      dbSum[j] += g[at + j];
    }
    meanG /= width;
    meanGHat /= width;
    const scale = rs[r];
    for (let j = 0; j < width; j++) {
      out[at + j] = scale * (g[at + j] * w[j] - meanG - hat[at + j] * meanGHat);
    }
  }
  view(wasm, dw).set(dwSum);
  view(wasm, db).set(dbSum);
  return [dx, dw, db];
};

/** Registers the kernel on the wasm backend; returns a function that removes it. */
export function installLayerNormGrad(): () => void {
  if (tf.getKernel(KERNEL, "wasm")) tf.unregisterKernel(KERNEL, "wasm");
  tf.registerKernel({ kernelName: KERNEL, backendName: "wasm", kernelFunc: backwardKernel });
  return () => tf.unregisterKernel(KERNEL, "wasm");
}

const fits = (x: tf.Tensor, weight: tf.Tensor, ...more: tf.Tensor[]) =>
  tf.getKernel(KERNEL, tf.getBackend()) !== undefined && x.rank === 2 && weight.rank === 1 &&
  weight.shape[0] === x.shape[1] && [x, weight, ...more].every((t) => t.dtype === "float32");

/**
 * LayerNorm's backward kernel: `[dx, dweight, dbias]` from dy [N, D] and the forward's x^ and rstd;
 * null where the kernel is not registered or the shapes do not fit (use tfjs ops).
 *
 * @example
 * ```ts
 * import { layerNormBackward } from "./layer_norm_kernel.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * await tf.setBackend("cpu"); // no kernel on cpu
 * const [dy, w] = [tf.ones([2, 3]), tf.ones([3])];
 * assertEquals(layerNormBackward(dy, { normed: dy, rstd: tf.ones([2, 1]), weight: w }), null);
 * ```
 */
export function layerNormBackward(
  dy: tf.Tensor,
  saved: { normed: tf.Tensor; rstd: tf.Tensor; weight: tf.Tensor },
): tf.Tensor[] | null {
  const { normed, rstd, weight } = saved;
  if (!fits(dy, weight, normed, rstd) || rstd.shape.join() !== `${dy.shape[0]},1`) return null;
  return tf.engine().runKernel(KERNEL, { dy, normed, rstd, weight }) as tf.Tensor[];
}
