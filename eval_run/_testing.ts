/**
 * Test helpers (not part of the public API): random tiny judges written as real checkpoints.
 *
 * @module
 */
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { type ModelKind, saveJudgeModel } from "../baselines/judge_checkpoint.ts";
import { initScalarHead } from "../baselines/scalar_head.ts";

/** Writes a randomly initialised `tiny` judge of `kind` to `dir` (a real checkpoint). */
export async function writeRandomJudge(dir: string, kind: ModelKind, seed = 0): Promise<void> {
  const config = presetConfig("tiny");
  const body = initParams(config, createPrng(seed));
  const params = kind === "scalar"
    ? { ...body, ...initScalarHead(config, createPrng(seed + 1)) }
    : body;
  try {
    await saveJudgeModel(dir, {
      model: { kind, params, config },
      state: {
        step: 0,
        dataCursor: null,
        prngState: createPrng(seed).state(),
        datasetFingerprint: "test",
      },
    });
  } finally {
    disposeParams(params);
  }
}
