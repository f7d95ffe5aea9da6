/**
 * Field validators for JSONL loaders. Each takes the raw value and its {@link DataLocation}
 * (file, line, field path) and either returns the typed value or throws a {@link DataError} whose
 * message quotes what it got, e.g. `a.jsonl:3: field "overall_preference": expected an integer in
 * -3..3, got 1.5`. A missing field reads `missing (expected ...)`.
 *
 * @module
 */
import { DataError, type DataLocation } from "./jsonl.ts";

// JSON.stringify writes Infinity and NaN as `null`, and `JSON.parse("1e999")` is Infinity, so a
// huge number in a file would be reported as "got null". Non-finite numbers are swapped for a
// marker string while stringifying, then the marker's quotes are dropped.
const NON_FINITE = "\u0000non-finite:";
const NON_FINITE_QUOTED = /"\\u0000non-finite:(-?Infinity|NaN)"/g;

/**
 * A short printable rendering of a bad value for error messages (at most ~60 chars): JSON, except
 * that non-finite numbers print as `Infinity`, `-Infinity` or `NaN` (JSON would print `null`).
 *
 * @example
 * ```ts
 * import { describeValue } from "./fields.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(describeValue(JSON.parse("1e999")), "Infinity");
 * assertEquals(describeValue({ s: [-Infinity, "x"] }), '{"s":[-Infinity,"x"]}');
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(
    value,
    (_, v) => (typeof v === "number" && !Number.isFinite(v) ? NON_FINITE + String(v) : v),
  )?.replace(NON_FINITE_QUOTED, "$1") ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(expected: string, value: unknown, at: DataLocation): never {
  const problem = value === undefined
    ? `missing (expected ${expected})`
    : `expected ${expected}, got ${describeValue(value)}`;
  throw new DataError(problem, at);
}

/** The same location one level deeper: `context` + `[2]` -> `context[2]`, + `.role` etc. */
export function atField(at: DataLocation, suffix: string): DataLocation {
  const field = at.field === undefined
    ? suffix.replace(/^\./, "")
    : `${at.field}${suffix.startsWith("[") ? "" : "."}${suffix.replace(/^\./, "")}`;
  return { source: at.source, line: at.line, field };
}

/**
 * Requires a plain JSON object (not an array or null).
 *
 * @example
 * ```ts
 * import { requireRecord } from "./fields.ts";
 * import { DataError } from "./jsonl.ts";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => requireRecord([1], { source: "a.jsonl", line: 4 }), DataError,
 *   "a.jsonl:4: expected a JSON object, got [1]");
 * ```
 */
export function requireRecord(value: unknown, at: DataLocation): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("a JSON object", value, at);
  }
  return value as Record<string, unknown>;
}

/**
 * Requires a string (empty allowed unless `nonEmpty`).
 *
 * @example
 * ```ts
 * import { requireString } from "./fields.ts";
 * import { DataError } from "./jsonl.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(requireString("hi", { source: "a.jsonl", line: 1, field: "prompt" }), "hi");
 * assertThrows(() => requireString(undefined, { source: "a.jsonl", line: 1, field: "prompt" }),
 *   DataError, 'a.jsonl:1: field "prompt": missing (expected a string)');
 * ```
 */
export function requireString(
  value: unknown,
  at: DataLocation,
  options: { nonEmpty?: boolean } = {},
): string {
  if (typeof value !== "string") {
    fail(options.nonEmpty ? "a non-empty string" : "a string", value, at);
  }
  if (options.nonEmpty && value === "") fail("a non-empty string", value, at);
  return value;
}

/** Like {@link requireString}, but `undefined` (field absent) passes through. */
export function optionalString(
  value: unknown,
  at: DataLocation,
  options: { nonEmpty?: boolean } = {},
): string | undefined {
  return value === undefined ? undefined : requireString(value, at, options);
}

/**
 * Requires an integer, optionally within `min..max` (inclusive).
 *
 * @example
 * ```ts
 * import { requireInteger } from "./fields.ts";
 * import { DataError } from "./jsonl.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const at = { source: "x.jsonl", line: 12, field: "overall_preference" };
 * assertEquals(requireInteger(-2, at, { min: -3, max: 3 }), -2);
 * assertThrows(() => requireInteger(7, at, { min: -3, max: 3 }), DataError,
 *   'x.jsonl:12: field "overall_preference": expected an integer in -3..3, got 7');
 * ```
 */
export function requireInteger(
  value: unknown,
  at: DataLocation,
  options: { min?: number; max?: number } = {},
): number {
  const { min = -Infinity, max = Infinity } = options;
  const range = min === -Infinity && max === Infinity
    ? ""
    : max === Infinity
    ? ` >= ${min}`
    : min === -Infinity
    ? ` <= ${max}`
    : ` in ${min}..${max}`;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(`an integer${range}`, value, at);
  }
  return value;
}

/**
 * Requires an array, optionally of an exact length or a minimum length.
 *
 * @example
 * ```ts
 * import { requireArray } from "./fields.ts";
 * import { DataError } from "./jsonl.ts";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => requireArray(["a", "b"], { source: "r.jsonl", line: 2, field: "chosen" },
 *   { length: 3 }), DataError, 'r.jsonl:2: field "chosen": expected an array of exactly 3 items, got 2 items');
 * ```
 */
export function requireArray(
  value: unknown,
  at: DataLocation,
  options: { length?: number; minLength?: number } = {},
): unknown[] {
  if (!Array.isArray(value)) fail("an array", value, at);
  const { length, minLength } = options;
  if (length !== undefined && value.length !== length) {
    throw new DataError(
      `expected an array of exactly ${length} items, got ${value.length} items`,
      at,
    );
  }
  if (minLength !== undefined && value.length < minLength) {
    throw new DataError(
      `expected an array of at least ${minLength} items, got ${value.length} items`,
      at,
    );
  }
  return value;
}

/**
 * Requires one of a fixed set of strings.
 *
 * @example
 * ```ts
 * import { requireOneOf } from "./fields.ts";
 * import { DataError } from "./jsonl.ts";
 * import { assertThrows } from "@std/assert";
 * const at = { source: "h.jsonl", line: 5, field: "context[0].role" };
 * assertThrows(() => requireOneOf("bot", { at, choices: ["user", "assistant"] }), DataError,
 *   'h.jsonl:5: field "context[0].role": expected one of "user", "assistant", got "bot"');
 * ```
 */
export function requireOneOf<T extends string>(
  value: unknown,
  where: { at: DataLocation; choices: readonly T[] },
): T {
  const { at, choices } = where;
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    fail(`one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`, value, at);
  }
  return value as T;
}

/**
 * Requires an identifier given as a string or an integer (RewardBench and RM-Bench use integers)
 * and returns it as a string.
 *
 * @example
 * ```ts
 * import { requireId } from "./fields.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(requireId(17, { source: "a.jsonl", line: 1, field: "id" }), "17");
 * ```
 */
export function requireId(value: unknown, at: DataLocation): string {
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value === "string" && value !== "") return value;
  fail("a non-empty string or an integer", value, at);
}
