/**
 * Native BLAS matmuls for the wasm backend (`--backend blas`): Deno FFI to `cblas_sgemm` of
 * OpenBLAS (Debian's `libopenblas0-pthread`) or Apple Accelerate, called directly on the tensors'
 * bytes in the wasm heap (no copy), with all cores. Every other op stays on tfjs-backend-wasm.
 *
 * {@link installBlasMatMul} replaces the wasm backend's `BatchMatMul` and `_FusedMatMul` kernels
 * (bias and linear activation only; anything else goes to the original kernel). Transposes are
 * passed to sgemm, so `matMul(a, b, transposeA, transposeB)` moves no data. When no BLAS library
 * is found, {@link loadBlas} returns null and the caller says so (nothing is downloaded).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GemmFactory, operandView } from "./fused_attention.ts";

/** The sgemm entry point and thread control of a loaded BLAS. */
export interface Blas {
  /** The library file that loaded. */
  readonly library: string;
  /** Threads sgemm uses at most. */
  readonly threads: number;
  /**
   * Threads for the next sgemm calls, 1 ..= `threads` (OpenBLAS; a no-op elsewhere). A small
   * product runs faster on one: waking the other threads costs more than they save, and far
   * more while other processes keep the cores busy.
   */
  useThreads(count: number): void;
  /** Row-major C = alpha op(A) op(B) + beta C on Float32Array views. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  close(): void;
}

/** Library names tried in order: Debian/Ubuntu OpenBLAS, a generic OpenBLAS, macOS Accelerate. */
export const BLAS_LIBRARIES: readonly string[] = Object.freeze([
  "libopenblas.so.0",
  "libopenblas.so",
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
]);

const SGEMM = {
  parameters: [
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "f32",
    "buffer",
    "i32",
    "buffer",
    "i32",
    "f32",
    "buffer",
    "i32",
  ],
  result: "void",
} as const;

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

/**
 * Opens the first BLAS library that loads and has `cblas_sgemm`; null when none does. OpenBLAS
 * gets `threads` threads (default: every core).
 */
export function loadBlas(
  options: { libraries?: readonly string[]; threads?: number } = {},
): Blas | null {
  const {
    libraries = BLAS_LIBRARIES,
    threads = Number(Deno.env.get("IRPM_BLAS_THREADS") ?? "") || navigator.hardwareConcurrency,
  } = options;
  for (const library of libraries) {
    let lib;
    try {
      lib = Deno.dlopen(library, {
        cblas_sgemm: SGEMM,
        openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
        openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
      });
    } catch {
      continue; // not installed under this name
    }
    const symbols = lib.symbols;
    symbols.openblas_set_num_threads?.(threads);
    const used = symbols.openblas_get_num_threads?.() ?? threads;
    let current = used;
    return {
      library,
      threads: used,
      useThreads(count) {
        const next = Math.max(1, Math.min(used, Math.floor(count)));
        if (next === current) return;
        symbols.openblas_set_num_threads?.(next);
        current = next;
      },
      sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
        symbols.cblas_sgemm(
          ROW_MAJOR,
          transA ? TRANS : NO_TRANS,
          transB ? TRANS : NO_TRANS,
          m,
          n,
          k,
          alpha,
          a,
          lda,
          b,
          ldb,
          beta,
          c,
          ldc,
        );
      },
      close: () => lib.close(),
    };
  }
  return null;
}

/** What the wasm backend exposes that the kernels need (its heap and tensor offsets). */
interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number; shape: number[] } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

/** A float32 view of a tensor's bytes in the wasm heap (valid until the heap grows). */
function heapView(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  const offset = backend.dataIdMap.get(info.dataId).memoryOffset;
  const size = info.shape.reduce((a, d) => a * d, 1);
  return new Float32Array(backend.wasm.HEAPF32.buffer, offset, size);
}

/**
 * out[batch] = op(a[batch]) op(b[batch]) (+ bias per column), row-major, with batch broadcasting
 * when one side has a single batch, on one thread when it has fewer than `parallelMacs`
 * multiply-adds in all. Returns the output tensor info.
 */
function blasBatchMatMul(
  blas: Blas,
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  options: { bias?: tf.TensorInfo; parallelMacs: number },
): tf.TensorInfo {
  const { bias, parallelMacs } = options;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) {
    throw new Error(
      `matMul: inner shapes ${k} and ${kb} of [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) must match`,
    );
  }
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, d) => x * d, 1), batchB = outerB.reduce((x, d) => x * d, 1);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new Error(`matMul: batch shapes [${outerA}] and [${outerB}] do not broadcast`);
  }
  const outer = outerA.length >= outerB.length ? outerA : outerB;
  const batch = Math.max(batchA, batchB);
  const out = backend.makeOutput([...(batchA >= batchB ? outer : outerB), m, n], "float32");
  // views after the allocation (it may grow the heap and detach older views)
  const av = heapView(backend, a), bv = heapView(backend, b), cv = heapView(backend, out);
  let beta = 0;
  if (bias !== undefined) {
    const biasView = heapView(backend, bias);
    if (biasView.length !== n && biasView.length !== 1) {
      throw new Error(`matMul: bias of ${biasView.length} values for ${n} columns`);
    }
    for (let row = 0; row < batch * m; row++) {
      if (biasView.length === 1) cv.fill(biasView[0], row * n, row * n + n);
      else cv.set(biasView, row * n);
    }
    beta = 1;
  }
  const lda = transposeA ? m : k, ldb = transposeB ? k : n;
  blas.useThreads(batch * m * n * k < parallelMacs ? 1 : blas.threads);
  for (let i = 0; i < batch; i++) {
    const aOff = (batchA === 1 ? 0 : i) * m * k, bOff = (batchB === 1 ? 0 : i) * k * n;
    blas.sgemm(
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      av.subarray(aOff, aOff + m * k),
      lda,
      bv.subarray(bOff, bOff + k * n),
      ldb,
      beta,
      cv.subarray(i * m * n, (i + 1) * m * n),
      n,
    );
  }
  return out;
}

