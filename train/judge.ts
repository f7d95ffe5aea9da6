/**
 * Running the GRM as a pointwise judge: each (context, response) is rendered with the judge
 * prompt, the model writes `<critique>...</critique><score>x</score>`, and the text is parsed.
 *
 * Prompts longer than the context window keep their LAST tokens (the response and the end of the
 * conversation matter most) after the BOS token; the cut is reported per item (`truncated`).
 *
 * @module
 */
import type { ResponseItem, Turn } from "../data/types.ts";
import { judgePrompt } from "../data/judge_prompt.ts";
import { type Judgment, parseJudgment } from "../irpm/parse.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { generate } from "../model/sample.ts";
import { BOS_ID, encode } from "../model/tokenizer.ts";
import type { Prng } from "../rng/prng.ts";
import { DEFAULT_TRAIN_CONFIG } from "./config.ts";

/** One judgment of one item. */
export interface JudgedRollout {
  /** Index of the item in the input. */
  readonly item: number;
  /** Prompt tokens (BOS + judge prompt, maybe truncated). */
  readonly promptTokens: readonly number[];
  /** Generated tokens (including the stop token). */
  readonly tokens: readonly number[];
  /** Per generated token log-prob under the untempered policy. */
  readonly logProbs: readonly number[];
  /** Generated text. */
  readonly text: string;
  /** Ended on `</score>` (false: hit the token cap). */
  readonly stopped: boolean;
  /** Parsed judgment (never a silent 0). */
  readonly judgment: Judgment;
}

/** Options of {@link judgeItems}. */
export interface JudgeOptions {
  /** Judgments per item (G in training, k in voting@k). Default 1. */
  readonly rollouts?: number;
  /** Greedy decoding (evaluation, voting@1). Default false. */
  readonly greedy?: boolean;
  readonly temperature?: number;
  readonly topP?: number;
  /** Generation cap; also reserves room in the context window. Default: the trainer's (36). */
  readonly maxNewTokens?: number;
  /** Required unless greedy. */
  readonly rng?: Prng;
  /** Prompts per generation call (bounds memory). Default 64. */
  readonly batchPrompts?: number;
}

/**
 * Tokens of the judge prompt: `[BOS, ...encode(judgePrompt(context, response))]`, keeping the last
 * `maxLength - 1` prompt tokens when it is too long.
 *
 * @example
 * ```ts
 * import { judgePromptTokens } from "./judge.ts";
 * import { BOS_ID, decode } from "../model/tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * const { tokens, truncated } = judgePromptTokens({ context: [{ role: "user", content: "12+3=" }], response: "15" }, 64);
 * assertEquals([tokens[0], decode(tokens.slice(1)), truncated], [BOS_ID, "Q:12+3=\nA:15\n", false]);
 * assertEquals(judgePromptTokens({ context: [{ role: "user", content: "12+3=" }], response: "15" }, 5).tokens.length, 5);
 * ```
 */
export function judgePromptTokens(
  item: ResponseItem,
  maxLength: number,
): { tokens: number[]; truncated: boolean } {
  const body = encode(judgePrompt(item.context, item.response));
  const room = maxLength - 1;
  if (room < 1) throw new RangeError(`prompt room must be >= 2 tokens, got ${maxLength}`);
  const truncated = body.length > room;
  return { tokens: [BOS_ID, ...(truncated ? body.slice(body.length - room) : body)], truncated };
}

/** How many judge prompts of a set fit the room left by the generation budget. */
export interface PromptFit {
  /** Judge prompts counted (two per pair: chosen and rejected). */
  readonly prompts: number;
  /** Prompts longer than the room, whose start is cut off. */
  readonly truncated: number;
  /** Tokens of the longest prompt (before cutting). */
  readonly longest: number;
  /** Tokens of room: contextLength - maxNewTokens. */
  readonly room: number;
}

/**
 * Counts the judge prompts of `pairs` that {@link judgePromptTokens} would left-truncate with a
 * generation budget of `maxNewTokens` in a context of `contextLength` tokens.
 *
 * @example
 * ```ts
 * import { promptFit } from "./judge.ts";
 * import { assertEquals } from "@std/assert";
 * const pair = { context: [{ role: "user" as const, content: "12+3=" }], chosen: "15", rejected: "16" };
 * assertEquals(promptFit([pair], { contextLength: 64, maxNewTokens: 36 }), { prompts: 2, truncated: 0, longest: 14, room: 28 });
 * assertEquals(promptFit([pair], { contextLength: 64, maxNewTokens: 54 }).truncated, 2);
 * ```
 */
export function promptFit(
  pairs: readonly { context: readonly Turn[]; chosen: string; rejected: string }[],
  budget: { contextLength: number; maxNewTokens: number },
): PromptFit {
  const { contextLength, maxNewTokens } = budget;
  const room = contextLength - maxNewTokens;
  let truncated = 0, longest = 0;
  for (const pair of pairs) {
    for (const response of [pair.chosen, pair.rejected]) {
      const length = 1 + encode(judgePrompt(pair.context, response)).length;
      longest = Math.max(longest, length);
      if (length > room) truncated++;
    }
  }
  return { prompts: 2 * pairs.length, truncated, longest, room };
}

/**
 * Judges every item `rollouts` times. Output rows are item-major: item i's rollouts are rows
 * `i * rollouts .. i * rollouts + rollouts - 1`.
 */
export async function judgeItems(
  model: { params: Params; config: ModelConfig },
  items: readonly ResponseItem[],
  options: JudgeOptions = {},
): Promise<JudgedRollout[]> {
  const rollouts = options.rollouts ?? 1;
  const batchPrompts = options.batchPrompts ?? 64;
  const maxNewTokens = Math.min(
    options.maxNewTokens ?? DEFAULT_TRAIN_CONFIG.maxNewTokens,
    model.config.contextLength - 2,
  );
  const prompts = items.map((item) =>
    judgePromptTokens(item, model.config.contextLength - maxNewTokens).tokens
  );
  const out: JudgedRollout[] = [];
  for (let start = 0; start < items.length; start += batchPrompts) {
    const chunk = prompts.slice(start, start + batchPrompts);
    const generated = await generate(model, {
      prompts: chunk,
      maxNewTokens,
      rollouts,
      greedy: options.greedy ?? false,
      temperature: options.temperature ?? 1,
      topP: options.topP ?? 1,
      rng: options.rng,
    });
    for (const rollout of generated) {
      const item = start + rollout.prompt;
      out.push({
        item,
        promptTokens: prompts[item],
        tokens: rollout.tokens,
        logProbs: rollout.logProbs,
        text: rollout.text,
        stopped: rollout.stopped,
        judgment: parseJudgment(rollout.text),
      });
    }
  }
  return out;
}
