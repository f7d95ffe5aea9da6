/**
 * What the pairwise GRM baseline reads and writes.
 *
 * Input: the question and both responses, numbered in the order shown,
 *
 *     Q:<question>\n1:<first response>\n2:<second response>\n
 *
 * (a multi-turn context is written one line per turn, as in `judgePrompt`).
 * Output: a critique and a VERDICT written inside the score tag,
 *
 *     <critique>...</critique><score>1</score>     (1: the first response is better, 2: the second)
 *
 * Why the score tag: the tokenizer has single tokens for the critique and score tags only, the
 * sampler already stops on `</score>`, and the released parser reads the number back, so the
 * pairwise GRM shares every piece of machinery with the pointwise one. A judgment that does not
 * parse, or whose number is not exactly 1 or 2, has no verdict (format penalty in training, a
 * parse error in evaluation).
 *
 * The synthetic critique is compact because two responses must fit the 64-token context of the
 * `small` preset: `"<answer>: <errors of 1> vs <errors of 2> err"` (the worst case is 37 prompt +
 * 23 completion = 60 tokens).
 *
 * @module
 */
import type { Turn } from "../data/types.ts";
import { judgeCompletion } from "../data/judge_prompt.ts";
import { syntheticErrors } from "../data/synthetic/score.ts";
import type { Verdict } from "../eval/judgebench.ts";
import { parseJudgment } from "../irpm/parse.ts";
import { BOS_ID, encode } from "../model/tokenizer.ts";
import type { Prng } from "../rng/prng.ts";

/** Two responses shown in a fixed order. */
export interface Comparison {
  readonly context: readonly Turn[];
  readonly first: string;
  readonly second: string;
}

const SPEAKER: Record<Turn["role"], string> = {
  user: "User: ",
  assistant: "Assistant: ",
  system: "System: ",
};

/**
 * Renders the pairwise judge input.
 *
 * @example
 * ```ts
 * import { pairwisePrompt } from "./pairwise_format.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pairwisePrompt({ context: [{ role: "user", content: "37+48=" }], first: "85", second: "84" }),
 *   "Q:37+48=\n1:85\n2:84\n");
 * ```
 */
export function pairwisePrompt(comparison: Comparison): string {
  const { context, first, second } = comparison;
  const head = context.length === 1 && context[0].role === "user"
    ? `Q:${context[0].content}\n`
    : context.map((turn) => `${SPEAKER[turn.role]}${turn.content}\n`).join("");
  return `${head}1:${first}\n2:${second}\n`;
}

/**
 * Prompt tokens `[BOS, ...encode(pairwisePrompt(c))]`, keeping the last `maxLength - 1` prompt
 * tokens when too long (as `judgePromptTokens` does).
 *
 * @example
 * ```ts
 * import { pairwisePromptTokens } from "./pairwise_format.ts";
 * import { assertEquals } from "@std/assert";
 * const c = { context: [{ role: "user" as const, content: "sort 31" }], first: "13", second: "31" };
 * // "Q:sort 31\n" (10) + "1:13\n" (5) + "2:31\n" (5) = 20 characters
 * assertEquals(pairwisePromptTokens(c, 64).tokens.length, 1 + 20);
 * const cut = pairwisePromptTokens(c, 8);
 * assertEquals([cut.tokens.length, cut.truncated], [8, true]);
 * ```
 */
export function pairwisePromptTokens(
  comparison: Comparison,
  maxLength: number,
): { tokens: number[]; truncated: boolean } {
  const body = encode(pairwisePrompt(comparison));
  const room = maxLength - 1;
  if (room < 1) throw new RangeError(`prompt room must be >= 2 tokens, got ${maxLength}`);
  const truncated = body.length > room;
  return { tokens: [BOS_ID, ...(truncated ? body.slice(body.length - room) : body)], truncated };
}

/**
 * The synthetic pairwise critique: `"<answer>: <e1> vs <e2> err"`, e_i the positional error
 * count of response i (`syntheticErrors`).
 *
 * @example
 * ```ts
 * import { pairwiseCritique } from "./pairwise_format.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pairwiseCritique({ answer: "85" }, { first: "84", second: "85" }), "85: 1 vs 0 err");
 * ```
 */
export function pairwiseCritique(
  task: { answer: string },
  shown: { first: string; second: string },
): string {
  const { first, second } = shown;
  return `${task.answer}: ${syntheticErrors(task, first)} vs ${syntheticErrors(task, second)} err`;
}

/**
 * Warm-start target for a synthetic comparison: the critique and a verdict drawn uniformly from
 * {1, 2} (one `rng.int(2)` draw), INDEPENDENT of which response is better, for the same reason
 * as the pointwise warm-start's random score: imitation teaches the format and the checking
 * procedure, and only the RL reward can teach the verdict.
 *
 * @example
 * ```ts
 * import { pairwiseTarget } from "./pairwise_format.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertMatch } from "@std/assert";
 * assertMatch(pairwiseTarget({ answer: "85" }, { first: "84", second: "85", rng: createPrng(0) }),
 *   /^<critique>85: 1 vs 0 err<\/critique><score>[12]<\/score>$/);
 * ```
 */
export function pairwiseTarget(
  task: { answer: string },
  draw: { first: string; second: string; rng: Prng },
): string {
  return judgeCompletion(pairwiseCritique(task, draw), 1 + draw.rng.int(2));
}

/**
 * The verdict in a pairwise GRM output: score 1 -> "A>B" (the first response shown is better),
 * 2 -> "B>A"; anything else (no match, another number) -> null.
 *
 * @example
 * ```ts
 * import { parseVerdict } from "./pairwise_format.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseVerdict("<critique>x</critique><score>2</score>"), "B>A");
 * assertEquals(parseVerdict("<critique>x</critique><score>1.0</score>"), "A>B");
 * assertEquals([parseVerdict("<critique>x</critique><score>7</score>"), parseVerdict("2")], [null, null]);
 * ```
 */
export function parseVerdict(text: string): Verdict | null {
  const judgment = parseJudgment(text);
  if (!judgment.valid) return null;
  return judgment.score === 1 ? "A>B" : judgment.score === 2 ? "B>A" : null;
}

/** Reward of a missing verdict: the worst pair reward (-1) plus the format penalty (-0.5). */
export const NO_VERDICT_REWARD = -1.5;

/**
 * The pairwise GRM's RL reward: +1 for the correct verdict, -1 for the wrong one, and -1.5 for no
 * verdict (the worst case, -1, plus the -0.5 format penalty, as IRPM treats a bad rollout).
 *
 * @example
 * ```ts
 * import { verdictReward } from "./pairwise_format.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([verdictReward("A>B", "A>B"), verdictReward("B>A", "A>B"), verdictReward(null, "B>A")],
 *   [1, -1, -1.5]);
 * ```
 */
export function verdictReward(verdict: Verdict | null, label: "A>B" | "B>A"): number {
  if (verdict === null || verdict === "A=B") return NO_VERDICT_REWARD;
  return verdict === label ? 1 : -1;
}
