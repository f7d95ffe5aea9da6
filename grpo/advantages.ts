/**
 * GRPO advantages from per-rollout rewards: plain numbers, no gradients.
 *
 * IRPM normalises each group (the G rollouts of one response) on its own:
 *
 *   A_i = (R_i - mean(R)) / (std(R) + eps),   std unbiased (divide by G - 1), eps = 1e-6
 *
 * and a group whose rewards are all exactly equal gets A = 0 for every rollout. The equality test
 * is `===`, not a tolerance: with IEEE arithmetic mean([0.1, 0.1, 0.1]) = 0.10000000000000002, so
 * the formula alone would hand out tiny non-zero advantages (-1.4e-17 / 1e-6) to a group that
 * carries no signal. G = 1 is such a group, so it gets [0] rather than 0/0.
 *
 * The batch-level variants take a list of groups (e.g. `[chosenGroup, rejectedGroup, ...]`) and
 * return advantages group by group; choose one at the edge through {@link advantageScalings}.
 *
 * @module
 */

/** Options for the advantage functions. */
export interface AdvantageOptions {
  /** Added to the standard deviation before dividing (default 1e-6, as in veRL and IRPM). */
  readonly epsilon?: number;
}

/** A batch-level advantage function: one advantage array per reward group, same order. */
export type AdvantageScaling = (
  groups: readonly (readonly number[])[],
  options?: AdvantageOptions,
) => number[][];

const DEFAULT_EPSILON = 1e-6;

function checkGroup(rewards: readonly number[], where: string): void {
  if (rewards.length === 0) throw new RangeError(`${where}: a reward group must not be empty`);
  rewards.forEach((r, i) => {
    if (typeof r !== "number" || !Number.isFinite(r)) {
      throw new RangeError(`${where}: reward [${i}] must be a finite number, got ${r}`);
    }
  });
}

function checkGroups(groups: readonly (readonly number[])[], where: string): void {
  if (groups.length === 0) throw new RangeError(`${where}: need at least one reward group`);
  groups.forEach((g, k) => checkGroup(g, `${where} group ${k}`));
}

function epsilonOf(options: AdvantageOptions | undefined): number {
  const eps = options?.epsilon ?? DEFAULT_EPSILON;
  if (!Number.isFinite(eps) || eps < 0) {
    throw new RangeError(`epsilon must be a finite number >= 0, got ${eps}`);
  }
  return eps;
}

