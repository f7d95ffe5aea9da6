import { assertEquals, assertThrows } from "@std/assert";
import { type FlagSchema, parseFlags, UsageError } from "./flags.ts";

const schema: FlagSchema = {
  steps: { kind: "number", integer: true, min: 1, help: "optimizer steps" },
  lr: { kind: "number", min: 0, help: "peak learning rate" },
  design: { kind: "choice", choices: ["mean", "median"], help: "reward design" },
  margin: { kind: "number-or", words: ["adaptive"], help: "margin" },
  force: { kind: "boolean", help: "overwrite" },
  data: { kind: "string", help: "path" },
};

Deno.test("parseFlags: every kind, both spellings, booleans and positionals", () => {
  const parsed = parseFlags(
    ["--steps", "10", "--lr=3e-4", "--margin", "adaptive", "--force", "run", "--data", "x.jsonl"],
    schema,
  );
  assertEquals(parsed.values, {
    steps: 10,
    lr: 3e-4,
    margin: "adaptive",
    force: true,
    data: "x.jsonl",
  });
  assertEquals(parsed.positional, ["run"]);
  assertEquals(parseFlags(["--no-force"], schema).values, { force: false });
  assertEquals(parseFlags(["--help"], schema).help, true);
});

Deno.test("parseFlags: bad input names the flag and quotes the value", () => {
  assertThrows(() => parseFlags(["--stepz", "3"], schema), UsageError, '"--stepz"');
  assertThrows(
    () => parseFlags(["--steps", "1.5"], schema),
    UsageError,
    '--steps: expected an integer, got "1.5"',
  );
  assertThrows(() => parseFlags(["--steps", "0"], schema), UsageError, ">= 1");
  assertThrows(() => parseFlags(["--margin", "abc"], schema), UsageError, 'adaptive, got "abc"');
  assertThrows(() => parseFlags(["--design", "avg"], schema), UsageError, "one of mean, median");
  assertThrows(() => parseFlags(["--lr"], schema), UsageError, "--lr: missing value");
  assertThrows(() => parseFlags(["--lr", ""], schema), UsageError, "a number");
});
