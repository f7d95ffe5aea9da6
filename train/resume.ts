/**
 * What `deno task train --resume <dir>` may continue, and with which settings.
 *
 * A run records its settings twice: in `config.json` (what the user reads and may edit) and in
 * every checkpoint's sidecar (what the weights were trained with). Resuming compares the two:
 * settings that shape the model or the data can never change mid-run; the others (learning rate,
 * schedule, sampling, evaluation cadence, ...) change only with `--allow-config-change`, and each
 * change is printed and logged in metrics.jsonl. Everything else is refused with a message that
 * names the setting and a command that works.
 *
 * @module
 */
import type { TrainConfig } from "./config.ts";
import { RunDirError } from "./run_dir.ts";

/** Settings that define the model, its start or its data: a run cannot continue with others. */
export const FIXED_ON_RESUME: readonly (keyof TrainConfig)[] = Object.freeze([
  "model",
  "preset",
  "seed",
  "data",
  "dataPath",
  "testPath",
  "trainSize",
  "testSize",
  "minStrength",
  "testMinStrength",
  "requireUserLast",
  "warmStart",
  "pairwiseWarmStartSteps",
]);

/** Settings about where the run lives or how this invocation stops: never compared. */
export const IGNORED_ON_RESUME: readonly (keyof TrainConfig)[] = Object.freeze([
  "runDir",
  "name",
  "force",
  "stopAfter",
]);

/** One setting that differs between the run's record and its config.json. */
export interface ConfigChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * The settings in which `current` (config.json now) differs from `recorded` (the checkpoint's
 * record), in key order, ignoring {@link IGNORED_ON_RESUME}.
 *
 * @example
 * ```ts
 * import { configChanges } from "./resume.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   configChanges({ lr: 1e-4, name: "a", preset: "small" }, { lr: 1e-3, name: "b", preset: "small" }),
 *   [{ key: "lr", from: 1e-4, to: 1e-3 }],
 * );
 * // a key the run never recorded (added to the kit later) counts only when not at its default
 * assertEquals(configChanges({ lr: 1e-4 }, { lr: 1e-4, newKnob: 1 }, { newKnob: 1 }), []);
 * assertEquals(configChanges({ lr: 1e-4 }, { lr: 1e-4, newKnob: 2 }, { newKnob: 1 }).length, 1);
 * ```
 */
export function configChanges(
  recorded: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>> = {},
): ConfigChange[] {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])];
  return keys
    .filter((key) => !(IGNORED_ON_RESUME as readonly string[]).includes(key))
    // a setting added to the kit after the run started, left at its default, changes nothing
    .filter((key) =>
      Object.hasOwn(recorded, key) ||
      JSON.stringify(current[key]) !== JSON.stringify(defaults[key])
    )
    .filter((key) => JSON.stringify(recorded[key]) !== JSON.stringify(current[key]))
    .map((key) => ({ key, from: recorded[key], to: current[key] }));
}

/** `lr 0.0001 -> 0.001` for messages and logs. */
export function formatChange(change: ConfigChange): string {
  const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));
  return `${change.key} ${show(change.from)} -> ${show(change.to)}`;
}

/** The command that starts a run again from scratch with its recorded config. */
export function restartCommand(dir: string): string {
  return `deno task train --config ${dir}/config.json --force`;
}

/**
 * Decides whether a resume may go on with these changes: none, or (with `allow`) only settings
 * outside {@link FIXED_ON_RESUME}. Throws a {@link RunDirError} naming each refused setting and
 * what to do; returns the changes that go ahead.
 *
 * @example
 * ```ts
 * import { checkResumeChanges } from "./resume.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const lr = [{ key: "lr", from: 1e-4, to: 1e-3 }];
 * assertThrows(() => checkResumeChanges(lr, { allow: false, dir: "runs/a" }), Error, "--allow-config-change");
 * assertEquals(checkResumeChanges(lr, { allow: true, dir: "runs/a" }), lr);
 * const preset = [{ key: "preset", from: "small", to: "tiny" }];
 * assertThrows(() => checkResumeChanges(preset, { allow: true, dir: "runs/a" }), Error, "cannot change");
 * ```
 */
export function checkResumeChanges(
  changes: readonly ConfigChange[],
  options: { allow: boolean; dir: string },
): readonly ConfigChange[] {
  if (changes.length === 0) return changes;
  const fixed = changes.filter((c) => (FIXED_ON_RESUME as readonly string[]).includes(c.key));
  const config = `${options.dir}/config.json`;
  if (fixed.length > 0) {
    throw new RunDirError(
      `${config} was edited after the run started: ${fixed.map(formatChange).join(", ")}; ` +
        `${fixed.map((c) => c.key).join(", ")} cannot change in a running run (they define the ` +
        `model, its start or its data): restore ${config}, or start a new run with the new ` +
        `settings (${restartCommand(options.dir)} replaces this one)`,
    );
  }
  if (!options.allow) {
    throw new RunDirError(
      `${config} was edited after the run started: ${changes.map(formatChange).join(", ")}; ` +
        `restore it, or continue with the new settings: deno task train --resume ${options.dir} ` +
        `--allow-config-change`,
    );
  }
  return changes;
}
