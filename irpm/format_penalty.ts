/**
 * What an unscorable or over-long rollout costs, and which score stands in for an unscorable one.
 *
 * @module
 */
import { SCORE_RANGE } from "./parse.ts";

/** Which response of the pair a rollout judged. */
export type Side = "chosen" | "rejected";

/** Reward added to a rollout whose judgment does not parse or is out of range (released: -0.5). */
export const DEFAULT_FORMAT_PENALTY: number = -0.5;

/** Reward added to a valid rollout longer than `maxLength` (released: -0.5). */
export const DEFAULT_OVERLONG_PENALTY: number = -0.5;

/**
 * Worst-case stand-in score for an unscorable rollout: 0 for a chosen rollout (it could not
 * have ranked the better response lower), 10 for a rejected one. The stand-in also enters the
 * other group's statistics, so an unscorable rollout never helps its own side.
 *
 * @example
 * ```ts
 * import { worstCaseScore } from "./format_penalty.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([worstCaseScore("chosen"), worstCaseScore("rejected")], [0, 10]);
 * ```
 */
export function worstCaseScore(side: Side): number {
  if (side === "chosen") return SCORE_RANGE.min;
  if (side === "rejected") return SCORE_RANGE.max;
  throw new TypeError(`worstCaseScore: side must be "chosen" or "rejected", got ${String(side)}`);
}

/**
 * Penalty of one rollout. Penalties do not stack: a rollout pays at most one of them,
 *   invalid             -> formatPenalty   (default -0.5)
 *   valid and overlong  -> overlongPenalty (default -0.5)
 *   otherwise           -> 0
 * as in the released code, where a parse failure overwrites the length penalty.
 *
 * @example
 * ```ts
 * import { rolloutPenalty } from "./format_penalty.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(rolloutPenalty({ valid: false, overlong: true }), -0.5); // not -1
 * assertEquals(rolloutPenalty({ valid: true, overlong: false }), 0);
 * ```
 */
export function rolloutPenalty(
  rollout: { valid: boolean; overlong: boolean },
  options: { formatPenalty?: number; overlongPenalty?: number } = {},
): number {
  if (!rollout.valid) return options.formatPenalty ?? DEFAULT_FORMAT_PENALTY;
  if (rollout.overlong) return options.overlongPenalty ?? DEFAULT_OVERLONG_PENALTY;
  return 0;
}
