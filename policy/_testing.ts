/**
 * Tiny checkpoints for the policy tests: a random `tiny` policy start (kind "policy") and random
 * `tiny` judges of each kind. Random weights are enough to test the plumbing (calls, traces,
 * resume); what a trained judge teaches is measured by the shipped results, not by unit tests.
 *
 * @module
 */
import { saveJudgeModel } from "../baselines/judge_checkpoint.ts";
import { initScalarHead } from "../baselines/scalar_head.ts";
import { saveModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import type { ModelKind } from "../baselines/judge_checkpoint.ts";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";

const STATE = { step: 0, dataCursor: null, prngState: [1, 2, 3, 4], datasetFingerprint: "test" };

/** Writes a random tiny policy start to `dir`. */
export async function writeTinyPolicyStart(dir: string, seed = 0): Promise<void> {
  const config = presetConfig("tiny");
  const params = initParams(config, createPrng(seed));
  await saveModelCheckpoint(dir, {
    model: { params, config, runConfig: { kind: "policy" } },
    state: STATE,
  });
  disposeParams(params);
}

/** Writes a random tiny judge of `kind` to `dir`. */
export async function writeTinyJudge(dir: string, kind: ModelKind, seed = 1): Promise<void> {
  const config = presetConfig("tiny");
  const body = initParams(config, createPrng(seed));
  const params = kind === "scalar"
    ? { ...body, ...initScalarHead(config, createPrng(seed + 1)) }
    : body;
  await saveJudgeModel(dir, { model: { kind, params, config }, state: STATE });
  disposeParams(params);
}
