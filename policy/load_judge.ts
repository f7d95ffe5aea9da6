/**
 * The judge of a policy run from its config: the oracle, or a judge checkpoint of the kind the
 * judge needs. A missing, unreadable or wrong-kind checkpoint is a `CheckpointError` that names
 * the flag, the directory and both kinds (the CLI exits 2).
 *
 * @module
 */
import { loadJudgeModel } from "../baselines/judge_checkpoint.ts";
import { loadForFlag } from "../checkpoint/model_checkpoint.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import type { PolicyConfig } from "./policy_config.ts";
import {
  JUDGE_CHECKPOINT_KINDS,
  oracleJudge,
  pairwiseJudge,
  pointwiseJudge,
  type PolicyJudge,
  scalarJudge,
} from "./judges.ts";

/** What config.json records of the judge. */
export interface JudgeRecord {
  readonly name: PolicyConfig["judge"];
  readonly checkpoint: string | null;
  readonly sha256: string | null;
  readonly kind: string | null;
}

/** Loads the judge a config names. */
export async function loadPolicyJudge(
  config: Pick<PolicyConfig, "judge" | "judgeCheckpoint" | "votes">,
): Promise<{ judge: PolicyJudge; record: JudgeRecord }> {
  if (config.judge === "oracle") {
    return {
      judge: oracleJudge(),
      record: { name: "oracle", checkpoint: null, sha256: null, kind: null },
    };
  }
  const dir = config.judgeCheckpoint!;
  const needed = JUDGE_CHECKPOINT_KINDS[config.judge];
  const model = await loadForFlag(`--judge-checkpoint ${dir}`, () => loadJudgeModel(dir));
  if (model.kind !== needed) {
    throw new CheckpointError(
      `--judge-checkpoint ${dir}: a ${model.kind} checkpoint, but --judge ${config.judge} needs a ` +
        `${needed} one`,
    );
  }
  const judge = config.judge === "irpm"
    ? pointwiseJudge(model, { votes: config.votes })
    : config.judge === "pairwise"
    ? pairwiseJudge(model)
    : scalarJudge(model);
  return {
    judge,
    record: { name: config.judge, checkpoint: dir, sha256: model.sidecar.sha256, kind: model.kind },
  };
}
