/**
 * The one typed configuration of an IRPM training run, its defaults (each with its reason), and
 * how CLI flags and a JSON config file fill it.
 *
 * Precedence: defaults < `--config file.json` < flags. The result is frozen and recorded in the
 * run directory as `config.json`, so a run can always be traced back to what produced it.
 *
 * @module
 */
import {
  camelToKebab,
  type FlagSchema,
  type FlagSpec,
  kebabToCamel,
  numberFlagProblem,
  parseFlags,
  UsageError,
} from "../config/flags.ts";
import { ALPHA_FLAG, MARGIN_FLAG } from "../config/irpm_flags.ts";
import { describeValue } from "../data/fields.ts";
import { PRESETS } from "../model/config.ts";

/** Reward designs (irpm/), loss aggregations, KL estimators and advantage scalings by name. */
export const DESIGNS = ["mean", "median", "interval", "preference", "winrate"] as const;
export const AGGREGATIONS = [
  "token-mean",
  "seq-mean-token-mean",
  "seq-mean-token-sum-norm",
] as const;
export const KL_ESTIMATORS = ["k1", "k2", "k3"] as const;
export const SCALINGS = ["group", "batch", "none"] as const;
export const BACKENDS = ["wasm", "blas", "webgpu", "cpu", "tensorflow"] as const;
export const DATA_SOURCES = ["synthetic", "helpsteer3", "pairwise"] as const;
/** What `deno task train` trains: the IRPM pointwise GRM or one of the two baselines. */
export const TRAIN_MODELS = ["pointwise", "scalar-bt", "pairwise"] as const;

/** Everything a training run needs; see {@link DEFAULT_TRAIN_CONFIG} for the reasons. */
export interface TrainConfig {
  model: (typeof TRAIN_MODELS)[number];
  pairwiseWarmStartSteps: number;
  design: (typeof DESIGNS)[number];
  margin: "adaptive" | number;
  alpha: number;
  groupSize: number;
  batchPairs: number;
  steps: number;
  epochs: number | null;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  weightDecay: number;
  klCoef: number;
  klEstimator: (typeof KL_ESTIMATORS)[number];
  clipLow: number;
  clipHigh: number;
  dualClip: number;
  lossAggregation: (typeof AGGREGATIONS)[number];
  advantageScaling: (typeof SCALINGS)[number];
  updatesPerBatch: number;
  gradClip: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  overlongPenalty: boolean;
  preset: string;
  backend: (typeof BACKENDS)[number];
  seed: number;
  data: (typeof DATA_SOURCES)[number];
  dataPath: string | null;
  testPath: string | null;
  trainSize: number;
  testSize: number;
  minStrength: number;
  testMinStrength: number | null;
  requireUserLast: boolean;
  evalEvery: number;
  evalPairs: number;
  checkpointEvery: number;
  sampleEvery: number;
  maxBadSteps: number;
  runDir: string;
  name: string | null;
  warmStart: string;
  force: boolean;
  stopAfter: number | null;
}

/**
 * Defaults for the no-flag run on a 2-core CPU (embedded synthetic suite, `small` preset). Where
 * they differ from the paper's released recipe the reason is given.
 */
export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  model: "pointwise", // IRPM; scalar-bt and pairwise are the baselines (baselines/)
  pairwiseWarmStartSteps: 300, // --model pairwise: format switch before GRPO (baselines/pairwise_grm.ts)
  design: "mean", // the released main recipe; the most stable design in the paper
  margin: "adaptive", // delta = p - 2 from the annotated strength
  alpha: 0.05, // t-interval level for the interval design
  groupSize: 4, // G = 4: the paper's best (G = 2 noisier, G = 8 no gain)
  batchPairs: 16, // paper: 48 pairs; 16 keeps a CPU step around a second
  steps: 150, // the 2-core CPU budget (about 10 minutes); epochs, when set, overrides it
  epochs: null,
  lr: 1e-4, // paper: 5e-6 for 8B+ models; measured here: 3e-4 drifts (KL > 4 by step 60)
  warmupSteps: 10, // paper: 50 of ~900 steps; scaled to the shorter run
  minLrRatio: 0.1, // cosine decays to 10% of the peak
  weightDecay: 0.01, // as released
  // Paper: 0.001. Here 0.2 (measured, README "Results"): at 0.001 RL rewrites the critiques (their
  // stated error counts stop tracking the response), and the ranking falls with them.
  klCoef: 0.2, // low-variance k3 estimator, as released
  klEstimator: "k3",
  clipLow: 0.2, // PPO clip, both sides, as released
  clipHigh: 0.2,
  dualClip: 3, // as released
  lossAggregation: "token-mean", // as released
  advantageScaling: "group", // within-group normalisation (Eq. 14)
  updatesPerBatch: 1, // one optimizer step per batch, as released
  gradClip: 0.5, // as released
  temperature: 1.0, // as released (0.7 measured 78.3% vs 81.4% at 150 steps: within noise)
  topP: 1, // as released
  maxNewTokens: 36, // synthetic critique + score need <= 31 tokens; leaves 28 for the prompt
  overlongPenalty: false, // released code option; off by default
  preset: "small",
  backend: "wasm", // fastest CPU backend under Deno
  seed: 0,
  data: "synthetic",
  dataPath: null,
  testPath: null,
  trainSize: 4000, // raw synthetic rows before the default filters
  testSize: 256, // held-out pairs for evaluation
  minStrength: 2, // method.md: keep |p| >= 2
  testMinStrength: null, // null: the held-out pairs pass the training filter (1 adds weak pairs)
  requireUserLast: true, // method.md: contexts must end on a user turn
  evalEvery: 50,
  evalPairs: 256,
  checkpointEvery: 50,
  sampleEvery: 25,
  maxBadSteps: 5, // stop after this many consecutive NaN/Inf steps
  runDir: "runs",
  name: null, // null: a name made from the design and the start time
  warmStart: "shipped", // shipped | fresh | off | <checkpoint dir>
  force: false,
  stopAfter: null, // null: run to the end
});

