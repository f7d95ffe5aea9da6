/**
 * The safetensors file format, bytes <-> named tensors, exactly as the Python `safetensors` package
 * (its Rust core) writes and reads it. Pure: no file I/O here (see `checkpoint.ts`).
 *
 * Layout: an 8-byte little-endian u64 `N`, then `N` bytes of UTF-8 JSON header, then the data
 * buffer. The header maps each tensor name to `{ "dtype", "shape", "data_offsets": [begin, end] }`
 * (byte offsets into the data buffer) and may hold `"__metadata__": { string: string }`. Data is
 * little-endian, C order, packed without gaps; the last tensor ends at the end of the file.
 *
 * Writer conventions copied from the reference so our bytes equal Python's `save_file` output:
 * tensors sorted by dtype alignment, largest first (F32 before I32), then by name (UTF-8 bytes);
 * compact JSON with `__metadata__` first, then tensors in data order, keys `dtype`, `shape`,
 * `data_offsets`; header padded with spaces to a multiple of 8 bytes so every tensor is aligned.
 * One choice of ours: metadata keys are sorted (the reference writes them in hash-map order).
 *
 * Reader checks, same as the reference: header length at most 100 MB and inside the file, UTF-8,
 * starts with `{`, valid JSON; known dtype; shape x dtype size equals the offset span; offsets,
 * sorted, start at 0 and touch with no gap or overlap; the last one ends exactly at the file end.
 *
 * @module
 */
/** A malformed, truncated or mismatched checkpoint; the message names the file and the fault. */
export class CheckpointError extends Error {
  /** Creates the error; `message` should start with the file or source it is about. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CheckpointError";
  }
}

/** The element types this kit stores (tfjs `float32` and `int32`). */
export type SafetensorsDtype = "F32" | "I32";

/** A tensor whose data lives on the host: what is written to or read from a safetensors file. */
export interface HostTensor {
  /** Element type. `F32` holds a `Float32Array`, `I32` an `Int32Array`. */
  readonly dtype: SafetensorsDtype;
  /** Dimensions, outermost first; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** The elements in C (row-major) order; length = product of `shape`. */
  readonly data: Float32Array | Int32Array;
}

/** What {@link decodeSafetensors} returns. */
export interface DecodedSafetensors {
  /** Tensors by name; each `data` is a fresh copy, not a view into the input bytes. */
  readonly tensors: Record<string, HostTensor>;
  /** The `__metadata__` strings (`{}` when the file has none). */
  readonly metadata: Record<string, string>;
}

/** Dtype names the reference knows (older and newer releases); only F32 and I32 are decoded. */
const KNOWN_DTYPES = new Set([
  ..."BOOL F4 F6_E2M3 F6_E3M2 U8 I8 F8_E5M2 F8_E4M3 F8_E8M0 I16 U16 F16 BF16".split(" "),
  ..."I32 U32 F32 F64 I64 U64 C64".split(" "),
]);
/** Writer order: larger alignment first, as the reference's dtype enum sorts (F32 > I32). */
const DTYPE_RANK: Readonly<Record<SafetensorsDtype, number>> = { F32: 0, I32: 1 };
/** The reference refuses headers above this size. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = "__metadata__";
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const utf8 = new TextEncoder();

function requireLittleEndianHost(): void {
  if (!HOST_LITTLE_ENDIAN) throw new RangeError("safetensors needs a little-endian host");
}

/** Orders strings by their UTF-8 bytes, as Rust's `String` does (JS `<` compares UTF-16 units). */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Checks a host tensor before it is written: dtype F32/I32 with the matching typed array, a shape
 * of integers >= 0 whose product is the data length, and a name other than `__metadata__`.
 * Throws TypeError (wrong kind) or RangeError (wrong size) naming the tensor.
 *
 * @example
 * ```ts
 * import { checkHostTensor } from "./safetensors.ts";
 * import { assertThrows } from "@std/assert";
 * checkHostTensor("w", { dtype: "F32", shape: [2], data: new Float32Array(2) });
 * assertThrows(
 *   () => checkHostTensor("w", { dtype: "F32", shape: [3], data: new Float32Array(2) }),
 *   RangeError,
 *   'tensor "w": shape [3] has 3 elements, data has 2',
 * );
 * ```
 */
export function checkHostTensor(name: string, t: HostTensor): void {
  if (name === METADATA_KEY) throw new TypeError(`tensor name "${METADATA_KEY}" is reserved`);
  const arrayType = t.dtype === "F32" ? Float32Array : t.dtype === "I32" ? Int32Array : null;
  if (arrayType === null) {
    throw new TypeError(`tensor "${name}": dtype ${JSON.stringify(t.dtype)} is not F32 or I32`);
  }
  if (!(t.data instanceof arrayType)) {
    throw new TypeError(`tensor "${name}": dtype ${t.dtype} needs a ${arrayType.name} data array`);
  }
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(`tensor "${name}": shape ${JSON.stringify(t.shape)} is not [int >= 0]`);
  }
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size !== t.data.length) {
    throw new RangeError(
      `tensor "${name}": shape ${
        JSON.stringify(t.shape)
      } has ${size} elements, data has ${t.data.length}`,
    );
  }
}

