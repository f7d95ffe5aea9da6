/**
 * RewardBench-style pairwise JSONL: rows `{prompt, chosen, rejected, subset?, id?}` (extra fields
 * such as `chosen_model` are ignored) -> {@link PreferencePair}s with a one-user-turn context.
 *
 * @module
 */
import { parseJsonl, readTextFileStrict, sourceName } from "./jsonl.ts";
import { atField, requireId, requireRecord, requireString } from "./fields.ts";
import type { PreferencePair } from "./types.ts";

/** Options of {@link parsePairwise}. */
export interface PairwiseOptions {
  /** Strength given to every pair (these benchmarks carry no grade). Integer 0..3, default 2. */
  strength?: number;
}

/**
 * Parses pairwise JSONL text. `domain` = `subset` or "default"; `id` = the row's id (string or
 * integer) or `source:line`. Throws a `DataError` naming `source:line` and the field at the first
 * bad row.
 *
 * @example
 * ```ts
 * import { parsePairwise } from "./pairwise_jsonl.ts";
 * import { assertEquals } from "@std/assert";
 * const [pair] = parsePairwise('{"prompt":"2+2?","chosen":"4","rejected":"5","id":7}', "rb.jsonl");
 * assertEquals(pair, {
 *   id: "7", context: [{ role: "user", content: "2+2?" }], chosen: "4", rejected: "5",
 *   strength: 2, domain: "default",
 * });
 * ```
 */
export function parsePairwise(
  text: string,
  source: string,
  options: PairwiseOptions = {},
): PreferencePair[] {
  const { strength = 2 } = options;
  if (!Number.isInteger(strength) || strength < 0 || strength > 3) {
    throw new RangeError(`strength must be an integer in 0..3, got ${strength}`);
  }
  return parseJsonl(text, source).map(({ line, value }) => {
    const where = { source, line };
    const object = requireRecord(value, where);
    const field = (name: string) => atField(where, name);
    const prompt = requireString(object.prompt, field("prompt"));
    const chosen = requireString(object.chosen, field("chosen"));
    const rejected = requireString(object.rejected, field("rejected"));
    const domain = object.subset === undefined
      ? "default"
      : requireString(object.subset, field("subset"), { nonEmpty: true });
    const id = object.id === undefined ? `${source}:${line}` : requireId(object.id, field("id"));
    return { id, context: [{ role: "user", content: prompt }], chosen, rejected, strength, domain };
  });
}

/**
 * Reads a pairwise JSONL file with {@link parsePairwise}.
 *
 * @example
 * ```ts
 * import { readPairwise } from "./pairwise_jsonl.ts";
 * import { assert } from "@std/assert";
 * const pairs = await readPairwise(new URL("./samples/pairwise_sample.jsonl", import.meta.url));
 * assert(pairs.every((p) => p.context.length === 1 && p.context[0].role === "user"));
 * ```
 */
export async function readPairwise(
  path: string | URL,
  options: PairwiseOptions = {},
): Promise<PreferencePair[]> {
  return parsePairwise(await readTextFileStrict(path), sourceName(path), options);
}