/** True when every reward is `===` the first one (a group of one is all-equal). */
function allEqual(rewards: readonly number[]): boolean {
  return rewards.every((r) => r === rewards[0]);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Unbiased standard deviation sqrt(sum (x - mean)^2 / (n - 1)); 0 when n < 2. */
function unbiasedStd(xs: readonly number[], centre: number): number {
  if (xs.length < 2) return 0;
  return Math.sqrt(xs.reduce((s, x) => s + (x - centre) ** 2, 0) / (xs.length - 1));
}

/** R_i - mean(R), or exact zeros for an all-equal group. */
function centred(rewards: readonly number[]): number[] {
  if (allEqual(rewards)) return rewards.map(() => 0);
  const m = mean(rewards);
  return rewards.map((r) => r - m);
}

/**
 * Advantages of one group: A_i = (R_i - mean(R)) / (std_unbiased(R) + eps); exactly 0 for every
 * rollout when all rewards are `===` equal (so G = 1 gives [0]).
 *
 * @example
 * ```ts
 * import { groupAdvantages } from "./advantages.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * // mean 0.5, deviations [0.5, 0.5, 0.5, -1.5], var = (3 * 0.25 + 2.25) / 3 = 1, std = 1
 * const a = groupAdvantages([1, 1, 1, -1]);
 * assertAlmostEquals(a[3], -1.5 / (1 + 1e-6), 1e-12);
 * assertEquals(groupAdvantages([0.1, 0.1, 0.1]), [0, 0, 0]);
 * assertEquals(groupAdvantages([7]), [0]);
 * ```
 */
export function groupAdvantages(rewards: readonly number[], options?: AdvantageOptions): number[] {
  checkGroup(rewards, "groupAdvantages");
  const eps = epsilonOf(options);
  if (allEqual(rewards)) return rewards.map(() => 0);
  const m = mean(rewards);
  const sd = unbiasedStd(rewards, m);
  return rewards.map((r) => (r - m) / (sd + eps));
}

/**
 * Group scaling (the GRPO and IRPM default): {@link groupAdvantages} applied to each group alone.
 * Groups are coupled only through their rewards.
 *
 * @example
 * ```ts
 * import { groupScaledAdvantages } from "./advantages.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * const [chosen, rejected] = groupScaledAdvantages([[1, 1, 1, -1], [2, 2]]);
 * assertAlmostEquals(chosen[0], 0.5 / (1 + 1e-6), 1e-12);
 * assertEquals(rejected, [0, 0]);
 * ```
 */
export function groupScaledAdvantages(
  groups: readonly (readonly number[])[],
  options?: AdvantageOptions,
): number[][] {
  checkGroups(groups, "groupScaledAdvantages");
  return groups.map((g) => groupAdvantages(g, options));
}

/**
 * Batch scaling: subtract each group's own mean, then divide by one standard deviation shared by
 * the whole batch, taken over all mean-centred values (all-equal groups included, as zeros):
 *
 *   c_ki = R_ki - mean(R_k),   A_ki = c_ki / (std_unbiased({c_ki over all k, i}) + eps)
 *
 * This is the "group baseline, batch normalisation" of REINFORCE++-baseline; it keeps a group
 * with a small spread from being blown up to unit scale. (TRL's `scale_rewards="batch"` divides by
 * the std of the raw rewards instead, which also counts the spread between group means.) All-equal
 * groups still get exact zeros; a batch with fewer than two values has std 0.
 *
 * @example
 * ```ts
 * import { batchScaledAdvantages } from "./advantages.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * // centred: [0.5, 0.5, 0.5, -1.5] and [1.5, -0.5, -0.5, -0.5]; sum sq = 3 + 3 = 6 over 8 values
 * const [a, b] = batchScaledAdvantages([[1, 1, 1, -1], [1, -1, -1, -1]]);
 * assertAlmostEquals(b[0], 1.5 / (Math.sqrt(6 / 7) + 1e-6), 1e-12);
 * ```
 */
export function batchScaledAdvantages(
  groups: readonly (readonly number[])[],
  options?: AdvantageOptions,
): number[][] {
  checkGroups(groups, "batchScaledAdvantages");
  const eps = epsilonOf(options);
  const c = groups.map(centred);
  const sd = unbiasedStd(c.flat(), 0);
  return c.map((g) => g.map((x) => (x === 0 ? 0 : x / (sd + eps))));
}

/**
 * No scaling (Dr. GRPO): A_ki = R_ki - mean(R_k), exact zeros for all-equal groups. Dr. GRPO drops
 * the std division because it up-weights groups that are nearly all right or all wrong.
 *
 * @example
 * ```ts
 * import { unscaledAdvantages } from "./advantages.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(unscaledAdvantages([[1, 1, 1, -1], [3, 3]]), [[0.5, 0.5, 0.5, -1.5], [0, 0]]);
 * ```
 */
export function unscaledAdvantages(
  groups: readonly (readonly number[])[],
  options?: AdvantageOptions,
): number[][] {
  checkGroups(groups, "unscaledAdvantages");
  epsilonOf(options);
  return groups.map(centred);
}

/**
 * The advantage scalings by name, for choosing one at the edge (a config field or CLI flag):
 * `group` (default, IRPM), `batch`, `none` (Dr. GRPO).
 *
 * @example
 * ```ts
 * import { advantageScalings } from "./advantages.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(advantageScalings.none([[0, 2]]), [[-1, 1]]);
 * ```
 */
export const advantageScalings: Readonly<Record<"group" | "batch" | "none", AdvantageScaling>> =
  Object.freeze({
    group: groupScaledAdvantages,
    batch: batchScaledAdvantages,
    none: unscaledAdvantages,
  });

/**
 * Fraction of groups whose rewards are all `===` equal (they get zero advantage and so teach
 * nothing); TRL logs the same quantity as `frac_reward_zero_std`.
 *
 * @example
 * ```ts
 * import { fracRewardZeroStd } from "./advantages.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fracRewardZeroStd([[1, 1], [1, -1], [-1, -1], [0.5, 0.5]]), 0.75);
 * ```
 */
export function fracRewardZeroStd(groups: readonly (readonly number[])[]): number {
  checkGroups(groups, "fracRewardZeroStd");
  return groups.filter(allEqual).length / groups.length;
}
