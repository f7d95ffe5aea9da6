/**
 * The one typed configuration of a policy RL run (`deno task policy`), written as field tables
 * like the GRM trainer's (train/config.ts): each field once, with its default, flag and reason.
 *
 * @module
 */
import { type FlagSchema, kebabToCamel, parseFlags, UsageError } from "../config/flags.ts";
import {
  AGGREGATIONS,
  BACKENDS,
  configField as field,
  fieldDefaults,
  fieldFlags,
  helpDefaults,
  KL_ESTIMATORS,
  OPTIMIZER_FIELDS,
  type ValuesOf,
} from "../train/config.ts";
import { POLICY_JUDGES, type PolicyJudgeName } from "./judges.ts";

/** The run's identity: who answers, who judges, from where. */
export const POLICY_RUN_FIELDS = Object.freeze({
  judge: field<PolicyJudgeName>("oracle", {
    kind: "choice",
    choices: POLICY_JUDGES,
    help: "reward of each answer: oracle | irpm | pairwise | scalar",
  }, "oracle: the hidden quality (the ceiling); the others need --judge-checkpoint"),
  judgeCheckpoint: field<string | null>(null, {
    kind: "string",
    help: "checkpoint of the judge (kind pointwise for irpm, pairwise, scalar)",
  }, "null: only --judge oracle runs without one"),
  votes: field(1, {
    kind: "number",
    integer: true,
    min: 1,
    help: "--judge irpm: sampled judgments averaged per answer (1: greedy)",
  }, "1: one greedy judgment per answer (O(n))"),
  policyStart: field<string>("shipped", {
    kind: "string",
    help: "shipped | <checkpoint dir> of a policy warm-start",
  }, "checkpoints/policy-small (RECIPE.md)"),
  backend: field<(typeof BACKENDS)[number]>("auto", {
    kind: "choice",
    choices: BACKENDS,
    help: "tfjs backend (auto: blas where OpenBLAS loads, else wasm)",
  }),
  seed: field(0, { kind: "number", integer: true, min: 0, help: "seed of prompts and sampling" }),
  runDir: field<string>("runs", { kind: "string", help: "parent folder of runs" }),
  name: field<string | null>(null, {
    kind: "string",
    help: "run name (folder under run-dir)",
  }, "null: policy-<judge>-n<n>-seed<seed>"),
  force: field(false, {
    kind: "boolean",
    help: "replace an existing run directory of the kit (never anything else)",
  }),
});

/** GRPO on the policy's answers. */
export const POLICY_OBJECTIVE_FIELDS = Object.freeze({
  samplesPerPrompt: field(4, {
    kind: "number",
    integer: true,
    min: 2,
    help: "n answers sampled per prompt (the GRPO group)",
  }, "n = 4; the issue's grid also runs 8"),
  klCoef: field(0.05, {
    kind: "number",
    min: 0,
    help: "KL-to-start loss coefficient",
  }, "keeps the policy near its warm-start"),
  klEstimator: field<(typeof KL_ESTIMATORS)[number]>("k3", {
    kind: "choice",
    choices: KL_ESTIMATORS,
    help: "KL estimator",
  }),
  clipLow: field(0.2, { kind: "number", min: 0, max: 1, help: "PPO clip below 1" }),
  clipHigh: field(0.2, { kind: "number", min: 0, help: "PPO clip above 1" }),
  dualClip: field(3, { kind: "number", min: 1, help: "dual-clip constant" }),
  lossAggregation: field<(typeof AGGREGATIONS)[number]>("token-mean", {
    kind: "choice",
    choices: AGGREGATIONS,
    help: "loss aggregation",
  }),
  temperature: field(1.0, { kind: "number", above: 0, help: "sampling temperature" }),
  topP: field(1, { kind: "number", above: 0, max: 1, help: "nucleus sampling" }),
});

/** AdamW and its schedule: the GRM trainer's fields, a larger peak for the short answers. */
export const POLICY_OPTIMIZER_FIELDS = Object.freeze({
  ...OPTIMIZER_FIELDS,
  lr: field(
    2e-4,
    {
      kind: "number",
      min: 0,
      help: "peak learning rate (AdamW)",
    },
    "oracle probes, 100-150 steps: 3e-4 about the same; 1e-3 wrecks greedy answers (4.57 -> 3.07)",
  ),
});

