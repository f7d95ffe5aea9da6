/**
 * Choosing and starting a TensorFlow.js backend under Deno, one named initialiser per backend.
 *
 * - `wasm`: tfjs-backend-wasm, SIMD, single-threaded (tfjs disables threads when it detects
 *   Node/Deno). Its `.wasm` binaries are located from the resolved package URL, so this works from
 *   any working directory (repo root, `notebooks/`). Its Slice and SplitV kernels are replaced
 *   by copy-free ones (model/wasm_kernels.ts; same values), LayerNorm's and GELU's backward are
 *   one pass each (model/layer_norm_kernel.ts, model/gelu_grad_kernel.ts), and full-sequence
 *   attention runs as one fused kernel of per-head XNNPACK products (model/fused_attention.ts,
 *   model/wasm_gemm.ts); all within float32 rounding of the tfjs ops.
 * - `webgpu`: Deno's built-in WebGPU. tfjs 4.22 pushes `['bgra8unorm-storage']` as a NESTED array
 *   into `requiredFeatures`, which Deno rejects; the adapter is wrapped so the list is flattened.
 *   tfjs already requests the adapter's maximum buffer limits. A fallback/software adapter
 *   (llvmpipe, lavapipe, SwiftShader) is reported as a CPU, never as a GPU.
 * - `blas`: the wasm backend with its matmuls (`BatchMatMul`, `_FusedMatMul`) on a native BLAS
 *   (`cblas_sgemm` of OpenBLAS / Accelerate through Deno FFI, every core; model/blas.ts), and
 *   the fused attention's per-head products on sgemm too. Needs the library (`apt-get install libopenblas0-pthread`); without
 *   it, a {@link BackendError} says so. Results match wasm within float32 rounding, not bit for
 *   bit.
 * - `cpu`: tfjs-backend-cpu (plain JavaScript, slowest, simplest).
 * - `tensorflow`: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`, imported lazily, only on
 *   request and only when already installed in the project (importing an absent `npm:` package
 *   would download it and rewrite `deno.lock`). They are not installed on the kit's machines, so
 *   this normally throws a {@link BackendUnavailableError} that says how to install one and
 *   suggests `--backend wasm` or `--backend webgpu`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import "./gradients.ts";
import { type Blas, BLAS_LIBRARIES, blasGemm, installBlasMatMul, loadBlas } from "./blas.ts";
import { installFusedAttention } from "./fused_attention.ts";
import { wasmGemm } from "./wasm_gemm.ts";
import { installWasmKernels } from "./wasm_kernels.ts";
import { installGeluGrad } from "./gelu_grad_kernel.ts";
import { installLayerNormGrad } from "./layer_norm_kernel.ts";

/** Backends the kit knows how to start. */
export type BackendName = "wasm" | "blas" | "webgpu" | "cpu" | "tensorflow";

/** Names accepted by {@link initBackend}, for CLI flag validation. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "wasm",
  "blas",
  "webgpu",
  "cpu",
  "tensorflow",
];

/** What was started. */
export interface BackendInfo {
  /** The tfjs backend now active. */
  readonly name: BackendName;
  /** Human-readable device, e.g. "NVIDIA H100 (hopper)" or "CPU (WebAssembly SIMD, 1 thread)". */
  readonly device: string;
  /** webgpu: true when the adapter is a software fallback (then `device` says "not a GPU"). */
  readonly isFallbackAdapter?: boolean;
  /** webgpu: the adapter's vendor/architecture/device/description. */
  readonly adapterInfo?: Readonly<Record<string, string>>;
  /** webgpu: limits of the device tfjs created. */
  readonly limits?: Readonly<Record<string, number>>;
  /** wasm: worker threads in use. */
  readonly threads?: number;
}

