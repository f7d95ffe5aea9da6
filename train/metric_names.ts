/**
 * The names of the metrics the trainers log (metrics.jsonl), TRL's where TRL has one:
 *
 * | train line | meaning |
 * |---|---|
 * | `reward`, `reward_std` | mean and standard deviation of the rollouts' rewards (TRL) |
 * | `learning_rate` | the step's learning rate (TRL) |
 * | `completions/mean_length` | mean rollout length in tokens (TRL) |
 * | `clip_ratio/region_mean` | share of tokens whose ratio was clipped (TRL) |
 * | `rollout_win_rate` | IRPM: share of rollouts whose reward is 1 (the rollout beats the other group) |
 * | `verdict_accuracy` | pairwise baseline: share of rollouts with the right verdict |
 * | `rollout_tie_rate` | IRPM: share of chosen-vs-rejected rollout pairs with equal scores |
 *
 * Every field of an `eval` line sits under `eval/` (`eval/accuracy`, `eval/tie_rate`: held-out
 * ties, never the rollouts' ...). Runs logged before these names keep their old ones
 * ({@link LEGACY_METRIC_NAMES}); readers go through {@link metricValue}, which reads both.
 *
 * @module
 */

/** New name -> the name runs logged before (`eval/x` was `x` on eval lines). */
export const LEGACY_METRIC_NAMES: Readonly<Record<string, string>> = Object.freeze({
  reward: "reward/mean",
  reward_std: "reward/std",
  learning_rate: "lr",
  "completions/mean_length": "completion_length",
  "clip_ratio/region_mean": "clip_ratio",
  rollout_win_rate: "acc",
  verdict_accuracy: "acc",
  rollout_tie_rate: "tie_rate",
});

/**
 * A line's value of a metric by its current name, falling back to the name older runs logged.
 *
 * @example
 * ```ts
 * import { metricValue } from "./metric_names.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(metricValue({ kind: "train", reward: 0.5 }, "reward"), 0.5);
 * assertEquals(metricValue({ kind: "train", "reward/mean": 0.5 }, "reward"), 0.5); // an old run
 * assertEquals(metricValue({ kind: "eval", accuracy: 0.8 }, "eval/accuracy"), 0.8); // an old run
 * assertEquals(metricValue({ kind: "eval" }, "eval/accuracy"), undefined);
 * ```
 */
export function metricValue(line: Readonly<Record<string, unknown>>, name: string): unknown {
  if (line[name] !== undefined) return line[name];
  const legacy = name.startsWith("eval/") ? name.slice(5) : LEGACY_METRIC_NAMES[name];
  return legacy === undefined ? undefined : line[legacy];
}

/**
 * An eval line's fields without their `eval/` prefix (an older run's bare names pass through).
 *
 * @example
 * ```ts
 * import { bareEvalFields } from "./metric_names.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bareEvalFields({ kind: "eval", step: 2, "eval/quality": 5 }), { kind: "eval", step: 2, quality: 5 });
 * ```
 */
export function bareEvalFields(line: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(line).map(([k, v]) => [k.replace(/^eval\//, ""), v]));
}

/**
 * Puts every field of an evaluation under `eval/`.
 *
 * @example
 * ```ts
 * import { evalFields } from "./metric_names.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(evalFields({ accuracy: 0.8, tie_rate: 0.1 }), { "eval/accuracy": 0.8, "eval/tie_rate": 0.1 });
 * ```
 */
export function evalFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`eval/${k}`, v]));
}