/**
 * Multiply-adds (m n k, per batch entry) below which a matmul stays on the wasm kernel: a BLAS
 * call's fixed cost (FFI, thread wake-up) outweighs its speed on small products (one generated
 * token, one attention head). `IRPM_BLAS_MIN_MACS` overrides it.
 */
export const BLAS_MIN_MACS = 1 << 18;

/**
 * Multiply-adds (all batch entries) below which a BLAS matmul runs on one thread: a decoding
 * step's products (128 rows) took 1-9 ms each on two threads of a busy 2-core machine (thread
 * wake-ups), under 0.1 ms on one. A training step's products are 8x larger and more.
 * `IRPM_BLAS_PARALLEL_MACS` overrides it.
 */
export const BLAS_PARALLEL_MACS = 1 << 24;

/** m n k of one batch entry of a matmul (inputs' last two dims, transposes applied). */
function macsPerBatch(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
) {
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  return m * n * k;
}

/** True while {@link installBlasMatMul}'s kernels are in place. */
let installed = false;

/**
 * Whether a matmul's result rows are independent of how many rows it has: false while BLAS
 * kernels are installed (a product moves between sgemm and the wasm kernel with its size, so a
 * row's last bits depend on its batch-mates), true otherwise (wasm, cpu; tested in
 * model/sample_test.ts).
 */
export function batchInvariantMatMul(): boolean {
  return !installed;
}

/**
 * Whether `transposeA`/`transposeB` of a matmul cost nothing here: true while BLAS kernels are
 * installed and the wasm backend is active (sgemm reads either layout), false otherwise (wasm's
 * own kernel falls back to a slow loop for transposed operands; see model/layers.ts).
 *
 * @example
 * ```ts
 * import { freeMatMulTransposes } from "./blas.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * await tf.setBackend("cpu"); // no BLAS kernels here: layers.ts transposes explicitly
 * assertEquals(freeMatMulTransposes(), false);
 * ```
 */
export function freeMatMulTransposes(): boolean {
  return installed && tf.getBackend() === "wasm";
}

/**
 * Replaces the wasm backend's BatchMatMul and _FusedMatMul kernels with BLAS sgemm (fused:
 * bias and linear activation; other activations, and products smaller than `minMacs`, keep the
 * original kernel; products under `parallelMacs` run on one thread). Call after the wasm backend
 * is set; returns a function that restores the original kernels.
 */
export function installBlasMatMul(
  blas: Blas,
  options: { minMacs?: number; parallelMacs?: number } = {},
): () => void {
  const minMacs = options.minMacs ??
    (Number(Deno.env.get("IRPM_BLAS_MIN_MACS") ?? "") || BLAS_MIN_MACS);
  const parallelMacs = options.parallelMacs ??
    (Number(Deno.env.get("IRPM_BLAS_PARALLEL_MACS") ?? "") || BLAS_PARALLEL_MACS);
  const originals = ["BatchMatMul", "_FusedMatMul"].map((name) => tf.getKernel(name, "wasm"));
  if (originals.some((k) => k === undefined)) {
    throw new Error("installBlasMatMul: the wasm backend's matMul kernels are not registered");
  }
  const [batchMatMul, fused] = originals as tf.KernelConfig[];
  const replace = (config: tf.KernelConfig) => {
    tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  };
  // One wrapper for both kernels: BLAS when the product is float32, large enough and plain
  // (fused: bias + linear activation only); the original wasm kernel otherwise.
  const blasKernel = (
    original: tf.KernelConfig,
    plain: (attrs: tf.NamedAttrMap, inputs: Record<string, tf.TensorInfo>) => boolean,
  ): tf.KernelConfig => ({
    kernelName: original.kernelName,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b, bias } = inputs as Record<string, tf.TensorInfo>;
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      if (
        a.dtype !== "float32" || b.dtype !== "float32" ||
        !plain(attrs as tf.NamedAttrMap, inputs as Record<string, tf.TensorInfo>) ||
        macsPerBatch(a, b, transposeA, transposeB) < minMacs
      ) {
        return original.kernelFunc({ inputs, backend, attrs });
      }
      const wasm = backend as unknown as WasmBackendLike;
      return blasBatchMatMul(blas, wasm, a, b, transposeA, transposeB, { bias, parallelMacs });
    },
  });
  installed = true;
  replace(blasKernel(batchMatMul, () => true));
  replace(blasKernel(fused, (attrs, inputs) =>
    inputs.preluActivationWeights === undefined &&
    (attrs.activation === "linear" || attrs.activation === undefined) &&
    (inputs.bias === undefined || inputs.bias.shape.length === 1)));
  return () => {
    replace(batchMatMul);
    replace(fused);
    installed = false;
  };
}

/**
 * BLAS sgemm as a {@link GemmFactory} for the fused attention (model/fused_attention.ts): its
 * per-head products are small, so they run on one thread.
 */
export function blasGemm(blas: Blas): GemmFactory {
  return (backend) => {
    blas.useThreads(1);
    const view = (operand: Parameters<typeof operandView>[1]) => operandView(backend, operand);
    return (transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc) =>
      blas.sgemm(transA, transB, m, n, k, alpha, view(a), lda, view(b), ldb, 0, view(c), ldc);
  };
}