/** How long, and what is logged when. */
export const POLICY_SCHEDULE_FIELDS = Object.freeze({
  promptsPerStep: field(16, {
    kind: "number",
    integer: true,
    min: 1,
    help: "prompts per step (each answered n times)",
  }),
  steps: field(100, { kind: "number", integer: true, min: 1, help: "optimizer steps" }),
  evalEvery: field(25, {
    kind: "number",
    integer: true,
    min: 0,
    help: "evaluate every N steps (0: only at step 0 and at the end)",
  }),
  evalPrompts: field(256, { kind: "number", integer: true, min: 1, help: "held-out prompts" }),
  evalSamples: field(4, {
    kind: "number",
    integer: true,
    min: 0,
    help: "answers sampled per held-out prompt at T = 1 (0: greedy only)",
  }),
  checkpointEvery: field(25, {
    kind: "number",
    integer: true,
    min: 0,
    help: "checkpoint every N steps",
  }),
  sampleEvery: field(10, {
    kind: "number",
    integer: true,
    min: 0,
    help: "write samples.jsonl every N steps",
  }),
  hackingWindow: field(
    20,
    {
      kind: "number",
      integer: true,
      min: 2,
      help: "reward-hacking check: the first N steps are compared with the last N",
    },
    "20: the per-step quality of 16 prompts is noisy; hacking drifts slowly (policy/reward_hacking.ts)",
  ),
  stopAfter: field<number | null>(null, {
    kind: "number",
    integer: true,
    min: 1,
    help: "checkpoint and stop once this many steps are done (then --resume)",
  }),
});

/** Every field of a policy run. */
export const POLICY_FIELDS = Object.freeze({
  ...POLICY_RUN_FIELDS,
  ...POLICY_OBJECTIVE_FIELDS,
  ...POLICY_OPTIMIZER_FIELDS,
  ...POLICY_SCHEDULE_FIELDS,
});

/** Everything a policy run needs, flat. */
export type PolicyConfig =
  & ValuesOf<typeof POLICY_RUN_FIELDS>
  & ValuesOf<typeof POLICY_OBJECTIVE_FIELDS>
  & ValuesOf<typeof POLICY_OPTIMIZER_FIELDS>
  & ValuesOf<typeof POLICY_SCHEDULE_FIELDS>;

/**
 * The defaults of a policy run.
 *
 * @example
 * ```ts
 * import { DEFAULT_POLICY_CONFIG } from "./policy_config.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([DEFAULT_POLICY_CONFIG.judge, DEFAULT_POLICY_CONFIG.samplesPerPrompt], ["oracle", 4]);
 * ```
 */
export const DEFAULT_POLICY_CONFIG: Readonly<PolicyConfig> = fieldDefaults(
  POLICY_FIELDS,
) as Readonly<PolicyConfig>;

/** Flag schema: the fields in kebab-case, plus `--resume`. */
export const POLICY_FLAGS: FlagSchema = {
  resume: { kind: "string", help: "continue the policy run in this directory" },
  ...fieldFlags(POLICY_FIELDS),
};

/** What `--help` shows as each flag's default (value; reason), as the GRM trainer's. */
export function policyHelpDefaults(): Record<string, unknown> {
  return helpDefaults(POLICY_FIELDS);
}

/** The run's folder name when `--name` is not given. */
export function defaultPolicyRunName(config: Readonly<PolicyConfig>): string {
  const votes = config.judge === "irpm" && config.votes > 1 ? `-v${config.votes}` : "";
  return `policy-${config.judge}${votes}-n${config.samplesPerPrompt}-seed${config.seed}`;
}

/**
 * Fills the config from flags; refuses a model judge without `--judge-checkpoint`, an oracle with
 * one, and `--votes` with a judge other than irpm.
 *
 * @example
 * ```ts
 * import { resolvePolicyConfig } from "./policy_config.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const { config } = resolvePolicyConfig(["--samples-per-prompt", "8"]);
 * assertEquals([config.samplesPerPrompt, config.judge], [8, "oracle"]);
 * assertThrows(() => resolvePolicyConfig(["--judge", "irpm"]), Error, "--judge irpm needs --judge-checkpoint");
 * ```
 */
export function resolvePolicyConfig(
  argv: readonly string[],
): { config: Readonly<PolicyConfig>; resume: string | null; help: boolean } {
  const parsed = parseFlags(argv, POLICY_FLAGS);
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positional[0]}" (see --help)`);
  }
  const values: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(parsed.values)) {
    if (flag !== "resume") values[kebabToCamel(flag)] = value;
  }
  const config = { ...DEFAULT_POLICY_CONFIG, ...values } as PolicyConfig;
  const resume = (parsed.values.resume as string | undefined) ?? null;
  if (resume === null) checkPolicyConfig(config);
  return { config: Object.freeze(config), resume, help: parsed.help };
}

/** The cross-flag checks of a new run. */
export function checkPolicyConfig(config: Readonly<PolicyConfig>): void {
  if (config.judge !== "oracle" && config.judgeCheckpoint === null) {
    throw new UsageError(
      `--judge ${config.judge} needs --judge-checkpoint <dir> (a ${config.judge} judge checkpoint)`,
    );
  }
  if (config.judge === "oracle" && config.judgeCheckpoint !== null) {
    throw new UsageError("--judge oracle reads the hidden quality; drop --judge-checkpoint");
  }
  if (config.votes > 1 && config.judge !== "irpm") {
    throw new UsageError(`--votes ${config.votes}: only --judge irpm samples several judgments`);
  }
}
