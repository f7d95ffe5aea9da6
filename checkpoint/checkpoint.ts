/**
 * Saving and resuming training: named tensors (weights and optimizer state) in a safetensors file
 * plus a JSON sidecar with the run state, written so that a crash never leaves a half-written
 * checkpoint.
 *
 * ## Files in a checkpoint directory
 * - `model.safetensors`: every tensor, by name (see {@link checkpointTensorNames}):
 *   `params/<name>` (weights), `optim/adamw.m.<name>` and `optim/adamw.v.<name>` (AdamW moments),
 *   `optim/adamw.step` (int32 scalar). Its `__metadata__` holds `format`, `version` and `step`.
 * - `checkpoint.json`: `{ format: "irpm-kit-checkpoint", version: 1, config, step, dataCursor,
 *   prngState, datasetFingerprint, createdAt?, extra?, sha256 }`, where `sha256` is the hash of
 *   the exact bytes of `model.safetensors`. The sidecar is the commit record of a save.
 *
 * ## Write protocol (crash safety)
 * 1. Write the new tensors to `model.safetensors.<id>.tmp` and the new sidecar to
 *    `checkpoint.json.<id>.tmp`, each flushed to disk (fsync) before going on.
 * 2. Rename the tensors file over `model.safetensors`, then the sidecar over `checkpoint.json`
 *    (renames are atomic within a directory; the directory is fsynced after each).
 * 3. Delete leftover `*.tmp` files of earlier interrupted saves.
 *
 * Weights that are NaN or ±Infinity are refused both ways (a diverged run must not produce a
 * checkpoint, and a checkpoint that holds them is useless): `saveCheckpoint` throws a RangeError
 * before touching the directory, `loadCheckpoint` a {@link CheckpointError} naming the tensor.
 * `allowNonFinite: true` turns both off (tests of the byte format).
 *
 * A crash in step 1 leaves the old checkpoint untouched (the loader ignores `*.tmp` files). A crash
 * between the two renames leaves the new tensors next to the old sidecar: the hashes disagree, so
 * the loader looks for a `checkpoint.json.*.tmp` whose `sha256` matches `model.safetensors` (step 1
 * fsynced it) and loads that complete new checkpoint. Otherwise a hash mismatch is an error, never
 * a silent mix. One writer per directory at a time.
 *
 * ## Reading a checkpoint from Python
 * ```text
 * from safetensors.numpy import load_file
 * w = load_file("model.safetensors")        # dict: name -> numpy array (float32 / int32)
 * w["params/tokenEmbedding"].shape
 * import json; meta = json.load(open("checkpoint.json"))
 * ```
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { sha256Hex } from "./fingerprint.ts";
import {
  fromHostTensors,
  type NonFiniteTensor,
  nonFiniteTensors,
  toHostTensors,
} from "./host_tensors.ts";
import { CheckpointError, decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointSidecar,
  type CheckpointSidecarFile,
  checkSidecar,
  configDifferences,
  parseCheckpointSidecar,
} from "./checkpoint_sidecar.ts";

/** File names inside a checkpoint directory. */
export const CHECKPOINT_FILES = Object.freeze({
  tensors: "model.safetensors",
  sidecar: "checkpoint.json",
});

/**
 * Tensor-name prefixes in `model.safetensors`: parameter `tokenEmbedding` is stored as
 * `params/tokenEmbedding`, its AdamW moments as `optim/adamw.m.tokenEmbedding` and
 * `optim/adamw.v.tokenEmbedding`; the optimizer step count as `optim/adamw.step` (an int32 scalar).
 * Build and split records with {@link prefixTensors} and {@link tensorsUnderPrefix}.
 */
export const checkpointTensorNames = Object.freeze({
  params: "params/",
  adamwM: "optim/adamw.m.",
  adamwV: "optim/adamw.v.",
  step: "optim/adamw.step",
});

