/**
 * Fused causal self-attention for `--backend blas`: `softmax(q k^T / sqrt(hd) + mask) v` for every
 * (batch row, head) read straight out of the fused projection `qkv` [N, 3D] and written straight
 * into the merged output [N, D], with one sgemm per product (strided through `lda`/`ldc`, so the
 * heads are never split, transposed or merged); the mask and the softmax are wasm's own kernels.
 *
 * Why: in tfjs the attention is a batched matmul of [B, H, T, hd] tensors. Its products are too
 * small for BLAS one by one (model/blas.ts routes them to wasm), and the wasm kernel runs a scalar
 * loop for transposed or batched operands, which made these few products most of a training step;
 * splitting and merging the heads (SplitV, Transpose) cost as much again.
 *
 * The backward pass is a second kernel (dV = P^T dY, dP = dY V^T, dS = P (dP - rowsum(dP P)),
 * dQ = dS K / sqrt(hd), dK = dS^T Q / sqrt(hd)), wired up with `tf.customGrad`. Both kernels exist
 * only while {@link installBlasAttention}'s are registered (the blas backend); every other backend
 * keeps model/attention.ts's tfjs ops. Results match them within float32 rounding (tested).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Blas } from "./blas.ts";

/** Kernel names (registered for the wasm backend only while BLAS is installed). */
const FORWARD = "IrpmBlasAttention", BACKWARD = "IrpmBlasAttentionGrad";

/** Sizes of a fused attention call. */
export interface FusedAttentionShape {
  /** Batch size B. */
  readonly batch: number;
  /** Heads H. */
  readonly heads: number;
}

/** What the kernels need of the wasm backend (its heap and tensor offsets). */
interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  disposeData(dataId: unknown): boolean;
}

/** A float32 view from a tensor's first value to the end of the heap (valid until it grows). */
function heapFrom(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  const offset = backend.dataIdMap.get(info.dataId).memoryOffset;
  return new Float32Array(backend.wasm.HEAPF32.buffer, offset);
}

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

function forwardKernel(blas: Blas): tf.KernelFunc {
  // wasm's own vectorised kernels for the mask and the softmax (3-4x a JavaScript loop)
  const add = tf.getKernel("Add", "wasm")!.kernelFunc;
  const softmax = tf.getKernel("Softmax", "wasm")!.kernelFunc;
  return ({ inputs, backend, attrs }) => {
    const { qkv, mask } = inputs as { qkv: tf.TensorInfo; mask: tf.TensorInfo };
    const { batch, heads, time, width, headDim } = sizes(qkv, attrs ?? {});
    if (!broadcastsTo(mask.shape, [batch, heads, time, time])) {
      throw new RangeError(`fused attention: mask [${mask.shape}]`);
    }
    const wasm = backend as unknown as WasmBackendLike;
    blas.useThreads(1); // one head's products are small (see BLAS_PARALLEL_MACS)
    const scale = 1 / Math.sqrt(headDim), qkvStride = 3 * width, square = time * time;
    // scores = q k^T / sqrt(hd) per (row, head)   [B, H, T, T]
    const scores = wasm.makeOutput([batch, heads, time, time], "float32");
    let q = heapFrom(wasm, qkv); // (views after each allocation: it may grow the heap)
    const s = heapFrom(wasm, scores);
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const qAt = b * time * qkvStride + h * headDim;
        blas.sgemm(
          false,
          true,
          time,
          time,
          headDim,
          scale,
          q.subarray(qAt),
          qkvStride,
          q.subarray(qAt + width),
          qkvStride,
          0,
          s.subarray((b * heads + h) * square),
          time,
        );
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
    q = heapFrom(wasm, qkv);
    const p = heapFrom(wasm, probs), y = heapFrom(wasm, out);
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const qAt = b * time * qkvStride + h * headDim;
        blas.sgemm(
          false,
          false,
          time,
          headDim,
          time,
          1,
          p.subarray((b * heads + h) * square),
          time,
          q.subarray(qAt + 2 * width),
          qkvStride,
          0,
          y.subarray(b * time * width + h * headDim),
          width,
        );
      }
    }
    return [out, probs];
  };
}

