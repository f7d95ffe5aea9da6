/**
 * Reading user data (JSONL files, stdin) with errors that point at the file, line and field.
 *
 * {@link decodeUtf8} turns bytes into text or names the first byte that is not UTF-8 (never a
 * silent U+FFFD); {@link readTextFileStrict} reads a file through it and turns a missing file or a
 * directory into a {@link DataError}. {@link parseJsonl} is the pure core (text in, parsed lines
 * out); {@link readJsonlFile} is the thin async wrapper for a path. Blank lines are skipped but
 * still counted, so line numbers in errors match what an editor shows. A loader either returns
 * every row or throws the first error: nothing is half-loaded.
 *
 * @module
 */

/** Where a value came from: a file (or other source name), a 1-based line, maybe a field. */
export interface DataLocation {
  /** File name or other source label, as given to the parser. */
  source: string;
  /** 1-based line number; absent for whole-file problems (`x.jsonl: file not found`). */
  line?: number;
  /** Field path inside the row, e.g. `context[2].role`; absent for whole-line problems. */
  field?: string;
}

/**
 * A bad input row or file. The message reads `source:line: field "name": problem`, e.g.
 * `data/x.jsonl:12: field "overall_preference": expected an integer in -3..3, got 7`, or
 * `source: problem` for a whole file (`x.jsonl: file not found`).
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
  /** 1-based line number; undefined for a whole-file problem. */
  readonly line: number | undefined;
  /** Field path, when the problem is one field. */
  readonly field?: string;

  /** Builds the message `source[:line]: [field "f": ]problem`. */
  constructor(problem: string, at: DataLocation) {
    const where = at.line === undefined ? `${at.source}:` : `${at.source}:${at.line}:`;
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
 * Decodes UTF-8 bytes strictly. Throws a {@link DataError} `source:line: not valid UTF-8 (byte 0xff
 * at column 7)` at the first byte that does not start a well-formed UTF-8 sequence (line 1-based,
 * column the 1-based byte offset within the line): a lenient decoder would turn such bytes into
 * U+FFFD, so distinct ids like `a\xff` and `a\xfe` would silently become one. A leading
 * byte-order mark is dropped.
 *
 * @example
 * ```ts
 * import { DataError, decodeUtf8 } from "./jsonl.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(decodeUtf8(new Uint8Array([0x68, 0xc3, 0xa9]), "x.jsonl"), "hé");
 * const bytes = new Uint8Array([0x7b, 0x7d, 0x0a, 0x22, 0x61, 0xff, 0x22]); // {}\n"a\xff"
 * assertThrows(() => decodeUtf8(bytes, "x.jsonl"), DataError,
 *   "x.jsonl:2: not valid UTF-8 (byte 0xff at column 3)");
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const offset = firstInvalidUtf8Byte(bytes);
    if (offset >= bytes.length) throw error;
    // (A negative fromIndex would count from the end, hence the guard for offset 0.)
    const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const hex = bytes[offset].toString(16).padStart(2, "0");
    throw new DataError(`not valid UTF-8 (byte 0x${hex} at column ${offset - lineStart + 1})`, {
      source,
      line,
    });
  }
}

/**
 * Offset of the first byte that does not start a well-formed sequence (Unicode Table 3-7), or
 * `bytes.length` when all are well formed.
 */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // [continuation bytes, allowed range of the first continuation byte]
    const [need, low, high] = lead >= 0xc2 && lead <= 0xdf
      ? [1, 0x80, 0xbf]
      : lead === 0xe0
      ? [2, 0xa0, 0xbf]
      : lead === 0xed
      ? [2, 0x80, 0x9f] // no UTF-16 surrogates
      : lead >= 0xe1 && lead <= 0xef
      ? [2, 0x80, 0xbf]
      : lead === 0xf0
      ? [3, 0x90, 0xbf]
      : lead === 0xf4
      ? [3, 0x80, 0x8f] // nothing above U+10FFFF
      : lead >= 0xf1 && lead <= 0xf3
      ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (need === 0) return i;
    for (let k = 1; k <= need; k++) {
      const byte = bytes[i + k]; // undefined past the end: a truncated sequence fails below
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (!(byte >= min && byte <= max)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
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
  const text = await readTextFileStrict(path);
  return parseJsonl(text, sourceName(path));
}

/**
 * Reads a user's data file as strict UTF-8 ({@link decodeUtf8}). A missing path, a directory or an
 * unreadable file is a {@link DataError} naming the path as given (`x.jsonl: file not found`), so
 * a CLI prints one line and exits 2; other failures propagate.
 *
 * @example
 * ```ts
 * import { DataError, readTextFileStrict } from "./jsonl.ts";
 * import { assertEquals, assertRejects } from "@std/assert";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/x.jsonl`, new Uint8Array([0x7b, 0x7d, 0x0a]));
 * assertEquals(await readTextFileStrict(`${dir}/x.jsonl`), "{}\n");
 * await assertRejects(() => readTextFileStrict(`${dir}/y.jsonl`), DataError, `${dir}/y.jsonl: file not found`);
 * await assertRejects(() => readTextFileStrict(dir), DataError, `${dir}: is a directory`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readTextFileStrict(path: string | URL): Promise<string> {
  const source = sourceName(path);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    const problem = error instanceof Deno.errors.NotFound
      ? "file not found"
      : error instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : null;
    if (problem === null) throw error;
    throw new DataError(problem, { source });
  }
  return decodeUtf8(bytes, source);
}

/** The label errors use for a path: the path string, or a file URL's pathname. */
export function sourceName(path: string | URL): string {
  return typeof path === "string" ? path : path.protocol === "file:" ? path.pathname : path.href;
}
