/**
 * A {@link Gemm} on tfjs-backend-wasm's own matmul, for the fused attention on `--backend wasm`.
 *
 * tfjs-wasm runs a product on XNNPACK only when it has one batch entry and no transposed operand;
 * otherwise a scalar loop about 6x slower. So each product here packs op(A) [m, k] and op(B)
 * [k, n] into fresh contiguous heap tensors (transposing in the copy), multiplies them with the
 * original `BatchMatMul` kernel (XNNPACK), and copies alpha * C out to its strided place. The
 * copies cost a few microseconds per attention head; the loop they avoid cost milliseconds.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  type Gemm,
  type GemmFactory,
  operandView,
  type WasmBackendLike,
} from "./fused_attention.ts";

/**
 * Copies op(X) [rows, cols] out of `source` (leading dimension `ld`; X is [cols, rows] when
 * `transposed`) into `target`, packed row-major.
 *
 * @example
 * ```ts
 * import { packMatrix } from "./wasm_gemm.ts";
 * import { assertEquals } from "@std/assert";
 * const x = Float32Array.from([1, 2, 3, 0, 4, 5, 6, 0]); // [2, 3] with leading dimension 4
 * const out = new Float32Array(6);
 * packMatrix({ source: x, ld: 4, transposed: false, shape: [2, 3] }, out);
 * assertEquals(Array.from(out), [1, 2, 3, 4, 5, 6]);
 * packMatrix({ source: x, ld: 4, transposed: true, shape: [3, 2] }, out); // op(X) = X^T [3, 2]
 * assertEquals(Array.from(out), [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function packMatrix(
  operand: {
    source: Float32Array;
    ld: number;
    transposed: boolean;
    shape: readonly [number, number];
  },
  target: Float32Array,
): void {
  const { source, ld, transposed, shape: [rows, cols] } = operand;
  if (!transposed) {
    for (let r = 0; r < rows; r++) target.set(source.subarray(r * ld, r * ld + cols), r * cols);
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) target[r * cols + c] = source[c * ld + r];
  }
}

/**
 * The wasm backend's matmul as a {@link GemmFactory}. Call while tfjs-wasm's own `BatchMatMul` is
 * registered (not BLAS's): it is captured here.
 */
export function wasmGemm(): GemmFactory {
  const matMul = tf.getKernel("BatchMatMul", "wasm")?.kernelFunc;
  if (!matMul) throw new Error("wasmGemm: the wasm backend's BatchMatMul is not registered");
  return (backend: WasmBackendLike): Gemm => {
    const tensorView = (info: tf.TensorInfo) => operandView(backend, { tensor: info, at: 0 });
    return (transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc) => {
      const left = backend.makeOutput([m, k], "float32");
      const right = backend.makeOutput([k, n], "float32");
      // views after the allocations (they may grow the heap)
      packMatrix(
        { source: operandView(backend, a), ld: lda, transposed: transA, shape: [m, k] },
        tensorView(left),
      );
      packMatrix(
        { source: operandView(backend, b), ld: ldb, transposed: transB, shape: [k, n] },
        tensorView(right),
      );
      const product = matMul({
        inputs: { a: left, b: right },
        backend: backend as unknown as tf.KernelBackend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      const from = tensorView(product), to = operandView(backend, c);
      for (let r = 0; r < m; r++) {
        const row = from.subarray(r * n, r * n + n);
        if (alpha === 1) to.set(row, r * ldc);
        else for (let j = 0; j < n; j++) to[r * ldc + j] = alpha * row[j];
      }
      for (const info of [left, right, product]) backend.disposeData(info.dataId);
    };
  };
}
