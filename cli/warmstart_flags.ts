/**
 * What the two warm-start CLIs (`deno task warmstart`, `deno task policy:warmstart`) share: the
 * flags of a recipe's schedule and of the run's output, their help, and the start of a run (the
 * output directory claimed, the backend started). Each CLI adds the flags of its own recipe.
 *
 * @module
 */
import { camelToKebab, type FlagSchema, formatHelp, kebabToCamel } from "../config/flags.ts";
import type { BackendInfo } from "../model/backend.ts";
import { type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { BACKEND_FLAG } from "./backend_flag.ts";
import { claimOutputDir } from "../train/run_dir.ts";

/** The schedule of a warm-start recipe: `--preset --seed --steps --lr --warmup-steps --eval-every`. */
export const WARMSTART_RECIPE_FLAGS: Readonly<FlagSchema> = Object.freeze({
  "preset": { kind: "string", help: "model preset" },
  "seed": { kind: "number", integer: true, min: 0, help: "seed" },
  "steps": { kind: "number", integer: true, min: 1, help: "optimizer steps" },
  "lr": { kind: "number", min: 0, help: "peak learning rate" },
  "warmup-steps": { kind: "number", integer: true, min: 0, help: "warm-up steps" },
  "eval-every": { kind: "number", integer: true, min: 0, help: "evaluate every N steps" },
});

/** The run around it: `--backend --out --force --stop-after --log-every`. */
export const WARMSTART_RUN_FLAGS: Readonly<FlagSchema> = Object.freeze({
  "backend": BACKEND_FLAG,
  "out": { kind: "string", help: "checkpoint directory" },
  "force": {
    kind: "boolean",
    help: "replace the checkpoint already in --out (never a folder the kit did not write)",
  },
  "stop-after": {
    kind: "number",
    integer: true,
    min: 1,
    help: "stop (evaluating and saving) after N steps of the schedule",
  },
  "log-every": { kind: "number", integer: true, min: 1, help: "progress line every N steps" },
});

/**
 * A warm-start CLI's flags: the recipe's schedule ({@link WARMSTART_RECIPE_FLAGS}), then its own
 * flags, then the run's ({@link WARMSTART_RUN_FLAGS}), in that order in `--help`.
 *
 * @example
 * ```ts
 * import { warmStartFlags } from "./warmstart_flags.ts";
 * import { assertEquals } from "@std/assert";
 * const flags = warmStartFlags({ "batch-size": { kind: "number", help: "examples per step" } });
 * assertEquals(Object.keys(flags).slice(5, 8), ["eval-every", "batch-size", "backend"]);
 * ```
 */
export function warmStartFlags(own: Readonly<FlagSchema>): FlagSchema {
  return { ...WARMSTART_RECIPE_FLAGS, ...own, ...WARMSTART_RUN_FLAGS };
}

/** The values of {@link WARMSTART_RUN_FLAGS}, by their camelCase names. */
export interface WarmStartRunFlags {
  readonly backend: BackendChoice;
  readonly out: string;
  readonly logEvery: number;
  readonly force?: boolean;
  readonly stopAfter?: number;
}

/**
 * `--help` of a warm-start CLI: usage line, then every flag with its default (`defaults` keyed by
 * camelCase names, as the recipe and {@link WarmStartRunFlags} are).
 *
 * @example
 * ```ts
 * import { WARMSTART_RECIPE_FLAGS, warmStartHelp } from "./warmstart_flags.ts";
 * import { assertMatch } from "@std/assert";
 * const help = warmStartHelp("warmstart", WARMSTART_RECIPE_FLAGS, { warmupSteps: 50 });
 * assertMatch(help, /^Usage: deno task warmstart \[flags\]\n/);
 * assertMatch(help, /--warmup-steps <number> +warm-up steps \(default 50\)/);
 * ```
 */
export function warmStartHelp(
  task: string,
  schema: Readonly<FlagSchema>,
  defaults: Readonly<Record<string, unknown>> = {},
): string {
  return `Usage: deno task ${task} [flags]\n\n` + formatHelp(
    schema,
    Object.fromEntries(Object.entries(defaults).map(([k, v]) => [camelToKebab(k), v])),
  );
}

/**
 * Parsed flag values keyed by camelCase names (`warmup-steps` -> `warmupSteps`), to spread over a
 * recipe's defaults.
 *
 * @example
 * ```ts
 * import { camelCaseValues } from "./warmstart_flags.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(camelCaseValues({ "warmup-steps": 3, lr: 0.1 }), { warmupSteps: 3, lr: 0.1 });
 * ```
 */
export function camelCaseValues(
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [kebabToCamel(k), v]));
}

/**
 * The start of a warm-start run, before the slow work: `--out` claimed by the one rule for output
 * directories (`train/run_dir.ts`; files replaced in place, since a checkpoint folder may hold
 * notes such as RECIPE.md), the backend started, both logged with the recipe.
 */
export async function startWarmStartRun(
  name: string,
  run: { flags: WarmStartRunFlags; recipe: unknown },
): Promise<BackendInfo> {
  const { backend, out, force } = run.flags;
  await claimOutputDir(out, {
    force: force === true,
    kind: "checkpoint",
    what: "--out",
    keep: true,
  });
  const info = await startBackend(backend);
  console.log(`${name}: backend ${info.name} on ${info.device}`);
  console.log(`${name}: recipe ${JSON.stringify(run.recipe)}`);
  return info;
}
