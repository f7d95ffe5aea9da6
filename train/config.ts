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
import { type DesignName, designNames } from "../irpm/designs.ts";

/** Reward designs (irpm/), loss aggregations, KL estimators and advantage scalings by name. */
export const DESIGNS: readonly DesignName[] = designNames;
export const AGGREGATIONS = [
  "token-mean",
  "seq-mean-token-mean",
  "seq-mean-token-sum-norm",
] as const;
export const KL_ESTIMATORS = ["k1", "k2", "k3"] as const;
export const SCALINGS = ["group", "batch", "none"] as const;
export const BACKENDS = ["auto", "wasm", "blas", "webgpu", "cpu", "tensorflow"] as const;
export const DATA_SOURCES = ["synthetic", "helpsteer3", "pairwise"] as const;
/** What `deno task train` trains: the IRPM pointwise GRM or one of the two baselines. */
export const TRAIN_MODELS = ["pointwise", "scalar-bt", "pairwise"] as const;

/**
 * One config field: its default, the one-line reason for it (where it differs from the paper's
 * released recipe, or is not obvious), and its flag (name = the key in kebab-case). Every field
 * is written once, here: the type, the defaults and the flags are derived from the tables below.
 */
export interface ConfigField<T> {
  readonly default: T;
  readonly flag: FlagSpec;
  readonly why?: string;
}

/** A field with its value type `T` spelled out where inference would be too narrow or too wide. */
function field<T>(value: T, flag: FlagSpec, why?: string): ConfigField<T> {
  return Object.freeze({ default: value, flag, ...(why === undefined ? {} : { why }) });
}

/** The value type of each field of a table. */
export type ValuesOf<F> = {
  -readonly [K in keyof F]: F[K] extends ConfigField<infer T> ? T : never;
};

/** {@link ConfigField} builder, for other configs written as field tables (policy/). */
export { field as configField };

/** What is trained, on what, from where: the run's identity. */
export const RUN_FIELDS = Object.freeze({
  model: field<(typeof TRAIN_MODELS)[number]>("pointwise", {
    kind: "choice",
    choices: TRAIN_MODELS,
    help: "pointwise (IRPM) | scalar-bt (Bradley-Terry head) | pairwise (pairwise GRM, GRPO)",
  }, "IRPM; scalar-bt and pairwise are the baselines (baselines/)"),
  pairwiseWarmStartSteps: field(300, {
    kind: "number",
    integer: true,
    min: 0,
    help: "--model pairwise: supervised format steps before GRPO",
  }, "format switch before GRPO (baselines/pairwise_grm.ts)"),
  preset: field<string>("small", {
    kind: "string",
    help: "model preset (tiny, small, medium, large)",
  }),
  warmStart: field<string>("shipped", {
    kind: "string",
    help: "shipped | fresh | off | <checkpoint dir>",
  }, "the shipped warm-start knows the judgment format (checkpoints/warmstart-small/RECIPE.md)"),
  backend: field<(typeof BACKENDS)[number]>("auto", {
    kind: "choice",
    choices: BACKENDS,
    help: "tfjs backend (auto: blas where OpenBLAS loads, else wasm)",
  }, "the fastest CPU backend that starts here; webgpu only when asked for"),
  seed: field(0, {
    kind: "number",
    integer: true,
    min: 0,
    help: "seed for data, init and sampling",
  }),
  runDir: field<string>("runs", { kind: "string", help: "parent folder of runs" }),
  name: field<string | null>(null, {
    kind: "string",
    help: "run name (folder under run-dir)",
  }, "null: a name made from the design and the start time"),
  force: field(false, {
    kind: "boolean",
    help: "replace an existing run directory of the kit (never anything else)",
  }),
});

