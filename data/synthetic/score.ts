/**
 * Hidden truth of the synthetic suite: positional error count, quality on 0..10, the critique a
 * judge should write, and the HelpSteer3-style label of a pair.
 *
 * Errors are alignment-free so that a small model can recompute them left to right:
 *
 *     errors(r, a) = #{ i < max(|r|, |a|) : r[i] != a[i] }
 *
 * where a missing character (past the end of the shorter string) counts as a mismatch. This is
 * not edit distance: dropping the first character of "tmqk" ("mqk") shifts everything and costs
 * 4 errors, not 1. Quality is
 *
 *     q = round(10 * max(0, 1 - errors / |a|))      (Math.round: halves round up)
 *
 * @module
 */
import type { SyntheticTask } from "./task.ts";

/**
 * Positional error count `#{ i < max(|r|,|a|) : r[i] != a[i] }`.
 *
 * @example
 * ```ts
 * import { syntheticErrors } from "./score.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(syntheticErrors({ answer: "85" }, "84"), 1);
 * assertEquals(syntheticErrors({ answer: "tmqk" }, "mqk"), 4); // shifted: every position differs
 * assertEquals(syntheticErrors({ answer: "1235" }, "12355"), 1); // one extra character
 * ```
 */
export function syntheticErrors(task: Pick<SyntheticTask, "answer">, response: string): number {
  const { answer } = task;
  let errors = 0;
  for (let i = 0; i < Math.max(answer.length, response.length); i++) {
    if (response[i] !== answer[i]) errors++;
  }
  return errors;
}

/**
 * Quality from an error count: `round(10 * max(0, 1 - errors / answerLength))`, an integer 0..10.
 *
 * @example
 * ```ts
 * import { qualityFromErrors } from "./score.ts";
 * import { assertEquals } from "@std/assert";
 * // 1 error of 4: 10 * 3/4 = 7.5 -> 8; 1 of 3: 6.67 -> 7; 5 of 4: clipped to 0
 * assertEquals([qualityFromErrors(1, 4), qualityFromErrors(1, 3), qualityFromErrors(5, 4)], [8, 7, 0]);
 * ```
 */
export function qualityFromErrors(errors: number, answerLength: number): number {
  if (!Number.isInteger(answerLength) || answerLength < 1) {
    throw new RangeError(`answerLength must be a positive integer, got ${answerLength}`);
  }
  if (!Number.isInteger(errors) || errors < 0) {
    throw new RangeError(`errors must be a non-negative integer, got ${errors}`);
  }
  // Integer numerator keeps exact halves exact (30 / 4 = 7.5), so Math.round is not fooled.
  return Math.round((10 * Math.max(0, answerLength - errors)) / answerLength);
}

/**
 * Hidden quality of a response: {@link qualityFromErrors} of {@link syntheticErrors}.
 *
 * @example
 * ```ts
 * import { syntheticQuality } from "./score.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(syntheticQuality({ answer: "85" }, "85"), 10);
 * assertEquals(syntheticQuality({ answer: "85" }, "84"), 5); // 10 * (1 - 1/2)
 * ```
 */
export function syntheticQuality(task: Pick<SyntheticTask, "answer">, response: string): number {
  return qualityFromErrors(syntheticErrors(task, response), task.answer.length);
}

/**
 * The critique a judge should write: recomputed answer, the response, the error count:
 * `"<answer> vs <response>: <errors> err"`.
 *
 * @example
 * ```ts
 * import { syntheticCritique } from "./score.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(syntheticCritique({ answer: "85" }, "84"), "85 vs 84: 1 err");
 * assertEquals(syntheticCritique({ answer: "tmqk" }, "tmqk"), "tmqk vs tmqk: 0 err");
 * ```
 */
export function syntheticCritique(task: Pick<SyntheticTask, "answer">, response: string): string {
  return `${task.answer} vs ${response}: ${syntheticErrors(task, response)} err`;
}

/**
 * HelpSteer3 `overall_preference` from two qualities. With gap g = q1 - q2, the strength is
 * 0 for |g| = 0 (tie), 1 for |g| in 1..2, 2 for 3..5, 3 for >= 6; the sign is negative when
 * response1 is better: `p = -sign(g) * strength(|g|)`.
 *
 * @example
 * ```ts
 * import { syntheticPreference } from "./score.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([10, 8, 7, 5, 4].map((q1) => syntheticPreference(q1, 5)), [-2, -2, -1, 0, 1]);
 * assertEquals(syntheticPreference(0, 10), 3);
 * ```
 */
export function syntheticPreference(quality1: number, quality2: number): number {
  const gap = quality1 - quality2;
  const size = Math.abs(gap);
  const strength = size === 0 ? 0 : size <= 2 ? 1 : size <= 5 ? 2 : 3;
  return gap > 0 ? -strength : strength;
}
