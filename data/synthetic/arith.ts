/**
 * `arith`: two-operand addition or subtraction of numbers 0..99, e.g. "37+48=" -> "85",
 * "52-19=" -> "33" (subtraction is ordered so the answer is never negative).
 * Prompts are at most 6 characters, answers 1..3 digits.
 *
 * @module
 */
import type { Prng } from "../../rng/prng.ts";
import type { SyntheticDomain, SyntheticTask } from "./task.ts";

const PATTERN = /^(\d{1,2})([+-])(\d{1,2})=$/;

/**
 * Solves an arith prompt; `undefined` if the prompt is not `a+b=` or `a-b=` with a >= b.
 *
 * @example
 * ```ts
 * import { solveArith } from "./arith.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([solveArith("37+48="), solveArith("52-19="), solveArith("rev ab")], ["85", "33", undefined]);
 * ```
 */
export function solveArith(prompt: string): string | undefined {
  const match = PATTERN.exec(prompt);
  if (!match) return undefined;
  const a = Number(match[1]), b = Number(match[3]);
  if (match[2] === "-" && a < b) return undefined;
  return String(match[2] === "+" ? a + b : a - b);
}

/**
 * The arith domain.
 *
 * @example
 * ```ts
 * import { arithDomain } from "./arith.ts";
 * import { createPrng } from "../../rng/prng.ts";
 * import { assertEquals } from "@std/assert";
 * const task = arithDomain.sampleTask(createPrng(1));
 * assertEquals(arithDomain.solve(task.prompt), task.answer);
 * ```
 */
export const arithDomain: SyntheticDomain = Object.freeze({
  name: "arith",
  alphabet: "0123456789",
  sampleTask(rng: Prng): SyntheticTask {
    let a = rng.int(100), b = rng.int(100);
    const plus = rng.int(2) === 0;
    if (!plus && a < b) [a, b] = [b, a];
    const prompt = `${a}${plus ? "+" : "-"}${b}=`;
    return { domain: "arith", prompt, answer: solveArith(prompt)! };
  },
  solve: solveArith,
});
