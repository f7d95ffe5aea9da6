/**
 * JudgeBench-style JSONL: one pair per line, shown to a judge in a fixed order (A, B), with the
 * correct verdict for that order:
 *
 *     {"question": "...", "response_A": "...", "response_B": "...", "label": "A>B" | "B>A",
 *      "pair_id" | "id": "..." (optional), "source": "..." (optional)}
 *
 * The field names are JudgeBench's own (ScalerLab/JudgeBench `data/*.jsonl`), so its files load
 * as they are; `source` becomes the subset/domain. Other fields are ignored.
 *
 * @module
 */
import { parseJsonl, readTextFileStrict, sourceName } from "../data/jsonl.ts";
import {
  atField,
  optionalString,
  requireId,
  requireOneOf,
  requireRecord,
  requireString,
} from "../data/fields.ts";

/** The two verdict labels a JudgeBench row may carry. */
export const JUDGEBENCH_LABELS: readonly ("A>B" | "B>A")[] = Object.freeze(["A>B", "B>A"]);

/** One validated JudgeBench row. */
export interface JudgeBenchRow {
  /** `pair_id`, else `id`, else `source:line`. */
  id: string;
  /** The user question. */
  question: string;
  /** Response shown first. */
  responseA: string;
  /** Response shown second. */
  responseB: string;
  /** Correct verdict for the (A, B) order. */
  label: "A>B" | "B>A";
  /** `source` field ("default" when absent). */
  source: string;
}

/**
 * Parses JudgeBench JSONL text. Throws a `DataError` naming `source:line` and the field at the
 * first bad row (missing question, non-string response, a label other than "A>B"/"B>A").
 *
 * @example
 * ```ts
 * import { parseJudgeBench } from "./judgebench_jsonl.ts";
 * import { DataError } from "../data/jsonl.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const line = '{"question":"2+2?","response_A":"5","response_B":"4","label":"B>A","pair_id":"p1"}';
 * const [row] = parseJudgeBench(line, "jb.jsonl");
 * assertEquals([row.id, row.label, row.source], ["p1", "B>A", "default"]);
 * assertThrows(() => parseJudgeBench(line.replace('"B>A"', '"A=B"'), "jb.jsonl"), DataError,
 *   'jb.jsonl:1: field "label": expected one of "A>B", "B>A", got "A=B"');
 * ```
 */
export function parseJudgeBench(text: string, source: string): JudgeBenchRow[] {
  return parseJsonl(text, source).map(({ line, value }) => {
    const where = { source, line };
    const object = requireRecord(value, where);
    const field = (name: string) => atField(where, name);
    const rawId = object.pair_id !== undefined ? "pair_id" : "id";
    return {
      id: object[rawId] === undefined
        ? `${source}:${line}`
        : requireId(object[rawId], field(rawId)),
      question: requireString(object.question, field("question"), { nonEmpty: true }),
      responseA: requireString(object.response_A, field("response_A")),
      responseB: requireString(object.response_B, field("response_B")),
      label: requireOneOf(object.label, { at: field("label"), choices: JUDGEBENCH_LABELS }),
      source: optionalString(object.source, field("source"), { nonEmpty: true }) ?? "default",
    };
  });
}

/**
 * Reads a JudgeBench JSONL file with {@link parseJudgeBench}; errors name the path as given.
 *
 * @example
 * ```ts
 * import { readJudgeBench } from "./judgebench_jsonl.ts";
 * import { assertEquals } from "@std/assert";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"question":"q","response_A":"a","response_B":"b","label":"A>B"}\n');
 * assertEquals((await readJudgeBench(path))[0].id, `${path}:1`);
 * await Deno.remove(path);
 * ```
 */
export async function readJudgeBench(path: string | URL): Promise<JudgeBenchRow[]> {
  return parseJudgeBench(await readTextFileStrict(path), sourceName(path));
}
