/**
 * Seeded corruption of a correct answer into a candidate response.
 *
 * @module
 */
import type { Prng } from "../../rng/prng.ts";
import { syntheticDomains } from "./domains.ts";
import { MAX_EXTRA_CHARS, type SyntheticTask } from "./task.ts";

/** The alphabet and length bound of {@link corruptAnswer}. */
export interface CorruptOptions {
  /** Characters to substitute or insert (the answer's alphabet). */
  alphabet: string;
  /** Longest allowed result; an insertion that would exceed it becomes a substitution. */
  maxLength: number;
}

/**
 * Applies `edits` seeded edits to `answer` (drawn from `rng`), each one of (chosen uniformly): substitute a character by
 * a different one, swap two adjacent different characters, drop a character, insert one. An edit
 * that is impossible (drop from a 1-character string, swap with no unequal neighbours, insert at
 * `maxLength`) becomes a substitution, so every edit changes the string it acts on; later edits
 * may still undo earlier ones. The result is never empty.
 *
 * @example
 * ```ts
 * import { corruptAnswer } from "./corrupt.ts";
 * import { createPrng } from "../../rng/prng.ts";
 * import { assert, assertEquals } from "@std/assert";
 * const rng = createPrng(3);
 * assertEquals(corruptAnswer("85", { edits: 0, rng, alphabet: "0123456789", maxLength: 4 }), "85");
 * const once = corruptAnswer("85", { edits: 1, rng, alphabet: "0123456789", maxLength: 4 });
 * assert(once !== "85" && once.length >= 1 && once.length <= 4);
 * ```
 */
export function corruptAnswer(
  answer: string,
  options: CorruptOptions & { edits: number; rng: Prng },
): string {
  const { edits: k, rng, alphabet, maxLength } = options;
  if (alphabet.length < 2) throw new RangeError(`alphabet needs 2+ characters, got "${alphabet}"`);
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`edits must be an integer >= 0, got ${k}`);
  }
  if (answer === "") throw new RangeError("answer must not be empty");
  let text = answer;
  for (let edit = 0; edit < k; edit++) {
    const op = rng.int(4);
    const swappable = [...text.slice(1)].flatMap((c, i) => (c !== text[i] ? [i] : []));
    if (op === 1 && swappable.length > 0) {
      const i = swappable[rng.int(swappable.length)];
      text = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
    } else if (op === 2 && text.length > 1) {
      const i = rng.int(text.length);
      text = text.slice(0, i) + text.slice(i + 1);
    } else if (op === 3 && text.length < maxLength) {
      const i = rng.int(text.length + 1);
      text = text.slice(0, i) + alphabet[rng.int(alphabet.length)] + text.slice(i);
    } else {
      const i = rng.int(text.length);
      const others = alphabet.replace(text[i], "");
      text = text.slice(0, i) + others[rng.int(others.length)] + text.slice(i + 1);
    }
  }
  return text;
}

/**
 * {@link corruptAnswer} for a task: the domain's alphabet, at most `MAX_EXTRA_CHARS` (2)
 * characters longer than the answer.
 *
 * @example
 * ```ts
 * import { corruptTask } from "./corrupt.ts";
 * import { createPrng } from "../../rng/prng.ts";
 * import { assertMatch } from "@std/assert";
 * const task = { domain: "sort", prompt: "sort 5213", answer: "1235" };
 * assertMatch(corruptTask(task, { edits: 2, rng: createPrng(5) }), /^\d{2,6}$/);
 * ```
 */
export function corruptTask(task: SyntheticTask, draw: { edits: number; rng: Prng }): string {
  const [domain] = syntheticDomains([task.domain]);
  return corruptAnswer(task.answer, {
    ...draw,
    alphabet: domain.alphabet,
    maxLength: task.answer.length + MAX_EXTRA_CHARS,
  });
}
