/**
 * From OpenRLHF's `(query, prompt)` strings to what the pointwise GRM reads: a context of turns
 * and the response.
 *
 * OpenRLHF sends `query` = the prompt as the policy saw it (chat template applied) followed by
 * the response, and, in recent versions, `prompts` = that prompt. The response is then
 * `query[len(prompt):]`, as OpenRLHF's own reward functions take it. Without `prompts`, the
 * response is what follows the LAST assistant header of a known chat template (ChatML as in Qwen,
 * Llama 3's header tokens). End-of-turn and padding tokens are stripped from the response, as
 * OpenRLHF strips pad and EOS tokens before scoring.
 *
 * A prompt in a chat template becomes its turns (system / user / assistant); any other prompt is
 * one user turn, which the judge prompt renders as `Q:<prompt>`.
 *
 * @module
 */
import type { Role, Turn } from "../data/types.ts";

/** How each known template opens a turn: the regex captures the role. */
const TURN_HEADERS: readonly RegExp[] = [
  /<\|im_start\|>(system|user|assistant)\n/g, // ChatML (Qwen, many others)
  /<\|start_header_id\|>(system|user|assistant)<\|end_header_id\|>\n\n/g, // Llama 3
];

/** Tokens that end a turn or pad a sequence; never part of what was said. */
const END_TOKENS =
  /(?:(?:<\|im_end\|>|<\|eot_id\|>|<\|endoftext\|>|<\|end_of_text\|>|<\/s>|<pad>)\s*)*$/;

/**
 * Drops trailing end-of-turn / padding tokens (with the whitespace after each) and a leading
 * `<|begin_of_text|>`; other whitespace is part of the text and stays.
 *
 * @example
 * ```ts
 * import { stripSpecial } from "./query_split.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(stripSpecial("42<|im_end|>\n<|endoftext|>"), "42");
 * assertEquals(stripSpecial("42\n"), "42\n");
 * ```
 */
export function stripSpecial(text: string): string {
  return text.replace(/^<\|begin_of_text\|>/, "").replace(END_TOKENS, "");
}

/**
 * The turns of a prompt: parsed from ChatML or Llama 3 headers when it has them (the empty
 * assistant header that invites the reply is dropped), else one user turn with the whole text.
 *
 * @example
 * ```ts
 * import { promptTurns } from "./query_split.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(promptTurns("sort 0605"), [{ role: "user", content: "sort 0605" }]);
 * const chatml = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n";
 * assertEquals(promptTurns(chatml), [{ role: "system", content: "Be brief." }, { role: "user", content: "2+2?" }]);
 * ```
 */
export function promptTurns(prompt: string): Turn[] {
  for (const header of TURN_HEADERS) {
    const matches = [...prompt.matchAll(header)];
    if (matches.length === 0) continue;
    const turns = matches.map((match, i) => {
      const start = match.index! + match[0].length;
      const end = i + 1 < matches.length ? matches[i + 1].index! : prompt.length;
      return { role: match[1] as Role, content: stripSpecial(prompt.slice(start, end)) };
    });
    const last = turns[turns.length - 1];
    if (last.role === "assistant" && last.content === "") turns.pop();
    if (turns.length > 0) return turns;
  }
  return [{ role: "user", content: stripSpecial(prompt) }];
}

/**
 * Splits a query without a prompt at its last assistant header; null when it has none.
 *
 * @example
 * ```ts
 * import { splitQuery } from "./query_split.ts";
 * import { assertEquals } from "@std/assert";
 * const q = "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>";
 * assertEquals(splitQuery(q), { prompt: "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", response: "4" });
 * assertEquals(splitQuery("2+2? 4"), null);
 * ```
 */
export function splitQuery(query: string): { prompt: string; response: string } | null {
  for (const header of TURN_HEADERS) {
    const assistant = [...query.matchAll(header)].filter((m) => m[1] === "assistant").pop();
    if (assistant === undefined) continue;
    const cut = assistant.index! + assistant[0].length;
    return { prompt: query.slice(0, cut), response: stripSpecial(query.slice(cut)) };
  }
  return null;
}
