/**
 * Checkpoints of every kind of judge the kit evaluates, in the kit's safetensors format
 * (`checkpoint/model_checkpoint.ts` layout: `params/<name>`, sidecar `config.model`), with the kind
 * recorded in the sidecar as `config.kind`:
 *
 * | kind | what it is | parameters |
 * |---|---|---|
 * | `pointwise` | IRPM's GRM (also the default when `config.kind` is absent) | the transformer |
 * | `pairwise` | the pairwise GRM baseline (reads both responses, writes a verdict) | the transformer |
 * | `scalar` | the Bradley-Terry baseline | the transformer + `scalarHead.*` |
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { AdamWState } from "../grpo/adamw.ts";
import { loadCheckpoint } from "../checkpoint/checkpoint.ts";
import type { CheckpointSidecarFile } from "../checkpoint/checkpoint_sidecar.ts";
import { type ModelConfig, modelConfig } from "../model/config.ts";
import { paramShapes, type TrainableParams } from "../model/params.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import {
  checkedParams,
  type ModelCheckpointState,
  saveModelCheckpoint,
} from "../checkpoint/model_checkpoint.ts";
import { scalarHeadShapes } from "./scalar_head.ts";

/** The kinds of judge. */
export const MODEL_KINDS = ["pointwise", "pairwise", "scalar"] as const;
/** One of {@link MODEL_KINDS}. */
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A judge ready to evaluate. */
export interface JudgeModel {
  readonly kind: ModelKind;
  readonly params: TrainableParams;
  readonly config: Required<ModelConfig>;
}

/** A judge loaded from disk. */
export interface LoadedJudge extends JudgeModel {
  readonly sidecar: CheckpointSidecarFile;
}

/**
 * Parameter names and shapes of a kind: the transformer's, plus the scalar head for `scalar`.
 *
 * @example
 * ```ts
 * import { judgeParamShapes } from "./judge_checkpoint.ts";
 * import { assertEquals } from "@std/assert";
 * const config = { vocabSize: 10, width: 8, depth: 1, heads: 2, contextLength: 4 };
 * const extra = Object.keys(judgeParamShapes("scalar", config)).length -
 *   Object.keys(judgeParamShapes("pointwise", config)).length;
 * assertEquals(extra, 2);
 * ```
 */
export function judgeParamShapes(kind: ModelKind, config: ModelConfig): Record<string, number[]> {
  return kind === "scalar"
    ? { ...paramShapes(config), ...scalarHeadShapes(config) }
    : paramShapes(config);
}

/** Saves a judge with its kind in the sidecar (`config: { model, kind, ...runConfig }`). */
export function saveJudgeModel(
  dir: string,
  checkpoint: {
    model: JudgeModel & {
      optimizer?: AdamWState;
      runConfig?: Readonly<Record<string, unknown>>;
    };
    state: ModelCheckpointState;
  },
): Promise<CheckpointSidecarFile> {
  const { model, state } = checkpoint;
  return saveModelCheckpoint(dir, {
    model: {
      params: model.params,
      config: model.config,
      optimizer: model.optimizer,
      runConfig: { ...(model.runConfig ?? {}), kind: model.kind },
    },
    state,
  });
}

/**
 * Loads a checkpoint of any kind: the kind comes from `config.kind` (absent: `pointwise`, as
 * `deno task train` writes), the parameters are checked by name and shape against that kind's
 * layout, and become trainable variables. Throws `CheckpointError` naming the file for an unknown
 * kind, a missing/unexpected parameter or a wrong shape.
 */
export async function loadJudgeModel(dir: string): Promise<LoadedJudge> {
  const loaded = await loadCheckpoint(dir);
  const fail = (message: string): never => {
    tf.dispose(Object.values(loaded.tensors));
    throw new CheckpointError(message);
  };
  const sidecarPath = `${dir}/checkpoint.json`;
  const recorded = loaded.sidecar.config as { model?: ModelConfig; kind?: unknown };
  if (!recorded.model) fail(`${sidecarPath}: config.model is missing`);
  const kind = recorded.kind ?? "pointwise";
  if (!(MODEL_KINDS as readonly unknown[]).includes(kind)) {
    fail(`${sidecarPath}: config.kind must be one of ${MODEL_KINDS.join(", ")}, got ${kind}`);
  }
  let config: Required<ModelConfig>;
  try {
    config = modelConfig(recorded.model!);
  } catch (error) {
    return fail(`${sidecarPath}: config.model: ${(error as Error).message}`);
  }
  let params: TrainableParams;
  try {
    params = checkedParams(loaded.tensors, {
      shapes: judgeParamShapes(kind as ModelKind, config),
      where: `${dir}/model.safetensors (kind ${kind})`,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  tf.dispose(Object.values(loaded.tensors));
  return { kind: kind as ModelKind, params, config, sidecar: loaded.sidecar };
}
