/**
 * Fused causal self-attention for the wasm and blas backends: `softmax(q k^T / sqrt(hd) + mask) v`
 * for every (batch row, head), read straight out of the fused projection `qkv` [N, 3D] and written
 * straight into the merged output [N, D], one matrix product per (row, head) and step (strided
 * through the leading dimensions, so the heads are never split, transposed or merged); the mask and
 * the softmax are wasm's own vectorised kernels.
 *
 * Why: in tfjs the attention is a batched matmul of [B, H, T, hd] tensors, and tfjs-backend-wasm
 * runs batched (and transposed) products as a scalar loop, about 0.8 GMAC/s: these few products
 * were most of a training step on both backends, and splitting and merging the heads cost as much
 * again. One product per head is fast on either matmul that {@link Gemm} wraps: OpenBLAS's sgemm
 * (blas, model/blas.ts `blasGemm`) or wasm's XNNPACK matmul (wasm, model/wasm_gemm.ts).
 *
 * The backward pass is a second kernel (dV = P^T dY, dP = dY V^T, dS = P (dP - rowsum(dP P)),
 * dQ = dS K / sqrt(hd), dK = dS^T Q / sqrt(hd)), wired up with `tf.customGrad`. Both kernels exist
 * while {@link installFusedAttention}'s are registered (model/backend.ts does it for wasm and blas);
 * the cpu and webgpu backends keep model/attention.ts's tfjs ops. Results match those within
 * float32 rounding (tested).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Kernel names (registered for the wasm backend, which blas extends). */
const FORWARD = "IrpmFusedAttention", BACKWARD = "IrpmFusedAttentionGrad";

/** Sizes of a fused attention call. */
export interface FusedAttentionShape {
  /** Batch size B. */
  readonly batch: number;
  /** Heads H. */
  readonly heads: number;
}

/** What the kernels (and the {@link Gemm}s) need of the wasm backend. */
export interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  disposeData(dataId: unknown): boolean;
}

/**
 * Where a matrix starts: a tensor's data in the wasm heap, or a JavaScript scratch array, plus an
 * element offset. By reference, because the heap may grow (and detach older views) in a call.
 */
export type Operand =
  | { readonly tensor: tf.TensorInfo; readonly at: number }
  | { readonly array: Float32Array; readonly at: number };

/** The operand as a float32 view from its first value to the end of its memory. */
export function operandView(backend: WasmBackendLike, operand: Operand): Float32Array {
  if ("array" in operand) return operand.array.subarray(operand.at);
  const offset = backend.dataIdMap.get(operand.tensor.dataId).memoryOffset;
  return new Float32Array(backend.wasm.HEAPF32.buffer, offset + 4 * operand.at);
}

/**
 * Row-major `C = alpha op(A) op(B)` (C [m, n] overwritten; leading dimensions lda, ldb, ldc).
 */
export type Gemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Operand,
  lda: number,
  b: Operand,
  ldb: number,
  c: Operand,
  ldc: number,
) => void;

/** A {@link Gemm} for one kernel call on this backend. */
export type GemmFactory = (backend: WasmBackendLike) => Gemm;

/** Sizes read from qkv [N, 3D] and the attributes; throws on a shape that does not fit. */
function sizes(qkv: tf.TensorInfo, attrs: tf.NamedAttrMap) {
  const batch = attrs.batch as number, heads = attrs.heads as number;
  const [rows, width3] = qkv.shape;
  const width = width3 / 3, time = rows / batch, headDim = width / heads;
  if (!Number.isInteger(time) || !Number.isInteger(headDim) || qkv.shape.length !== 2) {
    throw new RangeError(
      `fused attention: qkv [${qkv.shape}] does not split into batch ${batch} x ${heads} heads`,
    );
  }
  return { batch, heads, time, width, headDim };
}

/** Whether an additive mask broadcasts to `target` [B, H, T, T]. */
function broadcastsTo(maskShape: readonly number[], target: readonly number[]): boolean {
  if (maskShape.length > target.length) return false;
  const offset = target.length - maskShape.length;
  return maskShape.every((d, i) => d === 1 || d === target[offset + i]);
}

function forwardKernel(gemmFor: GemmFactory): tf.KernelFunc {
  const add = tf.getKernel("Add", "wasm")!.kernelFunc;
  const softmax = tf.getKernel("Softmax", "wasm")!.kernelFunc;
  return ({ inputs, backend, attrs }) => {
    const { qkv, mask } = inputs as { qkv: tf.TensorInfo; mask: tf.TensorInfo };
    const { batch, heads, time, width, headDim } = sizes(qkv, attrs ?? {});
    if (!broadcastsTo(mask.shape, [batch, heads, time, time])) {
      throw new RangeError(`fused attention: mask [${mask.shape}]`);
    }
    const wasm = backend as unknown as WasmBackendLike;
    const gemm = gemmFor(wasm);
    const scale = 1 / Math.sqrt(headDim), stride = 3 * width, square = time * time;
    // scores = q k^T / sqrt(hd) per (row, head)   [B, H, T, T]
    const scores = wasm.makeOutput([batch, heads, time, time], "float32");
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const at = b * time * stride + h * headDim;
        const score = { tensor: scores, at: (b * heads + h) * square };
        const [q, k] = [{ tensor: qkv, at }, { tensor: qkv, at: at + width }];
        gemm(false, true, time, time, headDim, scale, q, stride, k, stride, score, time);
      }
    }
    // probs = softmax(scores + mask)
    const masked = add({ inputs: { a: scores, b: mask }, backend, attrs: {} }) as tf.TensorInfo;
    wasm.disposeData(scores.dataId);
    const probs = softmax({
      inputs: { logits: masked },
      backend,
      attrs: { dim: 3 },
    }) as tf.TensorInfo;
    wasm.disposeData(masked.dataId);
    // y = probs v per (row, head), into the merged output's columns of head h   [N, D]
    const out = wasm.makeOutput([batch * time, width], "float32");
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const at = b * time * stride + h * headDim;
        const p = { tensor: probs, at: (b * heads + h) * square };
        const [v, y] = [{ tensor: qkv, at: at + 2 * width }, {
          tensor: out,
          at: b * time * width + h * headDim,
        }];
        gemm(false, false, time, headDim, time, 1, p, time, v, stride, y, width);
      }
    }
    return [out, probs];
  };
}

