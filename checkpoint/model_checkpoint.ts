/**
 * Saving and loading a GRM (weights, optionally AdamW state) with the kit's safetensors
 * checkpoint format (`checkpoint.ts`). Tensor names: `params/<param name>`,
 * `optim/adamw.m.<param name>`, `optim/adamw.v.<param name>`, `optim/adamw.step`.
 *
 * The sidecar's `config` is `{ model: ModelConfig, ...run config }`, so a checkpoint alone says
 * which architecture to build.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type AdamWState, adamwStateFromTensors, adamwStateTensors } from "../grpo/adamw.ts";
import {
  checkpointTensorNames,
  loadCheckpoint,
  prefixTensors,
  saveCheckpoint,
  tensorsUnderPrefix,
} from "./checkpoint.ts";
import type { CheckpointSidecarFile } from "./checkpoint_sidecar.ts";
import { CheckpointError } from "./safetensors.ts";
import { type ModelConfig, modelConfig } from "../model/config.ts";
import { paramShapes, type TrainableParams } from "../model/params.ts";

/** What a run records next to the weights. */
export interface ModelCheckpointState {
  readonly step: number;
  readonly dataCursor: unknown;
  readonly prngState: readonly number[];
  readonly datasetFingerprint: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Writes weights (+ optimizer state when given) and the sidecar atomically. */
export async function saveModelCheckpoint(
  dir: string,
  checkpoint: {
    model: {
      params: TrainableParams;
      config: ModelConfig;
      optimizer?: AdamWState;
      runConfig?: Readonly<Record<string, unknown>>;
    };
    state: ModelCheckpointState;
  },
): Promise<CheckpointSidecarFile> {
  const { model, state } = checkpoint;
  const tensors: Record<string, tf.Tensor> = prefixTensors(
    checkpointTensorNames.params,
    model.params,
  );
  const owned: tf.Tensor[] = [];
  if (model.optimizer) {
    const optim = adamwStateTensors(model.optimizer);
    for (const [name, t] of Object.entries(optim)) {
      tensors[`optim/${name}`] = t; // optim/adamw.m.<name>: checkpointTensorNames.adamwM
      owned.push(t); // adamwStateTensors returns new tensors
    }
  }
  try {
    return await saveCheckpoint(dir, {
      tensors,
      sidecar: {
        config: { model: model.config, ...(model.runConfig ?? {}) },
        step: state.step,
        dataCursor: state.dataCursor,
        prngState: state.prngState,
        datasetFingerprint: state.datasetFingerprint,
        createdAt: new Date().toISOString(),
        extra: state.extra,
      },
    });
  } finally {
    tf.dispose(owned);
  }
}

/**
 * The `params/` tensors of a loaded checkpoint as trainable variables, checked by name and shape
 * against `shapes` (errors name `where` and every problem), in the key order of `shapes` (that of
 * initParams), so every later reduction over params runs in the same order. The loaded tensors
 * stay owned by the caller.
 */
export function checkedParams(
  tensors: Readonly<Record<string, tf.Tensor>>,
  expected: { shapes: Readonly<Record<string, readonly number[]>>; where: string },
): TrainableParams {
  const { shapes, where } = expected;
  const raw = tensorsUnderPrefix(checkpointTensorNames.params, tensors);
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(shapes)) {
    const t = raw[name];
    if (!t) problems.push(`missing "${name}"`);
    else if (t.shape.join() !== shape.join()) {
      problems.push(`"${name}" has shape [${t.shape}], expected [${shape}]`);
    }
  }
  for (const name of Object.keys(raw)) if (!(name in shapes)) problems.push(`unexpected "${name}"`);
  if (problems.length > 0) throw new CheckpointError(`${where}: ${problems.join("; ")}`);
  const params: Record<string, tf.Variable> = {};
  for (const name of Object.keys(shapes)) params[name] = tf.variable(raw[name], true);
  return params;
}

/** A loaded GRM: params as fresh tf.Variables, the optimizer state if it was saved. */
export interface LoadedModel {
  readonly params: TrainableParams;
  readonly config: Required<ModelConfig>;
  readonly optimizer?: AdamWState;
  readonly sidecar: CheckpointSidecarFile;
}

/**
 * Runs `load` (a checkpoint load from a directory a flag named) and prefixes the message of a
 * {@link CheckpointError} it throws with that flag, e.g. `--warm-start shipped: ...`, so the user
 * sees which flag to change. Other errors pass through unchanged.
 *
 * @example
 * ```ts
 * import { loadForFlag } from "./model_checkpoint.ts";
 * import { CheckpointError } from "./safetensors.ts";
 * import { assertRejects } from "@std/assert";
 * await assertRejects(
 *   () => loadForFlag("--warm-start old", () => Promise.reject(new CheckpointError("old: missing"))),
 *   CheckpointError,
 *   "--warm-start old: old: missing",
 * );
 * ```
 */
export async function loadForFlag<T>(flag: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    throw new CheckpointError(`${flag}: ${error.message}`, { cause: error });
  }
}

/**
 * Loads a checkpoint directory, checks the parameter names and shapes against the architecture
 * recorded in its sidecar, and returns trainable variables.
 */
export async function loadModelCheckpoint(
  dir: string,
  options: { expectModel?: ModelConfig; datasetFingerprint?: string } = {},
): Promise<LoadedModel> {
  const loaded = await loadCheckpoint(dir, {
    expect: options.datasetFingerprint
      ? { datasetFingerprint: options.datasetFingerprint }
      : undefined,
  });
  const sidecar = loaded.sidecar;
  const recorded = (sidecar.config as { model?: ModelConfig }).model;
  if (!recorded) {
    tf.dispose(Object.values(loaded.tensors));
    throw new CheckpointError(`${dir}/checkpoint.json: config.model is missing`);
  }
  const config = modelConfig(recorded);
  if (options.expectModel) {
    const want = modelConfig(options.expectModel);
    const diffs = (Object.keys(want) as (keyof ModelConfig)[])
      .filter((k) => want[k] !== config[k])
      .map((k) => `${k}: checkpoint ${config[k]}, expected ${want[k]}`);
    if (diffs.length > 0) {
      tf.dispose(Object.values(loaded.tensors));
      throw new CheckpointError(`${dir}: model config differs (${diffs.join("; ")})`);
    }
  }
  let params: TrainableParams;
  try {
    params = checkedParams(loaded.tensors, {
      shapes: paramShapes(config),
      where: `${dir}/model.safetensors`,
    });
  } catch (error) {
    tf.dispose(Object.values(loaded.tensors));
    throw error;
  }
  const optimTensors: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(loaded.tensors)) {
    if (name.startsWith("optim/")) optimTensors[name.slice("optim/".length)] = t;
  }
  const optimizer = Object.keys(optimTensors).length > 0
    ? await adamwStateFromTensors(optimTensors)
    : undefined;
  tf.dispose(Object.values(loaded.tensors));
  return { params, config, optimizer, sidecar };
}