function backwardKernel(blas: Blas): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, qkv, probs } = inputs as Record<"dy" | "qkv" | "probs", tf.TensorInfo>;
    const { batch, heads, time, width, headDim } = sizes(qkv, attrs ?? {});
    const wasm = backend as unknown as WasmBackendLike;
    blas.useThreads(1);
    const grad = wasm.makeOutput([batch * time, 3 * width], "float32"); // [N, 3D]
    const q = heapFrom(wasm, qkv), g = heapFrom(wasm, dy);
    const p = heapFrom(wasm, probs), dq = heapFrom(wasm, grad);
    const scale = 1 / Math.sqrt(headDim), qkvStride = 3 * width, square = time * time;
    const ds = new Float32Array(square); // dP, then dS in place
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const qAt = b * time * qkvStride + h * headDim, yAt = b * time * width + h * headDim;
        const pv = p.subarray((b * heads + h) * square, (b * heads + h + 1) * square);
        const gv = g.subarray(yAt);
        // dV = P^T dY
        blas.sgemm(
          true,
          false,
          time,
          headDim,
          time,
          1,
          pv,
          time,
          gv,
          width,
          0,
          dq.subarray(qAt + 2 * width),
          qkvStride,
        );
        // dP = dY V^T
        blas.sgemm(
          false,
          true,
          time,
          time,
          headDim,
          1,
          gv,
          width,
          q.subarray(qAt + 2 * width),
          qkvStride,
          0,
          ds,
          time,
        );
        // dS = P (dP - rowsum(dP P))
        for (let i = 0; i < time; i++) {
          const row = i * time;
          let dot = 0;
          for (let j = 0; j < time; j++) dot += ds[row + j] * pv[row + j];
          for (let j = 0; j < time; j++) ds[row + j] = pv[row + j] * (ds[row + j] - dot);
        }
        // dQ = dS K / sqrt(hd), dK = dS^T Q / sqrt(hd)
        blas.sgemm(
          false,
          false,
          time,
          headDim,
          time,
          scale,
          ds,
          time,
          q.subarray(qAt + width),
          qkvStride,
          0,
          dq.subarray(qAt),
          qkvStride,
        );
        blas.sgemm(
          true,
          false,
          time,
          headDim,
          time,
          scale,
          ds,
          time,
          q.subarray(qAt),
          qkvStride,
          0,
          dq.subarray(qAt + width),
          qkvStride,
        );
      }
    }
    return grad;
  };
}

/**
 * Registers the fused attention kernels on the wasm backend (call once BLAS is loaded); returns a
 * function that removes them again.
 */
export function installBlasAttention(blas: Blas): () => void {
  for (
    const [kernelName, make] of [[FORWARD, forwardKernel], [BACKWARD, backwardKernel]] as const
  ) {
    if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: make(blas) });
  }
  return () => {
    for (const kernelName of [FORWARD, BACKWARD]) {
      if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
    }
  };
}

/**
 * Whether {@link fusedAttention} can run here: its kernels are registered for the active backend
 * (the blas backend) and `mask` broadcasts to [B, H, T, T].
 *
 * @example
 * ```ts
 * import { fusedAttentionAvailable } from "./blas_attention.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * await tf.setBackend("cpu");
 * // the cpu backend has no fused kernel: model/attention.ts uses tfjs ops there
 * assertEquals(fusedAttentionAvailable(tf.zeros([4, 4]), { batch: 1, heads: 2 }, 4), false);
 * ```
 */
export function fusedAttentionAvailable(
  mask: tf.Tensor,
  shape: FusedAttentionShape,
  time: number,
): boolean {
  return tf.getKernel(FORWARD, tf.getBackend()) !== undefined && mask.dtype === "float32" &&
    broadcastsTo(mask.shape, [shape.batch, shape.heads, time, time]);
}

/**
 * `softmax(q k^T / sqrt(hd) + mask) v` with heads merged, from the fused projection `qkv` [N, 3D]
 * (N = B T; q, k, v are its column thirds, head h at columns h hd .. h hd + hd of each) and an
 * additive float32 `mask` that broadcasts to [B, H, T, T] -> [N, D]. Differentiable in `qkv`
 * (the mask is a constant). Needs {@link fusedAttentionAvailable}.
 */
export function fusedAttention(
  qkv: tf.Tensor2D,
  mask: tf.Tensor,
  shape: FusedAttentionShape,
): tf.Tensor2D {
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
