import { assertEquals, assertThrows } from "@std/assert";
import {
  atField,
  describeValue,
  optionalString,
  requireArray,
  requireId,
  requireInteger,
  requireOneOf,
  requireRecord,
  requireString,
} from "./fields.ts";
import { DataError } from "./jsonl.ts";

const at = { source: "f.jsonl", line: 3, field: "x" };

Deno.test("requireInteger: range, non-integers, strings and missing values", () => {
  assertEquals(requireInteger(3, at, { min: -3, max: 3 }), 3);
  assertThrows(
    () => requireInteger(1.5, at, { min: -3, max: 3 }),
    DataError,
    'f.jsonl:3: field "x": expected an integer in -3..3, got 1.5',
  );
  assertThrows(() => requireInteger("2", at), DataError, 'expected an integer, got "2"');
  assertThrows(
    () => requireInteger(-1, at, { min: 0 }),
    DataError,
    "expected an integer >= 0, got -1",
  );
  assertThrows(
    () => requireInteger(undefined, at),
    DataError,
    'f.jsonl:3: field "x": missing (expected an integer)',
  );
});

Deno.test("requireString / optionalString / requireRecord / requireId", () => {
  assertEquals(requireString("", at), "");
  assertThrows(
    () => requireString("", at, { nonEmpty: true }),
    DataError,
    'expected a non-empty string, got ""',
  );
  assertThrows(() => requireString(null, at), DataError, "expected a string, got null");
  assertEquals(optionalString(undefined, at), undefined);
  assertThrows(() => optionalString(4, at), DataError, "expected a string, got 4");
  assertThrows(() => requireRecord(null, at), DataError, "expected a JSON object, got null");
  assertEquals(requireRecord({ a: 1 }, at), { a: 1 });
  assertEquals([requireId("q1", at), requireId(0, at)], ["q1", "0"]);
  assertThrows(() => requireId(1.5, at), DataError, "expected a non-empty string or an integer");
});

Deno.test("requireArray and requireOneOf", () => {
  assertEquals(requireArray([1, 2], at, { length: 2 }), [1, 2]);
  assertThrows(
    () => requireArray([], at, { minLength: 1 }),
    DataError,
    "expected an array of at least 1 items, got 0 items",
  );
  assertThrows(() => requireArray("abc", at), DataError, 'expected an array, got "abc"');
  assertEquals(requireOneOf("user", { at, choices: ["user", "assistant"] }), "user");
  assertThrows(
    () => requireOneOf(3, { at, choices: ["user"] }),
    DataError,
    'expected one of "user", got 3',
  );
});

Deno.test("atField builds nested field paths; describeValue truncates long values", () => {
  const root = { source: "s", line: 1 };
  assertEquals(atField(root, "context").field, "context");
  assertEquals(atField(atField(root, "context"), "[2]").field, "context[2]");
  assertEquals(atField(atField(root, "context[2]"), ".role").field, "context[2].role");
  assertEquals(describeValue("a".repeat(100)).length, 60);
  assertEquals(describeValue(undefined), "undefined");
});

Deno.test("describeValue: huge and non-finite numbers print as Infinity / NaN, not null", () => {
  // JSON.parse reads 1e999 as Infinity; JSON.stringify would print it as null.
  assertThrows(
    () => requireInteger(JSON.parse("1e999"), at, { min: -3, max: 3 }),
    DataError,
    'f.jsonl:3: field "x": expected an integer in -3..3, got Infinity',
  );
  assertEquals(describeValue(-Infinity), "-Infinity");
  assertEquals(describeValue(NaN), "NaN");
  assertEquals(describeValue(JSON.parse('{"s":[1e999,-1e999]}')), '{"s":[Infinity,-Infinity]}');
  assertEquals(describeValue(null), "null");
  assertEquals(describeValue("Infinity"), '"Infinity"');
});
