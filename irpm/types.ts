/**
 * Shared shapes for the IRPM reward designs: one pair's two groups of scores in, one reward per
 * rollout out.
 *
 * @module
 */

/** The G sampled scores of the chosen response and of the rejected response of one pair. */
export type GroupScores = {
  readonly chosen: readonly number[];
  readonly rejected: readonly number[];
};

/** One reward per rollout, in the same order as the {@link GroupScores} it came from. */
export type GroupRewards = { chosen: number[]; rejected: number[] };

/**
 * Options every design accepts. `margin` is delta on the 0-10 score scale (designs without a
 * threshold ignore it); `alpha` is the two-sided level of the interval design (default 0.05).
 */
export type DesignOptions = { margin: number; alpha?: number };

/** A reward design: a pure function from one pair's scores to one reward per rollout. */
export type RewardDesign = (scores: GroupScores, options: DesignOptions) => GroupRewards;

/**
 * Checks a reward design's arguments: both groups are non-empty arrays of finite numbers and the
 * margin is finite.
 * Throws a TypeError (wrong type) or RangeError (empty group, non-finite value) naming `where`,
 * the side and the index.
 *
 * @example
 * ```ts
 * import { checkGroupScores } from "./types.ts";
 * import { assertThrows } from "@std/assert";
 * checkGroupScores({ scores: { chosen: [7], rejected: [5] }, options: { margin: 0 } }, "mean");
 * assertThrows(() => checkGroupScores({ scores: { chosen: [], rejected: [5] }, options: { margin: 0 } }, "mean"), RangeError);
 * ```
 */
export function checkGroupScores(
  args: { scores: GroupScores; options: DesignOptions },
  where: string,
): void {
  const { scores, options } = args;
  if (scores === null || typeof scores !== "object") {
    throw new TypeError(`${where}: scores must be { chosen, rejected }, got ${String(scores)}`);
  }
  for (const side of ["chosen", "rejected"] as const) {
    const group = scores[side];
    if (!Array.isArray(group)) {
      throw new TypeError(`${where}: scores.${side} must be an array, got ${String(group)}`);
    }
    if (group.length === 0) throw new RangeError(`${where}: scores.${side} is empty`);
    group.forEach((score, index) => {
      if (typeof score !== "number" || !Number.isFinite(score)) {
        throw new RangeError(
          `${where}: scores.${side}[${index}] must be a finite number, got ${String(score)}`,
        );
      }
    });
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be { margin, alpha? }, got ${String(options)}`);
  }
  if (typeof options.margin !== "number" || !Number.isFinite(options.margin)) {
    throw new RangeError(`${where}: margin must be a finite number, got ${String(options.margin)}`);
  }
}