function backwardKernel(gemmFor: GemmFactory): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, qkv, probs } = inputs as Record<"dy" | "qkv" | "probs", tf.TensorInfo>;
    const { batch, heads, time, width, headDim } = sizes(qkv, attrs ?? {});
    const wasm = backend as unknown as WasmBackendLike;
    const gemm = gemmFor(wasm);
    const grad = wasm.makeOutput([batch * time, 3 * width], "float32"); // [N, 3D]
    const scale = 1 / Math.sqrt(headDim), stride = 3 * width, square = time * time;
    const ds = new Float32Array(square); // dP, then dS in place
    const dS = { array: ds, at: 0 };
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const at = b * time * stride + h * headDim, pAt = (b * heads + h) * square;
        const p = { tensor: probs, at: pAt },
          g = { tensor: dy, at: b * time * width + h * headDim };
        const [q, k, v] = [0, 1, 2].map((i) => ({ tensor: qkv, at: at + i * width }));
        const [dq, dk, dv] = [0, 1, 2].map((i) => ({ tensor: grad, at: at + i * width }));
        gemm(true, false, time, headDim, time, 1, p, time, g, width, dv, stride); // dV = P^T dY
        gemm(false, true, time, time, headDim, 1, g, width, v, stride, dS, time); // dP = dY V^T
        // dS = P (dP - rowsum(dP P))
        const pv = operandView(wasm, p);
        for (let i = 0; i < time; i++) {
          const row = i * time;
          let dot = 0;
          for (let j = 0; j < time; j++) dot += ds[row + j] * pv[row + j];
          for (let j = 0; j < time; j++) ds[row + j] = pv[row + j] * (ds[row + j] - dot);
        }
        gemm(false, false, time, headDim, time, scale, dS, time, k, stride, dq, stride); // dS K
        gemm(true, false, time, headDim, time, scale, dS, time, q, stride, dk, stride); // dS^T Q
      }
    }
    return grad;
  };
}

/**
 * Registers the fused attention kernels on the wasm backend with this matmul (replacing earlier
 * ones); returns a function that removes them again.
 */
export function installFusedAttention(gemmFor: GemmFactory): () => void {
  for (
    const [kernelName, make] of [[FORWARD, forwardKernel], [BACKWARD, backwardKernel]] as const
  ) {
    if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: make(gemmFor) });
  }
  return () => {
    for (const kernelName of [FORWARD, BACKWARD]) {
      if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
    }
  };
}

/**
 * Whether {@link fusedAttention} can run here: its kernels are registered for the active backend
 * (wasm and blas) and `mask` broadcasts to [B, H, T, T].
 *
 * @example
 * ```ts
 * import { fusedAttentionAvailable } from "./fused_attention.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * await tf.setBackend("cpu");
 * // the cpu backend has no fused kernel: model/attention.ts uses tfjs ops there
 * assertEquals(fusedAttentionAvailable(tf.zeros([4, 4]), { shape: { batch: 1, heads: 2 }, time: 4 }), false);
 * ```
 */
export function fusedAttentionAvailable(
  mask: tf.Tensor,
  at: { shape: FusedAttentionShape; time: number },
): boolean {
  const { shape, time } = at;
  return tf.getKernel(FORWARD, tf.getBackend()) !== undefined && mask.dtype === "float32" &&
    broadcastsTo(mask.shape, [shape.batch, shape.heads, time, time]);
}

/**
 * `softmax(q k^T / sqrt(hd) + mask) v` with heads merged, from the fused projection `qkv` [N, 3D]
 * (N = B T; q, k, v are its column thirds, head h at columns h hd .. h hd + hd of each) and an
 * additive float32 `mask` that broadcasts to [B, H, T, T] -> [N, D]. Differentiable in `qkv`
 * (the mask is a constant). Needs {@link fusedAttentionAvailable}.
 * (Tested against the tfjs ops in fused_attention_test.ts; an example here would have to import
 * backend.ts, which imports this module.)
 */
export function fusedAttention(
  qkv: tf.Tensor2D,
  inputs: { mask: tf.Tensor; shape: FusedAttentionShape },
): tf.Tensor2D {
  const { mask, shape } = inputs;
  const attrs = { batch: shape.batch, heads: shape.heads };
  const op = tf.customGrad((x, save) => {
    const [out, probs] = tf.engine().runKernel(
      FORWARD,
      { qkv: x as tf.Tensor, mask },
      attrs,
    ) as tf.Tensor[];
    (save as tf.GradSaveFunc)([x as tf.Tensor, probs]);
    return {
      value: out,
      gradFunc: (dy, [saved, p]) =>
        tf.engine().runKernel(
          BACKWARD,
          { dy: dy as tf.Tensor, qkv: saved, probs: p },
          attrs,
        ) as tf.Tensor,
    };
  });
  return op(qkv) as tf.Tensor2D;
}