/** The IRPM reward and the GRPO objective (irpm/, grpo/). */
export const OBJECTIVE_FIELDS = Object.freeze({
  design: field<DesignName>("mean", {
    kind: "choice",
    choices: DESIGNS,
    help: "IRPM reward design",
  }, "the released main recipe; the most stable design in the paper"),
  margin: field<"adaptive" | number>(
    "adaptive",
    MARGIN_FLAG,
    "delta = p - 2 from the annotated strength",
  ),
  alpha: field(0.05, ALPHA_FLAG, "t-interval level for the interval design"),
  groupSize: field(4, {
    kind: "number",
    integer: true,
    min: 1,
    help: "G rollouts per response",
  }, "G = 4: the paper's best (G = 2 noisier, G = 8 no gain)"),
  klCoef: field(0.2, {
    kind: "number",
    min: 0,
    help: "KL-to-reference loss coefficient",
  }, "paper: 0.001; at 0.001 RL rewrites this small model's critiques (notebook 03, KL grid)"),
  klEstimator: field<(typeof KL_ESTIMATORS)[number]>("k3", {
    kind: "choice",
    choices: KL_ESTIMATORS,
    help: "KL estimator",
  }, "low-variance k3, as released"),
  clipLow: field(0.2, { kind: "number", min: 0, max: 1, help: "PPO clip below 1" }, "as released"),
  clipHigh: field(0.2, { kind: "number", min: 0, help: "PPO clip above 1" }, "as released"),
  dualClip: field(3, {
    kind: "number",
    min: 1,
    help: "dual-clip constant for negative advantages",
  }, "as released"),
  lossAggregation: field<(typeof AGGREGATIONS)[number]>("token-mean", {
    kind: "choice",
    choices: AGGREGATIONS,
    help: "loss aggregation",
  }, "as released"),
  advantageScaling: field<(typeof SCALINGS)[number]>("group", {
    kind: "choice",
    choices: SCALINGS,
    help: "advantage scaling",
  }, "within-group normalisation (Eq. 14)"),
  overlongPenalty: field(false, {
    kind: "boolean",
    help: "-0.5 for rollouts that hit max-new-tokens",
  }, "released code option; off by default"),
  weakPairWeight: field(1, {
    kind: "number",
    min: 0,
    max: 1,
    help: "advantage scale of weak pairs (|p| <= 1, kept with --min-strength 1)",
  }, "1: a kept weak pair counts fully (the recipe drops them: --min-strength 2)"),
});

/** AdamW and its learning-rate schedule (grpo/adamw.ts, train/optimize.ts). */
export const OPTIMIZER_FIELDS = Object.freeze({
  lr: field(1e-4, {
    kind: "number",
    min: 0,
    help: "peak learning rate (AdamW)",
  }, "paper: 5e-6 for 8B+ models; measured here: 3e-4 drifts (KL > 4 by step 60)"),
  warmupSteps: field(10, {
    kind: "number",
    integer: true,
    min: 0,
    help: "linear warm-up steps",
  }, "paper: 50 of ~900 steps; scaled to the shorter run"),
  minLrRatio: field(0.1, {
    kind: "number",
    min: 0,
    max: 1,
    help: "cosine floor as a fraction of lr",
  }, "cosine decays to 10% of the peak"),
  weightDecay: field(0.01, {
    kind: "number",
    min: 0,
    help: "AdamW decoupled weight decay",
  }, "as released"),
  gradClip: field(0.5, { kind: "number", min: 0, help: "global grad-norm clip" }, "as released"),
  updatesPerBatch: field(1, {
    kind: "number",
    integer: true,
    min: 1,
    help: "optimizer steps per batch",
  }, "one optimizer step per batch, as released"),
});

/** How the rollouts are sampled (model/sample.ts). */
export const SAMPLING_FIELDS = Object.freeze({
  temperature: field(1.0, {
    kind: "number",
    min: 0,
    help: "sampling temperature",
  }, "as released (notebook 03: the temperature grid)"),
  topP: field(1, { kind: "number", min: 0, max: 1, help: "nucleus sampling" }, "as released"),
  maxNewTokens: field(36, {
    kind: "number",
    integer: true,
    min: 1,
    help: "generation length cap",
  }, "synthetic critique + score need <= 31 tokens; leaves 28 for the prompt"),
});