/** Flag schema: flag name = config key in kebab-case. */
export const TRAIN_FLAGS: FlagSchema = {
  "config": { kind: "string", help: "JSON file with config keys (camelCase); flags override it" },
  "model": {
    kind: "choice",
    choices: TRAIN_MODELS,
    help: "pointwise (IRPM) | scalar-bt (Bradley-Terry head) | pairwise (pairwise GRM, GRPO)",
  },
  "pairwise-warm-start-steps": {
    kind: "number",
    integer: true,
    min: 0,
    help: "--model pairwise: supervised format steps before GRPO",
  },
  "resume": { kind: "string", help: "continue the run in this directory from its last checkpoint" },
  "allow-config-change": {
    kind: "boolean",
    help: "--resume: accept settings edited in the run's config.json since it started (logged)",
  },
  "design": { kind: "choice", choices: DESIGNS, help: "IRPM reward design" },
  "margin": MARGIN_FLAG,
  "alpha": ALPHA_FLAG,
  "group-size": { kind: "number", integer: true, min: 1, help: "G rollouts per response" },
  "batch-pairs": { kind: "number", integer: true, min: 1, help: "pairs per batch" },
  "steps": { kind: "number", integer: true, min: 1, help: "optimizer steps" },
  "epochs": {
    kind: "number",
    min: 0.01,
    help: "passes over the training pairs (overrides --steps)",
  },
  "lr": { kind: "number", min: 0, help: "peak learning rate (AdamW)" },
  "warmup-steps": { kind: "number", integer: true, min: 0, help: "linear warm-up steps" },
  "min-lr-ratio": { kind: "number", min: 0, max: 1, help: "cosine floor as a fraction of lr" },
  "weight-decay": { kind: "number", min: 0, help: "AdamW decoupled weight decay" },
  "kl-coef": { kind: "number", min: 0, help: "KL-to-reference loss coefficient" },
  "kl-estimator": { kind: "choice", choices: KL_ESTIMATORS, help: "KL estimator" },
  "clip-low": { kind: "number", min: 0, max: 1, help: "PPO clip below 1" },
  "clip-high": { kind: "number", min: 0, help: "PPO clip above 1" },
  "dual-clip": { kind: "number", min: 1, help: "dual-clip constant for negative advantages" },
  "loss-aggregation": { kind: "choice", choices: AGGREGATIONS, help: "loss aggregation" },
  "advantage-scaling": { kind: "choice", choices: SCALINGS, help: "advantage scaling" },
  "updates-per-batch": { kind: "number", integer: true, min: 1, help: "optimizer steps per batch" },
  "grad-clip": { kind: "number", min: 0, help: "global grad-norm clip" },
  "temperature": { kind: "number", min: 0, help: "sampling temperature" },
  "top-p": { kind: "number", min: 0, max: 1, help: "nucleus sampling" },
  "max-new-tokens": { kind: "number", integer: true, min: 1, help: "generation length cap" },
  "overlong-penalty": { kind: "boolean", help: "-0.5 for rollouts that hit max-new-tokens" },
  "preset": { kind: "string", help: "model preset (tiny, small, medium, large)" },
  "backend": { kind: "choice", choices: BACKENDS, help: "tfjs backend" },
  "seed": { kind: "number", integer: true, min: 0, help: "seed for data, init and sampling" },
  "data": { kind: "choice", choices: DATA_SOURCES, help: "data source" },
  "data-path": { kind: "string", help: "training JSONL for helpsteer3/pairwise" },
  "test-path": { kind: "string", help: "held-out JSONL (default: split off data-path)" },
  "train-size": { kind: "number", integer: true, min: 1, help: "synthetic raw rows for training" },
  "test-size": { kind: "number", integer: true, min: 1, help: "held-out pairs" },
  "min-strength": {
    kind: "number",
    integer: true,
    min: 0,
    max: 3,
    help: "keep pairs with |p| >= this",
  },
  "test-min-strength": {
    kind: "number",
    integer: true,
    min: 0,
    max: 3,
    help: "held-out pairs with |p| >= this (default: --min-strength); eval lines split strong/weak",
  },
  "require-user-last": { kind: "boolean", help: "keep only contexts ending on a user turn" },
  "eval-every": {
    kind: "number",
    integer: true,
    min: 0,
    help: "evaluate every N steps (0: only at step 0 and at the end)",
  },
  "eval-pairs": { kind: "number", integer: true, min: 1, help: "held-out pairs per evaluation" },
  "checkpoint-every": { kind: "number", integer: true, min: 0, help: "checkpoint every N steps" },
  "sample-every": {
    kind: "number",
    integer: true,
    min: 0,
    help: "write samples.jsonl every N steps",
  },
  "max-bad-steps": {
    kind: "number",
    integer: true,
    min: 1,
    help: "consecutive NaN steps before stop",
  },
  "run-dir": { kind: "string", help: "parent folder of runs" },
  "name": { kind: "string", help: "run name (folder under run-dir)" },
  "warm-start": { kind: "string", help: "shipped | fresh | off | <checkpoint dir>" },
  "force": {
    kind: "boolean",
    help: "replace an existing run directory of the kit (never anything else)",
  },
  "stop-after": {
    kind: "number",
    integer: true,
    min: 1,
    help: "checkpoint and stop once this many steps are done (time-boxed jobs; then --resume)",
  },
};

