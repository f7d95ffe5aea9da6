/**
 * The distinct (context, response) items behind a set of pairs, so a pointwise judge scores each
 * response once: an RM-Bench item has 9 pairs but only 6 responses, and a response that appears in
 * several pairs keeps one score (its pairs then stay consistent with each other).
 *
 * @module
 */
import type { ResponseItem, Turn } from "../data/types.ts";

export type { ResponseItem } from "../data/types.ts";

/** Result of {@link uniqueResponses}. */
export interface ResponseTable {
  /** Distinct items in first-seen order. */
  readonly items: ResponseItem[];
  /** Per pair: index of its chosen response in `items`. */
  readonly chosen: number[];
  /** Per pair: index of its rejected response in `items`. */
  readonly rejected: number[];
}

/**
 * Deduplicates the pairs' responses by (context, response), in first-seen order.
 *
 * @example
 * ```ts
 * import { uniqueResponses } from "./responses.ts";
 * import { assertEquals } from "@std/assert";
 * const context = [{ role: "user" as const, content: "q" }];
 * const t = uniqueResponses([
 *   { context, chosen: "a", rejected: "x" },
 *   { context, chosen: "a", rejected: "y" }, // "a" is scored once
 * ]);
 * assertEquals([t.items.length, t.chosen, t.rejected], [3, [0, 0], [1, 2]]);
 * ```
 */
export function uniqueResponses(
  pairs: readonly { context: readonly Turn[]; chosen: string; rejected: string }[],
): ResponseTable {
  const index = new Map<string, number>();
  const items: ResponseItem[] = [];
  const lookup = (context: readonly Turn[], response: string) => {
    const key = JSON.stringify([context, response]);
    let i = index.get(key);
    if (i === undefined) {
      i = items.length;
      index.set(key, i);
      items.push({ context, response });
    }
    return i;
  };
  const chosen: number[] = [], rejected: number[] = [];
  for (const pair of pairs) {
    chosen.push(lookup(pair.context, pair.chosen));
    rejected.push(lookup(pair.context, pair.rejected));
  }
  return { items, chosen, rejected };
}
