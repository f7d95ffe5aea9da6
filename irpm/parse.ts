/**
 * Parsing a GRM judgment `<critique>...</critique><score>x</score>` with the released parser's
 * semantics.
 *
 * @module
 */

/** Lowest and highest valid score. */
export const SCORE_RANGE: Readonly<{ min: number; max: number }> = Object.freeze({
  min: 0,
  max: 10,
});

/**
 * The released pattern, searched anywhere in the text (`s`: `.` also matches newlines).
 * The score is unsigned: `-3`, `+3`, `.5`, `7.` and `1e1` do not match at all, so a negative score
 * is reported as `no_match`, never as out of range. `\d` is ASCII-only in JavaScript (Python's
 * `re` would also take other Unicode digits, e.g. Arabic-Indic, which this parser rejects).
 * With several blocks the leftmost `<critique>` wins and the lazy critique may stretch over a
 * broken first block up to the first `</critique>` that is followed by a well-formed score.
 */
export const JUDGMENT_PATTERN: RegExp =
  /<critique>\s*(.*?)\s*<\/critique>\s*<score>\s*(\d+(?:\.\d+)?)\s*<\/score>/s;

/** Why a judgment was rejected. */
export type JudgmentFailure = "no_match" | "score_out_of_range";

/** A parsed judgment: a critique and a score in [0, 10], or why there is none (never a silent 0). */
export type Judgment =
  | { valid: true; critique: string; score: number }
  | { valid: false; reason: JudgmentFailure; detail: string; score: null };

/**
 * Parses a GRM output. Valid iff {@link JUDGMENT_PATTERN} matches somewhere and the score lies
 * in [0, 10]; text before and after is ignored; the critique is trimmed and may be empty.
 * Throws TypeError for a non-string input.
 *
 * @example
 * ```ts
 * import { parseJudgment } from "./parse.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseJudgment("ok <critique> Clear.\n</critique>\n<score>7.5</score> bye"), {
 *   valid: true,
 *   critique: "Clear.",
 *   score: 7.5,
 * });
 * assertEquals(parseJudgment("<critique>x</critique><score>-3</score>").valid, false);
 * ```
 */
export function parseJudgment(text: string): Judgment {
  if (typeof text !== "string") {
    throw new TypeError(`parseJudgment: text must be a string, got ${typeof text}`);
  }
  const match = JUDGMENT_PATTERN.exec(text);
  if (match === null) {
    return {
      valid: false,
      reason: "no_match",
      detail: "no <critique>...</critique><score>N</score> block with an unsigned decimal score",
      score: null,
    };
  }
  const score = Number(match[2]);
  if (!(score >= SCORE_RANGE.min && score <= SCORE_RANGE.max)) {
    return {
      valid: false,
      reason: "score_out_of_range",
      detail: `score ${match[2]} is outside [${SCORE_RANGE.min}, ${SCORE_RANGE.max}]`,
      score: null,
    };
  }
  return { valid: true, critique: match[1], score };
}