/** Which pairs train and which are held out (train/data.ts, data/). */
export const DATA_FIELDS = Object.freeze({
  data: field<(typeof DATA_SOURCES)[number]>("synthetic", {
    kind: "choice",
    choices: DATA_SOURCES,
    help: "data source",
  }, "the embedded suite: runs anywhere, hidden quality known"),
  dataPath: field<string | null>(null, {
    kind: "string",
    help: "training JSONL for helpsteer3/pairwise",
  }),
  testPath: field<string | null>(null, {
    kind: "string",
    help: "held-out JSONL (default: split off data-path)",
  }),
  trainSize: field(4000, {
    kind: "number",
    integer: true,
    min: 1,
    help: "synthetic raw rows for training",
  }, "raw synthetic rows before the default filters"),
  testSize: field(256, { kind: "number", integer: true, min: 1, help: "held-out pairs" }),
  minStrength: field(2, {
    kind: "number",
    integer: true,
    min: 0,
    max: 3,
    help: "keep pairs with |p| >= this",
  }, "method.md: keep |p| >= 2"),
  testMinStrength: field<number | null>(null, {
    kind: "number",
    integer: true,
    min: 0,
    max: 3,
    help: "held-out pairs with |p| >= this (default: --min-strength); eval lines split strong/weak",
  }, "null: the held-out pairs pass the training filter (1 adds weak pairs)"),
  requireUserLast: field(true, {
    kind: "boolean",
    help: "keep only contexts ending on a user turn",
  }, "method.md: contexts must end on a user turn"),
});

/** How long, how big a batch, and what is logged when (train/trainer.ts). */
export const SCHEDULE_FIELDS = Object.freeze({
  batchPairs: field(16, {
    kind: "number",
    integer: true,
    min: 1,
    help: "pairs per batch",
  }, "paper: 48 pairs; 16 keeps a CPU step around two seconds"),
  steps: field(150, {
    kind: "number",
    integer: true,
    min: 1,
    help: "optimizer steps",
  }, "the 2-core CPU budget (about 7 minutes); epochs, when set, overrides it"),
  epochs: field<number | null>(null, {
    kind: "number",
    min: 0.01,
    help: "passes over the training pairs (overrides --steps)",
  }),
  evalEvery: field(50, {
    kind: "number",
    integer: true,
    min: 0,
    help: "evaluate every N steps (0: only at step 0 and at the end)",
  }),
  evalPairs: field(256, {
    kind: "number",
    integer: true,
    min: 1,
    help: "held-out pairs per evaluation",
  }),
  checkpointEvery: field(50, {
    kind: "number",
    integer: true,
    min: 0,
    help: "checkpoint every N steps",
  }),
  sampleEvery: field(25, {
    kind: "number",
    integer: true,
    min: 0,
    help: "write samples.jsonl every N steps",
  }),
  maxBadSteps: field(5, {
    kind: "number",
    integer: true,
    min: 1,
    help: "consecutive NaN steps before stop",
  }, "stop after this many consecutive NaN/Inf steps"),
  stopAfter: field<number | null>(null, {
    kind: "number",
    integer: true,
    min: 1,
    help: "checkpoint and stop once this many steps are done (time-boxed jobs; then --resume)",
  }, "null: run to the end"),
});

/** Per-concern configs, each a view of {@link TrainConfig}. */
export type RunConfig = ValuesOf<typeof RUN_FIELDS>;
export type ObjectiveConfig = ValuesOf<typeof OBJECTIVE_FIELDS>;
export type OptimizerConfig = ValuesOf<typeof OPTIMIZER_FIELDS>;
export type SamplingConfig = ValuesOf<typeof SAMPLING_FIELDS>;
export type DataConfig = ValuesOf<typeof DATA_FIELDS>;
export type ScheduleConfig = ValuesOf<typeof SCHEDULE_FIELDS>;

/** Every field of a training run, concern by concern (one table each above). */
export const TRAIN_FIELDS = Object.freeze({
  ...RUN_FIELDS,
  ...OBJECTIVE_FIELDS,
  ...OPTIMIZER_FIELDS,
  ...SAMPLING_FIELDS,
  ...DATA_FIELDS,
  ...SCHEDULE_FIELDS,
});