/** A backend could not be started; the message says why and what to use instead. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

async function activate(name: string): Promise<void> {
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    cause = error;
  }
  if (!ok) {
    const why = cause instanceof Error ? cause.message : "tf.setBackend returned false";
    throw new BackendError(`could not start the "${name}" backend: ${why}`);
  }
  await tf.ready();
}

async function initCpu(): Promise<BackendInfo> {
  await activate("cpu");
  return { name: "cpu", device: "CPU (tfjs-backend-cpu, plain JavaScript)" };
}

// Whether the wasm kernels of wasm_kernels.ts, gelu_grad_kernel.ts and layer_norm_kernel.ts are in
// place (once per process).
let wasmKernelsInstalled = false;

async function initWasm(): Promise<BackendInfo> {
  // .../tfjs-backend-wasm/dist/<entry>.js -> .../dist/, where the .wasm files live.
  setWasmPaths(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href);
  wasmKernelsInstalled ||= (installWasmKernels(), installGeluGrad(), installLayerNormGrad(), true);
  uninstallBlas?.();
  uninstallBlas = null;
  await activate("wasm");
  removeFusedAttention?.();
  removeFusedAttention = installFusedAttention(wasmGemm());
  const threads = getThreadsCount();
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const device = `CPU (WebAssembly${simd ? " SIMD" : ""}, ${threads} thread${
    threads === 1 ? "" : "s"
  })`;
  return { name: "wasm", device, threads };
}

// The BLAS library once loaded, how to put the wasm matmul kernels back, and how to remove the
// fused attention kernels (wasm's or BLAS's).
let blasLoaded: Blas | null = null;
let uninstallBlas: (() => void) | null = null;
let removeFusedAttention: (() => void) | null = null;

async function initBlas(): Promise<BackendInfo> {
  const wasm = await initWasm(); // (puts wasm's own matmuls back, if an earlier init replaced them)
  blasLoaded ??= loadBlas();
  if (blasLoaded === null) {
    throw new BackendUnavailableError(
      `backend "blas" needs a BLAS library (tried ${
        BLAS_LIBRARIES.join(", ")
      }): on Debian/Ubuntu ` +
        "`apt-get install libopenblas0-pthread`; or use --backend wasm, which needs nothing more",
    );
  }
  uninstallBlas = installBlasMatMul(blasLoaded);
  removeFusedAttention?.();
  removeFusedAttention = installFusedAttention(blasGemm(blasLoaded));
  const { library, threads } = blasLoaded;
  return {
    name: "blas",
    device: `${wasm.device.replace(/\)$/, "")}; matmuls on ${
      library.split("/").at(-1)
    } sgemm, ${threads} thread${threads === 1 ? "" : "s"})`,
    threads,
  };
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|basic render|warp/i;

/** Describes a WebGPU adapter; software adapters are never called a GPU. */
export function describeAdapter(
  info: Readonly<Record<string, unknown>>,
  isFallbackAdapter: boolean,
): { device: string; isFallbackAdapter: boolean } {
  const name = String(info.description || info.device || info.vendor || "unknown adapter");
  const software = isFallbackAdapter || SOFTWARE_ADAPTER.test(name);
  if (software) {
    const short = name.split(" (")[0];
    return { device: `${short} (CPU software rasterizer, not a GPU)`, isFallbackAdapter: true };
  }
  const arch = info.architecture ? ` (${info.architecture})` : "";
  return { device: `${name}${arch}`, isFallbackAdapter: false };
}

// The adapter behind each device tfjs created (tfjs keeps only vendor/architecture).
const adapterOfDevice = new WeakMap<GPUDevice, GPUAdapter>();

/** Wraps `adapter.requestDevice` so a nested `requiredFeatures` list is flattened. */
function patchAdapter(adapter: GPUAdapter): void {
  const requestDevice = adapter.requestDevice.bind(adapter);
  adapter.requestDevice = async (descriptor?: GPUDeviceDescriptor) => {
    const features = descriptor?.requiredFeatures as unknown as unknown[] | undefined;
    const flat = features ? (features.flat() as GPUFeatureName[]) : undefined;
    const device = await requestDevice(descriptor && { ...descriptor, requiredFeatures: flat });
    adapterOfDevice.set(device, adapter);
    return device;
  };
}

