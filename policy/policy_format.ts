/**
 * What the policy reads and writes on the synthetic tasks: the prompt alone after BOS,
 *
 *     [BOS] "37+48="   ->   "85" [EOS]
 *
 * and nothing else (no chat template: the policy is the kit's small transformer, trained from a
 * policy warm-start that knows this format). An answer ends at EOS; one that reaches
 * {@link POLICY_MAX_NEW_TOKENS} without it is `unfinished` and is judged as written.
 *
 * @module
 */
import { MAX_ANSWER_LENGTH, MAX_EXTRA_CHARS } from "../data/synthetic/task.ts";
import { BOS_ID, decode, encode, EOS_ID } from "../model/tokenizer.ts";

/**
 * Longest answer the policy may write, EOS included: the longest synthetic answer plus the
 * corruptions' extra characters, plus EOS (the longest response a judge was trained to read).
 */
export const POLICY_MAX_NEW_TOKENS = MAX_ANSWER_LENGTH + MAX_EXTRA_CHARS + 1;

/**
 * Prompt tokens of a task: `[BOS, ...encode(prompt)]`.
 *
 * @example
 * ```ts
 * import { policyPromptTokens } from "./policy_format.ts";
 * import { BOS_ID, decode } from "../model/tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * const tokens = policyPromptTokens("37+48=");
 * assertEquals([tokens[0], decode(tokens.slice(1))], [BOS_ID, "37+48="]);
 * ```
 */
export function policyPromptTokens(prompt: string): number[] {
  return [BOS_ID, ...encode(prompt)];
}

/**
 * Target tokens of an answer: `[...encode(answer), EOS]`.
 *
 * @example
 * ```ts
 * import { policyAnswerTokens } from "./policy_format.ts";
 * import { EOS_ID } from "../model/tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(policyAnswerTokens("85").length, 3);
 * assertEquals(policyAnswerTokens("85").at(-1), EOS_ID);
 * ```
 */
export function policyAnswerTokens(answer: string): number[] {
  return [...encode(answer), EOS_ID];
}

/** A sampled answer as text, and whether it ended on EOS. */
export interface PolicyAnswer {
  readonly text: string;
  readonly finished: boolean;
}

/**
 * The answer a completion spells: its tokens up to (without) the first EOS.
 *
 * @example
 * ```ts
 * import { policyAnswer, policyAnswerTokens } from "./policy_format.ts";
 * import { encode } from "../model/tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(policyAnswer(policyAnswerTokens("85")), { text: "85", finished: true });
 * assertEquals(policyAnswer(encode("8555")), { text: "8555", finished: false });
 * ```
 */
export function policyAnswer(tokens: readonly number[]): PolicyAnswer {
  const end = tokens.indexOf(EOS_ID);
  return end < 0
    ? { text: decode(tokens), finished: false }
    : { text: decode(tokens.slice(0, end)), finished: true };
}