/** Everything a training run needs: the per-concern configs together, flat. */
export type TrainConfig =
  & RunConfig
  & ObjectiveConfig
  & OptimizerConfig
  & SamplingConfig
  & DataConfig
  & ScheduleConfig;

/**
 * Defaults for the no-flag run on a 2-core CPU (embedded synthetic suite, `small` preset), from
 * {@link TRAIN_FIELDS}; each field's `why` gives the reason where it differs from the paper's
 * released recipe.
 *
 * @example
 * ```ts
 * import { DEFAULT_TRAIN_CONFIG, TRAIN_FIELDS } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([DEFAULT_TRAIN_CONFIG.klCoef, DEFAULT_TRAIN_CONFIG.groupSize], [0.2, 4]);
 * assertEquals(TRAIN_FIELDS.klCoef.why?.startsWith("paper: 0.001"), true);
 * ```
 */
export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = fieldDefaults(
  TRAIN_FIELDS,
) as Readonly<TrainConfig>;

/** A field table's defaults, frozen (the GRM trainer's and the policy trainer's tables alike). */
export function fieldDefaults(fields: object): Readonly<Record<string, unknown>> {
  return Object.freeze(
    Object.fromEntries(
      Object.entries(fields as Record<string, ConfigField<unknown>>).map(([key, f]) => [
        key,
        f.default,
      ]),
    ),
  );
}

/** A field table's flags: flag name = the key in kebab-case. */
export function fieldFlags(fields: object): FlagSchema {
  return Object.fromEntries(
    Object.entries(fields as Record<string, ConfigField<unknown>>).map((
      [key, f],
    ) => [camelToKebab(key), f.flag]),
  );
}

/**
 * Flag schema: flag name = config key in kebab-case, from {@link TRAIN_FIELDS}; plus `--config`,
 * `--resume` and `--allow-config-change`, which are not config keys.
 */
export const TRAIN_FLAGS: FlagSchema = {
  "config": { kind: "string", help: "JSON file with config keys (camelCase); flags override it" },
  "resume": { kind: "string", help: "continue the run in this directory from its last checkpoint" },
  "allow-config-change": {
    kind: "boolean",
    help: "--resume: accept settings edited in the run's config.json since it started (logged)",
  },
  ...fieldFlags(TRAIN_FIELDS),
};

/**
 * What `--help` shows as each flag's default: the value and, where the table gives one, its
 * reason (a null default shows the reason alone).
 *
 * @example
 * ```ts
 * import { helpDefaults } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 * const shown = helpDefaults();
 * assertEquals(shown["group-size"], "4; G = 4: the paper's best (G = 2 noisier, G = 8 no gain)");
 * assertEquals(shown["seed"], 0);
 * assertEquals(shown["name"], "null: a name made from the design and the start time");
 * ```
 */
export function helpDefaults(fields: object = TRAIN_FIELDS): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields as Record<string, ConfigField<unknown>>).map(([key, f]) => [
      camelToKebab(key),
      f.why === undefined
        ? f.default
        : f.default === null || f.why.startsWith(`${f.default}:`)
        ? f.why
        : `${f.default}; ${f.why}`,
    ]),
  );
}

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
  return checkFieldsObject(value, { source, flags: TRAIN_FLAGS, defaults: DEFAULT_TRAIN_CONFIG });
}

/**
 * {@link checkConfigObject} for any config written as field tables (the policy trainer's too):
 * known keys only (camelCase of a flag, with a default), each value passing its flag's rules.
 */
export function checkFieldsObject<C extends object>(
  value: unknown,
  table: { source: string; flags: FlagSchema; defaults: Readonly<C> },
): Partial<C> {
  const { source } = table;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: expected a JSON object of config keys`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const spec = table.flags[camelToKebab(key)];
    if (!Object.hasOwn(table.defaults, key) || !spec) {
      throw new UsageError(`${source}: unknown config key "${key}"`);
    }
    const nullable = (table.defaults as Record<string, unknown>)[key] === null;
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
  return out as Partial<C>;
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