/** What a JSON value must be to pass the flag's own checks, or null when it passes. */
function flagValueProblem(spec: FlagSpec, v: unknown): string | null {
  switch (spec.kind) {
    case "string":
      return typeof v === "string" ? null : "a string";
    case "boolean":
      return typeof v === "boolean" ? null : "true or false";
    case "choice":
      return spec.choices.includes(v as string) ? null : `one of ${spec.choices.join(", ")}`;
    case "number-or":
      if (spec.words.includes(v as string)) return null;
    // falls through
    case "number":
      return numberFlagProblem(spec, v as number); // the flag parser's own rules
  }
}

/**
 * Checks a partial config (from a JSON file) against the known keys, and each value against the
 * same rules as its flag (type, choices, integer, range); `null` only where the default is null.
 *
 * @example
 * ```ts
 * import { checkConfigObject } from "./config.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(checkConfigObject({ groupSize: 8, epochs: null }, "c.json"), { groupSize: 8, epochs: null });
 * assertThrows(() => checkConfigObject({ groupSize: 2.5 }, "c.json"), Error, 'c.json: config key "groupSize"');
 * ```
 */
export function checkConfigObject(value: unknown, source: string): Partial<TrainConfig> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: expected a JSON object of config keys`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const spec = TRAIN_FLAGS[camelToKebab(key)];
    if (!Object.hasOwn(DEFAULT_TRAIN_CONFIG, key) || !spec) {
      throw new UsageError(`${source}: unknown config key "${key}"`);
    }
    const nullable = DEFAULT_TRAIN_CONFIG[key as keyof TrainConfig] === null;
    const problem = v === null && nullable ? null : flagValueProblem(spec, v);
    if (problem !== null) {
      throw new UsageError(
        `${source}: config key "${key}" has the wrong type or value: expected ${problem}${
          nullable ? " or null" : ""
        }, got ${describeValue(v)}`,
      );
    }
    out[key] = v;
  }
  return out as Partial<TrainConfig>;
}

/** Fewest prompt tokens a judge prompt may be cut to: below this the GRM cannot see the task. */
export const MIN_PROMPT_TOKENS = 16;

/**
 * Refuses settings under which training cannot learn or cannot run: a group of one (every
 * advantage is 0), temperature 0 (the G rollouts are the same greedy text, so every advantage is
 * 0), top-p 0 (no token to sample), and a generation budget that leaves the prompt less than
 * {@link MIN_PROMPT_TOKENS} tokens of the preset's context.
 *
 * @example
 * ```ts
 * import { checkTrainingSignal, DEFAULT_TRAIN_CONFIG } from "./config.ts";
 * import { assertThrows } from "@std/assert";
 * checkTrainingSignal(DEFAULT_TRAIN_CONFIG); // the defaults pass
 * assertThrows(() => checkTrainingSignal({ ...DEFAULT_TRAIN_CONFIG, groupSize: 1 }), Error, "--group-size 1");
 * assertThrows(() => checkTrainingSignal({ ...DEFAULT_TRAIN_CONFIG, maxNewTokens: 500 }), Error, "--max-new-tokens 500");
 * ```
 */
export function checkTrainingSignal(config: Readonly<TrainConfig>): void {
  const generates = config.model !== "scalar-bt";
  if (generates && config.groupSize < 2) {
    throw new UsageError(
      `--group-size ${config.groupSize}: a group of one has no relative advantage (every ` +
        `advantage is 0, so the policy gradient is exactly 0); use --group-size >= 2`,
    );
  }
  if (generates && !(config.temperature > 0)) {
    throw new UsageError(
      `--temperature ${config.temperature}: at 0 all G rollouts are the same greedy text, so ` +
        `every advantage is 0; use a temperature > 0 (default ${DEFAULT_TRAIN_CONFIG.temperature})`,
    );
  }
  if (!(config.topP > 0)) {
    throw new UsageError(
      `--top-p ${config.topP}: keeps no token to sample; use 0 < top-p <= 1 (default 1)`,
    );
  }
  const context = PRESETS[config.preset as keyof typeof PRESETS].contextLength;
  if (context - config.maxNewTokens < MIN_PROMPT_TOKENS) {
    throw new UsageError(
      `--max-new-tokens ${config.maxNewTokens} leaves ${
        context - config.maxNewTokens
      } of the ${config.preset} preset's ${context}-token context for the judge prompt (at least ` +
        `${MIN_PROMPT_TOKENS} needed); use --max-new-tokens <= ${context - MIN_PROMPT_TOKENS}`,
    );
  }
}