/** What to save: named tensors (not disposed by the save) and the run state. */
export interface Checkpoint<Config extends object = Record<string, unknown>> {
  /** Weights and optimizer state by name (float32 or int32 tensors, any backend). */
  readonly tensors: Readonly<Record<string, tf.Tensor>>;
  /** The run state. */
  readonly sidecar: CheckpointSidecar<Config>;
}

/** What {@link loadCheckpoint} returns; the caller owns and disposes `tensors`. */
export interface LoadedCheckpoint<Config extends object = Record<string, unknown>> {
  /** Tensors created on the current tf backend. */
  readonly tensors: Record<string, tf.Tensor>;
  /** The verified sidecar. */
  readonly sidecar: CheckpointSidecarFile<Config>;
}

/** What a resume must match; each field given is checked. */
export interface CheckpointExpectation {
  /** The config being resumed with: every field must equal the saved one (after JSON). */
  readonly config?: object;
  /** The fingerprint of the data being resumed on. */
  readonly datasetFingerprint?: string;
}

/**
 * Prefixes every name: `prefixTensors("params/", { w })` is `{ "params/w": w }`.
 *
 * @example
 * ```ts
 * import { checkpointTensorNames, prefixTensors } from "./checkpoint.ts";
 * import { assertEquals } from "@std/assert";
 * const moments = prefixTensors(checkpointTensorNames.adamwM, { w: 1 });
 * assertEquals(moments, { "optim/adamw.m.w": 1 });
 * ```
 */
export function prefixTensors<T>(
  prefix: string,
  tensors: Readonly<Record<string, T>>,
): Record<string, T> {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [prefix + k, t]));
}

/**
 * The entries whose name starts with `prefix`, with the prefix removed (inverse of
 * {@link prefixTensors}).
 *
 * @example
 * ```ts
 * import { tensorsUnderPrefix } from "./checkpoint.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(tensorsUnderPrefix("params/", { "params/w": 1, "optim/step": 2 }), { w: 1 });
 * ```
 */
export function tensorsUnderPrefix<T>(
  prefix: string,
  tensors: Readonly<Record<string, T>>,
): Record<string, T> {
  const inside = Object.entries(tensors).filter(([name]) => name.startsWith(prefix));
  return Object.fromEntries(inside.map(([name, t]) => [name.slice(prefix.length), t]));
}

const TMP_FILE = /^(model\.safetensors|checkpoint\.json)\.[0-9a-z-]+\.tmp$/;

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    await file.syncData();
  } finally {
    file.close();
  }
}

