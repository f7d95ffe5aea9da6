/**
 * JSONL reading with errors that point at the file, line and field.
 *
 * {@link parseJsonl} is the pure core (text in, parsed lines out); {@link readJsonlFile} is the
 * thin async wrapper for a path. Blank lines are skipped but still counted, so line numbers in
 * errors match what an editor shows. A loader either returns every row or throws the first error:
 * nothing is half-loaded.
 *
 * @module
 */

/** Where a value came from: a file (or other source name), a 1-based line, maybe a field. */
export interface DataLocation {
  /** File name or other source label, as given to the parser. */
  source: string;
  /** 1-based line number. */
  line: number;
  /** Field path inside the row, e.g. `context[2].role`; absent for whole-line problems. */
  field?: string;
}

/**
 * A bad input row. The message reads `source:line: field "name": problem`, e.g.
 * `data/x.jsonl:12: field "overall_preference": expected an integer in -3..3, got 7`.
 *
 * @example
 * ```ts
 * import { DataError } from "./jsonl.ts";
 * import { assertEquals } from "@std/assert";
 * const error = new DataError("expected a string, got 3", { source: "a.jsonl", line: 2, field: "id" });
 * assertEquals(error.message, 'a.jsonl:2: field "id": expected a string, got 3');
 * assertEquals([error.source, error.line, error.field], ["a.jsonl", 2, "id"]);
 * ```
 */
export class DataError extends Error {
  /** File name or source label. */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;
  /** Field path, when the problem is one field. */
  readonly field?: string;

  /** Builds the message `source:line: [field "f": ]problem`. */
  constructor(problem: string, at: DataLocation) {
    const where = `${at.source}:${at.line}:`;
    super(
      at.field === undefined ? `${where} ${problem}` : `${where} field "${at.field}": ${problem}`,
    );
    this.name = "DataError";
    this.source = at.source;
    this.line = at.line;
    this.field = at.field;
  }
}

/** One parsed non-blank line of a JSONL text. */
export interface JsonlLine {
  /** Source label given to the parser. */
  source: string;
  /** 1-based line number in the text. */
  line: number;
  /** The parsed JSON value (not yet validated). */
  value: unknown;
}

/**
 * Parses JSONL text: one JSON value per line; blank (whitespace-only) lines are skipped but keep
 * their line numbers; `\r\n` line ends and a leading byte-order mark are accepted.
 * Throws a {@link DataError} naming `source:line` at the first line that is not valid JSON.
 *
 * @example
 * ```ts
 * import { parseJsonl } from "./jsonl.ts";
 * import { assertEquals } from "@std/assert";
 * const lines = parseJsonl('{"a":1}\n\n{"a":2}\n', "x.jsonl");
 * assertEquals(lines.map((l) => [l.line, l.value]), [[1, { a: 1 }], [3, { a: 2 }]]);
 * ```
 */
export function parseJsonl(text: string, source: string): JsonlLine[] {
  const rows: JsonlLine[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index].endsWith("\r") ? lines[index].slice(0, -1) : lines[index];
    if (raw.trim() === "") continue;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new DataError(`invalid JSON (${(error as Error).message})`, { source, line });
    }
    rows.push({ source, line, value });
  }
  return rows;
}

/**
 * Reads a JSONL file and parses it with {@link parseJsonl}; errors name the path as given.
 *
 * @example
 * ```ts
 * import { readJsonlFile } from "./jsonl.ts";
 * import { assertEquals } from "@std/assert";
 * const path = new URL("./samples/pairwise_sample.jsonl", import.meta.url);
 * const lines = await readJsonlFile(path);
 * assertEquals(lines[0].line, 1);
 * ```
 */
export async function readJsonlFile(path: string | URL): Promise<JsonlLine[]> {
  const text = await Deno.readTextFile(path);
  return parseJsonl(text, sourceName(path));
}

/** The label errors use for a path: the path string, or a file URL's pathname. */
export function sourceName(path: string | URL): string {
  return typeof path === "string" ? path : path.protocol === "file:" ? path.pathname : path.href;
}
