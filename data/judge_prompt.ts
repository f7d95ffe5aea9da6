/**
 * The text a pointwise GRM reads and writes. This format is pinned by tests: a trained model
 * depends on it character for character.
 *
 * Input ({@link judgePrompt}), for a context of exactly one user turn:
 *
 *     Q:<content>\nA:<response>\n
 *
 * and for any other context, one line per turn (`User: `, `Assistant: `, `System: ` + content,
 * content as-is, newlines included), then `A:<response>\n`.
 *
 * Output ({@link judgeCompletion}), written right after the input:
 *
 *     <critique>...</critique><score>x</score>
 *
 * which the released IRPM parser (method.md) reads back.
 *
 * Length budget: the four tags are long (36 characters together), so the kit counts each tag as
 * ONE symbol ({@link judgeLength}); a character-level tokenizer should give each tag a single
 * token. Synthetic items fit {@link JUDGE_MAX_LENGTH} = 64 symbols for prompt + completion.
 *
 * @module
 */
import type { Turn } from "./types.ts";

/** The four tags of the GRM output, each meant to be one token. */
export const JUDGE_TAGS: readonly string[] = Object.freeze([
  "<critique>",
  "</critique>",
  "<score>",
  "</score>",
]);

/** Budget (in {@link judgeLength} symbols) for judge prompt + completion on synthetic data. */
export const JUDGE_MAX_LENGTH = 64;

const SPEAKER: Record<Turn["role"], string> = {
  user: "User: ",
  assistant: "Assistant: ",
  system: "System: ",
};

/**
 * Renders the judge input for one response.
 *
 * @example
 * ```ts
 * import { judgePrompt } from "./judge_prompt.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(judgePrompt([{ role: "user", content: "37+48=" }], "85"), "Q:37+48=\nA:85\n");
 * assertEquals(
 *   judgePrompt([{ role: "user", content: "hi" }, { role: "assistant", content: "yo" },
 *     { role: "user", content: "2+2?" }], "4"),
 *   "User: hi\nAssistant: yo\nUser: 2+2?\nA:4\n",
 * );
 * ```
 */
export function judgePrompt(context: readonly Turn[], response: string): string {
  if (context.length === 1 && context[0].role === "user") {
    return `Q:${context[0].content}\nA:${response}\n`;
  }
  return context.map((turn) => `${SPEAKER[turn.role]}${turn.content}\n`).join("") +
    `A:${response}\n`;
}

/**
 * Renders the GRM output `<critique>c</critique><score>s</score>`. The score is written as given
 * (`String(score)`); it must be a finite number in [0, 10].
 *
 * @example
 * ```ts
 * import { judgeCompletion } from "./judge_prompt.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(judgeCompletion("85 vs 84: 1 err", 5), "<critique>85 vs 84: 1 err</critique><score>5</score>");
 * ```
 */
export function judgeCompletion(critique: string, score: number): string {
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new RangeError(`score must be a number in [0, 10], got ${score}`);
  }
  return `<critique>${critique}</critique><score>${score}</score>`;
}

/**
 * Length in budget symbols: characters, except each of {@link JUDGE_TAGS} counts as one.
 *
 * @example
 * ```ts
 * import { judgeLength } from "./judge_prompt.ts";
 * import { assertEquals } from "@std/assert";
 * // 4 tags + "ok" (2) + "7" (1) = 7
 * assertEquals(judgeLength("<critique>ok</critique><score>7</score>"), 7);
 * ```
 */
export function judgeLength(text: string): number {
  let length = text.length;
  for (const tag of JUDGE_TAGS) {
    const occurrences = text.split(tag).length - 1;
    length -= occurrences * (tag.length - 1);
  }
  return length;
}