/** Makes completed renames durable; Windows cannot open a directory, so it is skipped there. */
async function syncDirectory(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/** Non-finite tensors, weights (`params/`) first, as one phrase: the first and how many more. */
function describeNonFinite(found: readonly NonFiniteTensor[]): string {
  const ordered = [...found].sort((a, b) =>
    Number(!a.name.startsWith(checkpointTensorNames.params)) -
    Number(!b.name.startsWith(checkpointTensorNames.params))
  );
  const [first] = ordered;
  const more = ordered.length > 1
    ? ` (and ${ordered.length - 1} more tensor${ordered.length === 2 ? "" : "s"})`
    : "";
  const what = first.name.startsWith(checkpointTensorNames.params) ? "weights" : "optimizer state";
  return `tensor "${first.name}" has ${first.count} non-finite value${
    first.count === 1 ? "" : "s"
  } (NaN/Inf) out of ${first.size}${more}; the ${what} diverged`;
}

/**
 * Saves a checkpoint into `dir` (created if needed) by the write protocol in the module doc,
 * replacing any checkpoint already there. Tensor data is read with `await data()`, so any backend
 * works. Returns the sidecar as written. Throws TypeError/RangeError for a bad sidecar, and a
 * RangeError naming the tensor for NaN/Inf values unless `options.allowNonFinite`.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
 * import { assertEquals } from "@std/assert";
 * await tf.setBackend("cpu");
 * const dir = await Deno.makeTempDir();
 * const w = tf.tensor1d([0.5, -2]);
 * const sidecar = {
 *   config: { width: 8 }, step: 3, dataCursor: { index: 12 }, prngState: [1, 2, 3, 4],
 *   datasetFingerprint: "ab12",
 * };
 * await saveCheckpoint(dir, { tensors: { "params/w": w }, sidecar });
 * const loaded = await loadCheckpoint(dir, { expect: { config: { width: 8 } } });
 * assertEquals(Array.from(await loaded.tensors["params/w"].data()), [0.5, -2]);
 * assertEquals(loaded.sidecar.step, 3);
 * tf.dispose([w, loaded.tensors["params/w"]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveCheckpoint<Config extends object>(
  dir: string,
  checkpoint: Checkpoint<Config>,
  options: { allowNonFinite?: boolean } = {},
): Promise<CheckpointSidecarFile<Config>> {
  const s = checkpoint.sidecar;
  checkSidecar(s, "saveCheckpoint sidecar");
  const metadata = {
    format: CHECKPOINT_FORMAT,
    version: `${CHECKPOINT_VERSION}`,
    step: `${s.step}`,
  };
  const host = await toHostTensors(checkpoint.tensors);
  const nonFinite = options.allowNonFinite ? [] : nonFiniteTensors(host);
  if (nonFinite.length > 0) {
    throw new RangeError(`saveCheckpoint ${dir}: ${describeNonFinite(nonFinite)}; not saved`);
  }
  const bytes = encodeSafetensors(host, metadata);
  const sidecar: CheckpointSidecarFile<Config> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: s.config,
    step: s.step,
    dataCursor: s.dataCursor,
    prngState: s.prngState,
    datasetFingerprint: s.datasetFingerprint,
    ...(s.createdAt === undefined ? {} : { createdAt: s.createdAt }),
    ...(s.extra === undefined ? {} : { extra: s.extra }),
    sha256: await sha256Hex(bytes),
  };
  const sidecarBytes = new TextEncoder().encode(`${JSON.stringify(sidecar, null, 2)}\n`);

  await Deno.mkdir(dir, { recursive: true });
  const id = `${Deno.pid}-${crypto.randomUUID()}`;
  const tensorsPath = `${dir}/${CHECKPOINT_FILES.tensors}`;
  const sidecarPath = `${dir}/${CHECKPOINT_FILES.sidecar}`;
  const tmpTensors = `${tensorsPath}.${id}.tmp`, tmpSidecar = `${sidecarPath}.${id}.tmp`;
  let tensorsRenamed = false;
  try {
    await writeDurably(tmpTensors, bytes); // 1. both new files, durable, beside the old ones
    await writeDurably(tmpSidecar, sidecarBytes);
    await Deno.rename(tmpTensors, tensorsPath); // 2. commit: tensors, then the sidecar
    tensorsRenamed = true;
    await syncDirectory(dir);
    await Deno.rename(tmpSidecar, sidecarPath);
    await syncDirectory(dir);
  } catch (error) {
    // Once the tensors are renamed, the temp sidecar is what lets the loader recover: keep it.
    const leftovers = tensorsRenamed ? [] : [tmpTensors, tmpSidecar];
    for (const path of leftovers) await Deno.remove(path).catch(() => {});
    throw error;
  }
  for await (const entry of Deno.readDir(dir)) { // 3. leftovers of interrupted saves
    if (entry.isFile && TMP_FILE.test(entry.name)) {
      await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
  return sidecar;
}

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new CheckpointError(`${path}: cannot read (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** Finds the sidecar of a save interrupted between its two renames (see the module doc). */
async function findPendingSidecar<Config extends object>(
  dir: string,
  sha256: string,
): Promise<CheckpointSidecarFile<Config> | undefined> {
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !TMP_FILE.test(entry.name) || !entry.name.startsWith("checkpoint")) {
      continue;
    }
    const path = `${dir}/${entry.name}`;
    try {
      const sidecar = parseCheckpointSidecar<Config>(await Deno.readFile(path), path);
      if (sidecar.sha256 === sha256) return sidecar;
    } catch {
      // an incomplete temp file from a crash during step 1: not the one we look for
    }
  }
  return undefined;
}