/**
 * Serializes named tensors (and optional string metadata) to safetensors bytes, byte for byte what
 * Python's `safetensors.numpy.save_file` writes for the same arrays (metadata keys sorted).
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * import { assertEquals } from "@std/assert";
 * const w = { dtype: "F32", shape: [2], data: Float32Array.of(1, 2) } as const;
 * const bytes = encodeSafetensors({ w });
 * // 8 (length) + 56 (header: 54 bytes of JSON + 2 spaces) + 8 (two float32)
 * assertEquals(bytes.length, 72);
 * assertEquals(Array.from(decodeSafetensors(bytes).tensors.w.data), [1, 2]);
 * ```
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, HostTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  requireLittleEndianHost();
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) checkHostTensor(name, t);
  entries.sort(([an, a], [bn, b]) =>
    DTYPE_RANK[a.dtype] - DTYPE_RANK[b.dtype] || compareUtf8(an, bn)
  );
  const header: [string, unknown][] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareUtf8);
    for (const k of keys) {
      if (typeof metadata[k] !== "string") {
        throw new TypeError(`metadata "${k}" must be a string, got ${JSON.stringify(metadata[k])}`);
      }
    }
    header.push([METADATA_KEY, Object.fromEntries(keys.map((k) => [k, metadata[k]]))]);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.data.byteLength;
    header.push([name, { dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] }]);
    offset = end;
  }
  const json = utf8.encode(JSON.stringify(Object.fromEntries(header)));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces
  let at = 8 + headerLength;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

/** Checks one header entry; `fail` throws a CheckpointError carrying the source. */
function parseTensorInfo(name: string, raw: unknown, fail: (m: string) => never): TensorInfo {
  const where = `tensor "${name}"`;
  if (!isPlainObject(raw)) fail(`${where}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== "string" || !KNOWN_DTYPES.has(dtype)) {
    fail(`${where}: unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (dtype !== "F32" && dtype !== "I32") {
    fail(`${where}: dtype ${dtype} is not supported (this kit reads F32 and I32)`);
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    fail(`${where}: shape ${JSON.stringify(shape)} is not a list of integers >= 0`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(`${where}: data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const elements = shape.reduce((a: number, b: number) => a * b, 1);
  if (elements * 4 !== end - begin) {
    fail(
      `${where}: shape ${JSON.stringify(shape)} with dtype ${dtype} needs ${elements * 4} bytes ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * Parses safetensors bytes with the reference reader's checks. Every fault throws a
 * {@link CheckpointError} whose message starts with `options.source` (a file path, say).
 *
 * @example
 * ```ts
 * import { CheckpointError, decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const bytes = encodeSafetensors({ step: { dtype: "I32", shape: [], data: Int32Array.of(7) } }, {
 *   format: "demo",
 * });
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * assertEquals([tensors.step.shape, tensors.step.data[0], metadata.format], [[], 7, "demo"]);
 * assertThrows(
 *   () => decodeSafetensors(bytes.subarray(0, bytes.length - 1), { source: "a.safetensors" }),
 *   CheckpointError,
 *   "a.safetensors: truncated",
 * );
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: { source?: string } = {},
): DecodedSafetensors {
  requireLittleEndianHost();
  const source = options.source ?? "safetensors bytes";
  const fail: (message: string, cause?: unknown) => never = (message, cause) => {
    throw new CheckpointError(`${source}: ${message}`, cause === undefined ? undefined : { cause });
  };
  if (bytes.length < 8) {
    fail(`truncated: ${bytes.length} bytes, fewer than the 8-byte header length`);
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the 100 MB limit`);
  const dataStart = 8 + Number(n);
  if (dataStart > bytes.length) {
    fail(`truncated: header length ${n} needs ${dataStart} bytes, file has ${bytes.length}`);
  }
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch (e) {
    fail("header is not valid UTF-8", e);
  }
  if (!text.startsWith("{")) {
    fail(`header must start with "{", got ${JSON.stringify(text.slice(0, 20))}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`, e);
  }
  const metadata: Record<string, string> = {};
  const infos: TensorInfo[] = [];
  // Starts with "{" and parses, so it is an object.
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name !== METADATA_KEY) {
      infos.push(parseTensorInfo(name, raw, fail));
      continue;
    }
    if (!isPlainObject(raw)) fail(`${METADATA_KEY} is not an object of strings`);
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== "string") fail(`${METADATA_KEY}.${k} is not a string: ${JSON.stringify(v)}`);
      Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true });
    }
  }
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLength = bytes.length - dataStart;
  let previous: TensorInfo | undefined;
  for (const info of infos) {
    const at = previous?.end ?? 0;
    const span = `tensor "${info.name}" data_offsets [${info.begin}, ${info.end}]`;
    const after = previous ? `tensor "${previous.name}" ends at ${at}` : "the data starts at 0";
    if (info.begin < at) fail(`${span} overlap: ${after}`);
    if (info.begin > at) {
      fail(`${span} are not contiguous: gap of ${info.begin - at} bytes, ${after}`);
    }
    if (info.end > dataLength) {
      fail(`truncated: ${span} reach beyond the ${dataLength}-byte data buffer`);
    }
    previous = info;
  }
  const end = previous?.end ?? 0;
  if (end !== dataLength) fail(`${dataLength - end} trailing bytes after the last tensor`);
  const tensors = Object.fromEntries(infos.map((info) => {
    const copy = bytes.slice(dataStart + info.begin, dataStart + info.end); // fresh, 8-aligned
    const data = info.dtype === "F32" ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    return [info.name, { dtype: info.dtype, shape: info.shape, data } satisfies HostTensor];
  }));
  return { tensors, metadata };
}
