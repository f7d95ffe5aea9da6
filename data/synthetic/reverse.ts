/**
 * `reverse`: reverse a word of 3..6 lowercase letters, e.g. "rev kqmt" -> "tmqk".
 * Prompts are at most 10 characters, answers 3..6.
 *
 * @module
 */
import type { Prng } from "../../rng/prng.ts";
import type { SyntheticDomain, SyntheticTask } from "./task.ts";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const PATTERN = /^rev ([a-z]{1,8})$/;

/**
 * Solves a reverse prompt; `undefined` if the prompt is not `rev <letters>`.
 *
 * @example
 * ```ts
 * import { solveReverse } from "./reverse.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([solveReverse("rev kqmt"), solveReverse("sort 12")], ["tmqk", undefined]);
 * ```
 */
export function solveReverse(prompt: string): string | undefined {
  const match = PATTERN.exec(prompt);
  return match ? [...match[1]].reverse().join("") : undefined;
}

/**
 * The reverse domain.
 *
 * @example
 * ```ts
 * import { reverseDomain } from "./reverse.ts";
 * import { createPrng } from "../../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * const task = reverseDomain.sampleTask(createPrng(1));
 * assertEquals([...task.answer].reverse().join(""), task.prompt.slice(4));
 * ```
 */
export const reverseDomain: SyntheticDomain = Object.freeze({
  name: "reverse",
  alphabet: LETTERS,
  sampleTask(rng: Prng): SyntheticTask {
    const length = 3 + rng.int(4);
    const word = Array.from({ length }, () => LETTERS[rng.int(LETTERS.length)]).join("");
    const prompt = `rev ${word}`;
    return { domain: "reverse", prompt, answer: solveReverse(prompt)! };
  },
  solve: solveReverse,
});
