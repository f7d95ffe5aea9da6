/**
 * RM-Bench-style JSONL: rows `{id, prompt, chosen: [3 strings], rejected: [3 strings], domain}`.
 * Index k of `chosen`/`rejected` is a style variant (RM-Bench: 0 concise, 1 detailed plain,
 * 2 detailed markdown). Items keep the 3 x 3 structure; {@link rmBenchPairs} expands one item
 * into its 9 (chosen i, rejected j) pairs with RM-Bench's difficulty level:
 * i < j hard (the chosen answer is plainer than the rejected one), i = j normal, i > j easy.
 *
 * @module
 */
import { parseJsonl, readTextFileStrict, sourceName } from "./jsonl.ts";
import { atField, requireArray, requireId, requireRecord, requireString } from "./fields.ts";
import type { PreferencePair } from "./types.ts";

/** Three style variants of one answer. */
export type StyleTriple = [string, string, string];

/** One RM-Bench item. */
export interface RmBenchItem {
  /** Row id (string or integer in the file, string here). */
  id: string;
  /** The user prompt. */
  prompt: string;
  /** Three style variants of the correct answer. */
  chosen: StyleTriple;
  /** Three style variants of the flawed answer. */
  rejected: StyleTriple;
  /** RM-Bench domain, e.g. "chat", "code", "math", "safety-refuse". */
  domain: string;
}

/** RM-Bench difficulty of a (chosen i, rejected j) comparison. */
export type RmBenchLevel = "easy" | "normal" | "hard";

/** One of the 9 pairs of an item. */
export interface RmBenchPair {
  /** Style index of the chosen response. */
  i: number;
  /** Style index of the rejected response. */
  j: number;
  /** hard if i < j, normal if i = j, easy if i > j. */
  level: RmBenchLevel;
  /** The pair (id `item.id:i-j`). */
  pair: PreferencePair;
}

function triple(value: unknown, at: { source: string; line: number; field: string }): StyleTriple {
  const items = requireArray(value, at, { length: 3 });
  return items.map((item, k) => requireString(item, atField(at, `[${k}]`))) as StyleTriple;
}

/**
 * Parses RM-Bench JSONL text; `chosen` and `rejected` must hold exactly 3 strings each.
 * Throws a `DataError` naming `source:line` and the field at the first bad row.
 *
 * @example
 * ```ts
 * import { parseRmBench } from "./rm_bench.ts";
 * import { assertEquals } from "@std/assert";
 * const text = '{"id":1,"prompt":"p","chosen":["a","b","c"],"rejected":["x","y","z"],"domain":"chat"}';
 * assertEquals(parseRmBench(text, "rm.jsonl")[0].chosen, ["a", "b", "c"]);
 * ```
 */
export function parseRmBench(text: string, source: string): RmBenchItem[] {
  return parseJsonl(text, source).map(({ line, value }) => {
    const where = { source, line };
    const object = requireRecord(value, where);
    const field = (name: string) => ({ source, line, field: name });
    return {
      id: requireId(object.id, field("id")),
      prompt: requireString(object.prompt, field("prompt")),
      chosen: triple(object.chosen, field("chosen")),
      rejected: triple(object.rejected, field("rejected")),
      domain: requireString(object.domain, field("domain"), { nonEmpty: true }),
    };
  });
}

/**
 * The 9 pairs (chosen[i], rejected[j]) of an item, i-major, each with its level.
 *
 * @example
 * ```ts
 * import { rmBenchPairs } from "./rm_bench.ts";
 * import { assertEquals } from "@std/assert";
 * const item = { id: "q", prompt: "p", chosen: ["a", "b", "c"] as [string, string, string],
 *   rejected: ["x", "y", "z"] as [string, string, string], domain: "math" };
 * const pairs = rmBenchPairs(item);
 * assertEquals(pairs.map((p) => p.level).join(" "),
 *   "normal hard hard easy normal hard easy easy normal");
 * assertEquals([pairs[1].pair.chosen, pairs[1].pair.rejected, pairs[1].pair.id], ["a", "y", "q:0-1"]);
 * ```
 */
export function rmBenchPairs(
  item: RmBenchItem,
  options: { strength?: number } = {},
): RmBenchPair[] {
  const { strength = 2 } = options;
  if (!Number.isInteger(strength) || strength < 0 || strength > 3) {
    throw new RangeError(`strength must be an integer in 0..3, got ${strength}`);
  }
  const out: RmBenchPair[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out.push({
        i,
        j,
        level: i < j ? "hard" : i === j ? "normal" : "easy",
        pair: {
          id: `${item.id}:${i}-${j}`,
          context: [{ role: "user", content: item.prompt }],
          chosen: item.chosen[i],
          rejected: item.rejected[j],
          strength,
          domain: item.domain,
          meta: { i, j },
        },
      });
    }
  }
  return out;
}

/**
 * Reads an RM-Bench JSONL file with {@link parseRmBench}.
 *
 * @example
 * ```ts
 * import { readRmBench } from "./rm_bench.ts";
 * import { assertEquals } from "@std/assert";
 * const items = await readRmBench(new URL("./samples/rm_bench_sample.jsonl", import.meta.url));
 * assertEquals(items.every((item) => item.chosen.length === 3), true);
 * ```
 */
export async function readRmBench(path: string | URL): Promise<RmBenchItem[]> {
  return parseRmBench(await readTextFileStrict(path), sourceName(path));
}