/**
 * Loads and verifies the checkpoint in `dir`: the sidecar must describe `model.safetensors`
 * exactly (SHA-256), the file must parse, and the `expect`ed config and dataset fingerprint must
 * match, and every float must be finite (unless `options.allowNonFinite`). Every fault throws a
 * {@link CheckpointError} naming the file (or directory) and what differs.
 * Tensors are created on the current tf backend; the caller disposes them.
 * `Config` is not checked at run time beyond being an object: pass `expect.config` for that.
 *
 * @example
 * ```ts
 * import { loadCheckpoint } from "./checkpoint.ts";
 * import { CheckpointError } from "./safetensors.ts";
 * import { assertRejects } from "@std/assert";
 * const dir = await Deno.makeTempDir();
 * await assertRejects(() => loadCheckpoint(dir), CheckpointError, "model.safetensors: missing");
 * await Deno.remove(dir);
 * ```
 */
export async function loadCheckpoint<Config extends object = Record<string, unknown>>(
  dir: string,
  options: { expect?: CheckpointExpectation; allowNonFinite?: boolean } = {},
): Promise<LoadedCheckpoint<Config>> {
  const tensorsPath = `${dir}/${CHECKPOINT_FILES.tensors}`;
  const sidecarPath = `${dir}/${CHECKPOINT_FILES.sidecar}`;
  const bytes = await readIfPresent(tensorsPath);
  if (bytes === undefined) throw new CheckpointError(`${tensorsPath}: missing (no checkpoint)`);
  const sidecarBytes = await readIfPresent(sidecarPath);
  const saved = sidecarBytes && parseCheckpointSidecar<Config>(sidecarBytes, sidecarPath);
  const actual = await sha256Hex(bytes);
  const sidecar = saved?.sha256 === actual ? saved : await findPendingSidecar<Config>(dir, actual);
  if (sidecar === undefined && saved === undefined) {
    throw new CheckpointError(`${sidecarPath}: missing, so ${tensorsPath} cannot be verified`);
  }
  if (sidecar === undefined) {
    throw new CheckpointError(
      `${tensorsPath}: sha256 mismatch: ${sidecarPath} expects ${saved?.sha256}, the file has ` +
        `${actual} (${bytes.length} bytes): truncated, corrupted or not from this save`,
    );
  }
  const expect = options.expect ?? {};
  if (expect.config !== undefined) {
    const diffs = configDifferences(expect.config, sidecar.config);
    if (diffs.length > 0) {
      throw new CheckpointError(
        `${sidecarPath}: config differs from the expected config in ${diffs.length} field(s): ` +
          diffs.slice(0, 10).join("; ") + (diffs.length > 10 ? "; ..." : ""),
      );
    }
  }
  if (
    expect.datasetFingerprint !== undefined &&
    expect.datasetFingerprint !== sidecar.datasetFingerprint
  ) {
    throw new CheckpointError(
      `${sidecarPath}: datasetFingerprint ${sidecar.datasetFingerprint} differs from the ` +
        `expected ${expect.datasetFingerprint}: this checkpoint was trained on other data`,
    );
  }
  const { tensors } = decodeSafetensors(bytes, { source: tensorsPath });
  const nonFinite = options.allowNonFinite ? [] : nonFiniteTensors(tensors);
  if (nonFinite.length > 0) throw new CheckpointError(`${dir}: ${describeNonFinite(nonFinite)}`);
  return { tensors: fromHostTensors(tensors), sidecar };
}