async function initWebgpu(): Promise<BackendInfo> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    throw new BackendError("webgpu: navigator.gpu is missing in this runtime; use --backend wasm");
  }
  const requestAdapter = gpu.requestAdapter;
  gpu.requestAdapter = async (options?: GPURequestAdapterOptions) => {
    const adapter = await requestAdapter.call(gpu, options);
    if (adapter) patchAdapter(adapter);
    return adapter;
  };
  try {
    await activate("webgpu");
  } finally {
    gpu.requestAdapter = requestAdapter;
  }
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  const adapter = device && adapterOfDevice.get(device);
  if (!device || !adapter) throw new BackendError("webgpu: no adapter found; use --backend wasm");
  const raw = adapter.info as unknown as Record<string, unknown>;
  const adapterInfo: Record<string, string> = {};
  for (const key of ["vendor", "architecture", "device", "description"]) {
    adapterInfo[key] = String(raw[key] ?? "");
  }
  const fallbackFlag = Boolean(
    raw.isFallbackAdapter ??
      (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const limits = {
    maxStorageBufferBindingSize: Number(device.limits.maxStorageBufferBindingSize),
    maxBufferSize: Number(device.limits.maxBufferSize),
  };
  return { name: "webgpu", ...describeAdapter(adapterInfo, fallbackFlag), adapterInfo, limits };
}

/** Module specifiers tried, in order, for the `tensorflow` backend. */
export const TENSORFLOW_MODULES: readonly string[] = [
  "npm:@tensorflow/tfjs-node-gpu@4.22.0",
  "npm:@tensorflow/tfjs-node@4.22.0",
];

/**
 * The `tensorflow` backend's package is not installed in this project. Nothing was downloaded or
 * changed; the message says how to install it and which backends work without it.
 */
export class BackendUnavailableError extends BackendError {
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}

/**
 * True when an `npm:` specifier is already installed in this project, judged without importing it.
 *
 * Deno resolves an npm specifier against the project's lockfile: `import.meta.resolve` gives a
 * `file:` URL inside `node_modules/.deno/` only for a package the lockfile knows, and gives the
 * `npm:` specifier back otherwise; it never downloads. The file must also exist (the package was
 * installed, not just locked). Importing a specifier that fails this test would make Deno download
 * the package and rewrite `deno.lock`, so {@link initTensorflow} does not.
 *
 * @example
 * ```ts
 * import { isNpmPackageInstalled } from "./backend.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(isNpmPackageInstalled("npm:@tensorflow/tfjs-backend-cpu@4.22.0"), true);
 * assertEquals(isNpmPackageInstalled("npm:@tensorflow/no-such-package@1.0.0"), false);
 * ```
 */
export function isNpmPackageInstalled(specifier: string): boolean {
  let resolved: string;
  try {
    resolved = import.meta.resolve(specifier);
  } catch {
    return false;
  }
  if (!resolved.startsWith("file:")) return false;
  try {
    return Deno.statSync(new URL(resolved)).isFile;
  } catch {
    return false; // not there (or not readable): not usable either way
  }
}

const TENSORFLOW_INSTALL = "`deno add npm:@tensorflow/tfjs-node@4.22.0` then " +
  "`deno install --allow-scripts=npm:@tensorflow/tfjs-node` (its install script downloads " +
  "libtensorflow, so it needs network access)";

/**
 * Starts the libtensorflow backend from the first module in `modules` that loads.
 * `load` is the dynamic import (injectable for tests); `installed` says whether a module may be
 * loaded at all: by default {@link isNpmPackageInstalled} guards the default dynamic import, so a
 * backend that is not installed is reported with a {@link BackendUnavailableError} instead of
 * being downloaded into the project (a caller-supplied `load` is trusted with every module).
 */
export async function initTensorflow(
  options: {
    modules?: readonly string[];
    load?: (specifier: string) => Promise<unknown>;
    installed?: (specifier: string) => boolean;
  } = {},
): Promise<BackendInfo> {
  const {
    modules = TENSORFLOW_MODULES,
    load = (specifier: string) => import(specifier),
    installed = options.load ? () => true : isNpmPackageInstalled,
  } = options;
  const present = modules.filter((specifier) => installed(specifier));
  if (present.length === 0) {
    throw new BackendUnavailableError(
      `backend "tensorflow" is not installed: none of ${
        modules.join(", ")
      } is in this project (nothing was downloaded). Install it with ${TENSORFLOW_INSTALL}; ` +
        "or use --backend wasm (CPU) or --backend webgpu (GPU), which need nothing more",
    );
  }
  const failures: string[] = [];
  for (const specifier of present) {
    try {
      await load(specifier);
      await activate("tensorflow");
      return { name: "tensorflow", device: `libtensorflow via ${specifier}` };
    } catch (error) {
      failures.push(
        `${specifier}: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
      );
    }
  }
  throw new BackendError(
    `backend "tensorflow" is unavailable (${
      failures.join("; ")
    }). tfjs-node needs libtensorflow, ` +
      "which its install script downloads and Deno does not run; use --backend wasm or --backend webgpu",
  );
}

const INITIALISERS: Readonly<Record<BackendName, () => Promise<BackendInfo>>> = {
  wasm: initWasm,
  blas: initBlas,
  webgpu: initWebgpu,
  cpu: initCpu,
  tensorflow: () => initTensorflow(),
};

/**
 * Starts a backend and makes it current; also registers tfjs's gradients.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * import { assertEquals } from "@std/assert";
 * const info = await initBackend("cpu");
 * assertEquals(info.name, "cpu");
 * ```
 */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  if (!Object.hasOwn(INITIALISERS, name)) {
    throw new TypeError(`unknown backend "${name}"; valid backends: ${BACKEND_NAMES.join(", ")}`);
  }
  // PROD silences tfjs's console warnings, e.g. the "install tfjs-node" banner that the cpu
  // backend prints under Deno (it takes Deno for Node.js), which would clutter every CLI.
  tf.env().set("PROD", true);
  return await INITIALISERS[name]();
}
