/**
 * A checkpoint's sidecar (`checkpoint.json`): its type, its checks, and a field-by-field
 * comparison of a saved config with the one a run resumes with.
 *
 * @module
 */
import { canonicalJson } from "./fingerprint.ts";
import { CheckpointError } from "./safetensors.ts";

/** The `format` tag of every checkpoint this kit writes. */
export const CHECKPOINT_FORMAT = "irpm-kit-checkpoint";
/** The sidecar layout version this module writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** The run state saved next to the tensors. Every field must be plain JSON. */
export interface CheckpointSidecar<Config extends object = Record<string, unknown>> {
  /** The full run config; compared on resume (`expect.config`). */
  readonly config: Config;
  /** Optimizer steps taken so far (an integer >= 0). */
  readonly step: number;
  /** Where the data stream stands, e.g. `{ epoch: 1, index: 512 }` (any JSON value). */
  readonly dataCursor: unknown;
  /** The sampler PRNG state (`prng.state()`, four uint32 words). */
  readonly prngState: readonly number[];
  /** `datasetFingerprint(...)` of the training data. */
  readonly datasetFingerprint: string;
  /** ISO time stamp, if the caller wants one (left out, the files are byte-reproducible). */
  readonly createdAt?: string;
  /** Anything else the caller wants to keep (JSON). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The sidecar as stored in `checkpoint.json`. */
export interface CheckpointSidecarFile<Config extends object = Record<string, unknown>>
  extends CheckpointSidecar<Config> {
  /** Always {@link CHECKPOINT_FORMAT}. */
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Always {@link CHECKPOINT_VERSION}. */
  readonly version: typeof CHECKPOINT_VERSION;
  /** SHA-256 (hex) of the bytes of `model.safetensors`. */
  readonly sha256: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks the fields of a checkpoint sidecar (see `CheckpointSidecar` in `checkpoint.ts`):
 * `config` and `extra` (optional) JSON objects, `step` an integer >= 0, `prngState` uint32 words,
 * `datasetFingerprint` a non-empty string, `dataCursor` any JSON value, `createdAt` (optional) a
 * string. Throws TypeError or RangeError whose message starts with `where` and names the field.
 *
 * @example
 * ```ts
 * import { checkSidecar } from "./checkpoint_sidecar.ts";
 * import { assertThrows } from "@std/assert";
 * const ok = { config: {}, step: 0, dataCursor: 0, prngState: [1, 2, 3, 4] };
 * checkSidecar({ ...ok, datasetFingerprint: "f" }, "run/checkpoint.json");
 * const bad = { ...ok, datasetFingerprint: "f", step: -1 };
 * assertThrows(() => checkSidecar(bad, "x"), RangeError, "x: step must be an integer >= 0");
 * const nan = { ...ok, datasetFingerprint: "f", config: { lr: NaN } };
 * assertThrows(() => checkSidecar(nan, "x"), TypeError, "x: $.config.lr is NaN");
 * ```
 */
export function checkSidecar(sidecar: unknown, where: string): void {
  if (!isRecord(sidecar)) throw new TypeError(`${where}: the sidecar is not an object`);
  const { config, step, dataCursor, prngState, datasetFingerprint, createdAt, extra } = sidecar;
  if (!isRecord(config)) throw new TypeError(`${where}: config must be an object`);
  if (!Number.isSafeInteger(step) || (step as number) < 0) {
    throw new RangeError(`${where}: step must be an integer >= 0, got ${JSON.stringify(step)}`);
  }
  const isWord = (w: unknown) =>
    Number.isInteger(w) && (w as number) >= 0 && (w as number) < 2 ** 32;
  if (!Array.isArray(prngState) || !prngState.every(isWord)) {
    throw new RangeError(
      `${where}: prngState must be uint32 words, got ${JSON.stringify(prngState)}`,
    );
  }
  if (typeof datasetFingerprint !== "string" || datasetFingerprint === "") {
    throw new TypeError(
      `${where}: datasetFingerprint must be a non-empty string, got ${
        JSON.stringify(datasetFingerprint)
      }`,
    );
  }
  if (dataCursor === undefined) {
    throw new TypeError(`${where}: dataCursor must be a JSON value (null when there is none)`);
  }
  if (createdAt !== undefined && typeof createdAt !== "string") {
    throw new TypeError(`${where}: createdAt must be a string, got ${JSON.stringify(createdAt)}`);
  }
  if (extra !== undefined && !isRecord(extra)) {
    throw new TypeError(`${where}: extra must be an object`);
  }
  try {
    canonicalJson({ config, dataCursor, extra });
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = canonicalJson(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function collect(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const k of keys) collect(expected[k], actual[k], `${path}.${k}`, out);
  } else if (
    Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length
  ) {
    expected.forEach((e, i) => collect(e, actual[i], `${path}[${i}]`, out));
  } else if (
    expected === undefined || actual === undefined ||
    canonicalJson(expected) !== canonicalJson(actual)
  ) {
    out.push(`${path}: checkpoint has ${show(actual)}, expected ${show(expected)}`);
  }
}

/**
 * Lists every leaf where two configs differ, after a JSON round trip of each (so `undefined`
 * fields count as absent), e.g. `config.width: checkpoint has 64, expected 128`. Empty when they
 * are equal. Throws TypeError if either is not plain JSON.
 *
 * @example
 * ```ts
 * import { configDifferences } from "./checkpoint_sidecar.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(configDifferences({ width: 128, lr: 1e-3 }, { width: 64, lr: 1e-3 }), [
 *   "config.width: checkpoint has 64, expected 128",
 * ]);
 * assertEquals(configDifferences({ a: [1, 2] }, { a: [1], b: "x" }), [
 *   "config.a: checkpoint has [1], expected [1,2]",
 *   'config.b: checkpoint has "x", expected (absent)',
 * ]);
 * ```
 */
export function configDifferences(expected: unknown, actual: unknown): string[] {
  const out: string[] = [];
  collect(JSON.parse(canonicalJson(expected)), JSON.parse(canonicalJson(actual)), "config", out);
  return out;
}

/**
 * Parses and checks the bytes of a `checkpoint.json`: JSON, `format` and `version` as this kit
 * writes them, a 64-hex `sha256`, and the fields {@link checkSidecar} checks. Throws a
 * {@link CheckpointError} starting with `path`. `Config` is not checked beyond being an object.
 *
 * @example
 * ```ts
 * import { parseCheckpointSidecar } from "./checkpoint_sidecar.ts";
 * import { CheckpointError } from "./safetensors.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const text = JSON.stringify({
 *   format: "irpm-kit-checkpoint", version: 1, config: {}, step: 2, dataCursor: null,
 *   prngState: [1, 2, 3, 4], datasetFingerprint: "f", sha256: "ab".repeat(32),
 * });
 * assertEquals(parseCheckpointSidecar(new TextEncoder().encode(text), "c.json").step, 2);
 * const bad = new TextEncoder().encode(text.replace('"version":1', '"version":2'));
 * assertThrows(() => parseCheckpointSidecar(bad, "c.json"), CheckpointError, "c.json: version 2");
 * ```
 */
export function parseCheckpointSidecar<Config extends object = Record<string, unknown>>(
  bytes: Uint8Array,
  path: string,
): CheckpointSidecarFile<Config> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new CheckpointError(`${path}: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const record = value as Record<string, unknown>;
  if (typeof value !== "object" || value === null || record.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `${path}: not an ${CHECKPOINT_FORMAT} sidecar (format ${JSON.stringify(record?.format)})`,
    );
  }
  if (record.version !== CHECKPOINT_VERSION) {
    const version = JSON.stringify(record.version);
    throw new CheckpointError(
      `${path}: version ${version} is not supported (this kit reads ${CHECKPOINT_VERSION})`,
    );
  }
  if (typeof record.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(record.sha256)) {
    throw new CheckpointError(`${path}: sha256 ${JSON.stringify(record.sha256)} is not 64 hex`);
  }
  try {
    checkSidecar(record, path);
  } catch (error) {
    throw new CheckpointError((error as Error).message, { cause: error });
  }
  return value as CheckpointSidecarFile<Config>;
}