/** Parsed `deno task train` invocation. */
export interface TrainInvocation {
  config: Readonly<TrainConfig>;
  resume: string | null;
  configFile: string | null;
  /** `--allow-config-change`: a resumed run may continue with an edited config.json. */
  allowConfigChange: boolean;
  help: boolean;
}

/**
 * Fills the config from flags over an optional JSON object (already read from `--config`).
 *
 * @example
 * ```ts
 * import { resolveTrainConfig } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 * const { config } = resolveTrainConfig(["--design", "median", "--lr=1e-4"], { groupSize: 8 });
 * assertEquals([config.design, config.lr, config.groupSize, config.klCoef], ["median", 1e-4, 8, 0.2]);
 * ```
 */
export function resolveTrainConfig(
  argv: readonly string[],
  fileConfig: Partial<TrainConfig> = {},
): TrainInvocation {
  const parsed = parseFlags(argv, TRAIN_FLAGS);
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positional[0]}" (see --help)`);
  }
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(parsed.values)) {
    if (flag === "config" || flag === "resume" || flag === "allow-config-change") continue;
    fromFlags[kebabToCamel(flag)] = value;
  }
  const config = { ...DEFAULT_TRAIN_CONFIG, ...fileConfig, ...fromFlags } as TrainConfig;
  if ((config.data === "helpsteer3" || config.data === "pairwise") && !config.dataPath) {
    throw new UsageError(`--data ${config.data} needs --data-path <file.jsonl>`);
  }
  if (
    config.testMinStrength !== null && config.data !== "synthetic" && !config.testPath
  ) {
    throw new UsageError(
      "--test-min-strength needs a separate held-out file (--test-path) or the synthetic suite",
    );
  }
  if (config.data === "synthetic" && (config.dataPath || config.testPath)) {
    throw new UsageError(
      `--data synthetic uses the embedded suite; --${
        config.dataPath ? "data-path" : "test-path"
      } needs --data helpsteer3 or --data pairwise`,
    );
  }
  if (!Object.hasOwn(PRESETS, config.preset)) {
    throw new UsageError(
      `--preset: unknown model preset "${config.preset}"; valid presets: ${
        Object.keys(PRESETS).join(", ")
      }`,
    );
  }
  checkTrainingSignal(config);
  return {
    config: Object.freeze(config),
    resume: (parsed.values.resume as string | undefined) ?? null,
    configFile: (parsed.values.config as string | undefined) ?? null,
    allowConfigChange: parsed.values["allow-config-change"] === true,
    help: parsed.help,
  };
}
