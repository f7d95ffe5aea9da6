/**
 * `sort`: sort 3..6 digits ascending, e.g. "sort 5213" -> "1235".
 * Prompts are at most 11 characters, answers 3..6.
 *
 * @module
 */
import type { Prng } from "../../rng/prng.ts";
import type { SyntheticDomain, SyntheticTask } from "./task.ts";

const PATTERN = /^sort (\d{1,7})$/;

/**
 * Solves a sort prompt; `undefined` if the prompt is not `sort <digits>`.
 *
 * @example
 * ```ts
 * import { solveSort } from "./sort.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([solveSort("sort 5213"), solveSort("sort 9090"), solveSort("5213")], ["1235", "0099", undefined]);
 * ```
 */
export function solveSort(prompt: string): string | undefined {
  const match = PATTERN.exec(prompt);
  return match ? [...match[1]].sort().join("") : undefined;
}

/**
 * The sort domain.
 *
 * @example
 * ```ts
 * import { sortDomain } from "./sort.ts";
 * import { createPrng } from "../../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * const task = sortDomain.sampleTask(createPrng(2));
 * assertEquals(task.answer, [...task.prompt.slice(5)].sort().join(""));
 * ```
 */
export const sortDomain: SyntheticDomain = Object.freeze({
  name: "sort",
  alphabet: "0123456789",
  sampleTask(rng: Prng): SyntheticTask {
    const length = 3 + rng.int(4);
    const digits = Array.from({ length }, () => String(rng.int(10))).join("");
    const prompt = `sort ${digits}`;
    return { domain: "sort", prompt, answer: solveSort(prompt)! };
  },
  solve: solveSort,
});
