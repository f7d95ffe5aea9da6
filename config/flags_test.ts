import { assertEquals, assertThrows } from "@std/assert";
import { type FlagSchema, numberFlagProblem, parseFlags, UsageError } from "./flags.ts";
import { ALPHA_FLAG, MARGIN_FLAG } from "./irpm_flags.ts";

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
  // a flag where a value should be is not taken as the value
  assertThrows(
    () => parseFlags(["--lr", "--steps", "3"], schema),
    UsageError,
    "--lr: missing value (the next argument, --steps, is a flag)",
  );
  assertThrows(() => parseFlags(["--lr", ""], schema), UsageError, "a number");
});

Deno.test("parseFlags: number flags take plain decimals only (no hex, octal, binary, spaces)", () => {
  const cases: [string, string][] = [
    ["0x10", "an integer"],
    ["0o7", "an integer"],
    ["0b1", "an integer"],
    ["1_000", "an integer"],
    ["Infinity", "an integer"],
    [" 7", "an integer"],
    ["7 ", "an integer"],
    ["", "an integer"],
    ["+", "an integer"],
    ["1e", "an integer"],
    ["1e999", "an integer"],
  ];
  for (const [raw, want] of cases) {
    assertThrows(
      () => parseFlags(["--steps", raw], schema),
      UsageError,
      `--steps: expected ${want}, got "${raw}"`,
    );
  }
  for (const raw of ["0x10", "Infinity", "-Infinity", "NaN", " 1", "1.5.2", "e3", ".", "-"]) {
    assertThrows(
      () => parseFlags([`--lr=${raw}`], schema),
      UsageError,
      `--lr: expected a number, got "${raw}"`,
    );
  }
  assertThrows(() => parseFlags(["--margin", "0x1"], schema), UsageError, "a number or adaptive");
  const read = (raw: string) => parseFlags(["--x", raw], { x: { kind: "number", help: "x" } });
  const accepted: [string, number][] = [
    ["-1", -1],
    ["1.5", 1.5],
    [".5", 0.5],
    ["1e-4", 1e-4],
    ["3E2", 300],
    ["+2", 2],
    ["1.", 1],
    ["007", 7],
  ];
  for (const [raw, value] of accepted) assertEquals(read(raw).values.x, value, raw);
  assertEquals(parseFlags(["--steps", "16"], schema).values.steps, 16);
});

Deno.test("parseFlags: `above` is an exclusive minimum (a number > 0)", () => {
  const topP: FlagSchema = { "top-p": { kind: "number", above: 0, max: 1, help: "nucleus" } };
  assertThrows(
    () => parseFlags(["--top-p", "0"], topP),
    UsageError,
    '--top-p: expected a number > 0, got "0"',
  );
  assertThrows(() => parseFlags(["--top-p", "-0.1"], topP), UsageError, "a number > 0");
  assertThrows(() => parseFlags(["--top-p", "1.5"], topP), UsageError, "a number <= 1");
  assertEquals(parseFlags(["--top-p", "1e-9"], topP).values["top-p"], 1e-9);
  assertEquals(parseFlags(["--top-p=1"], topP).values["top-p"], 1);
});

Deno.test("numberFlagProblem: the same checks for values from other sources (JSON config)", () => {
  const temperature = { kind: "number", above: 0, help: "sampling temperature" } as const;
  assertEquals(numberFlagProblem(temperature, 0), "a number > 0");
  assertEquals(numberFlagProblem(temperature, Infinity), "a number");
  assertEquals(numberFlagProblem(temperature, 0.7), null);
  const steps = { kind: "number", integer: true, min: 1, help: "steps" } as const;
  assertEquals(
    [numberFlagProblem(steps, 2.5), numberFlagProblem(steps, 0), numberFlagProblem(steps, 3)],
    ["an integer", "a number >= 1", null],
  );
  const margin = { kind: "number-or", words: ["adaptive"], min: 0, help: "m" } as const;
  assertEquals(numberFlagProblem(margin, NaN), "a number or adaptive");
  assertEquals(numberFlagProblem(margin, -1), "a number >= 0");
});

Deno.test("MARGIN_FLAG and ALPHA_FLAG: train's bounds, shared by rewards", () => {
  const shared: FlagSchema = { margin: MARGIN_FLAG, alpha: ALPHA_FLAG };
  assertThrows(
    () => parseFlags(["--margin", "-1"], shared),
    UsageError,
    '--margin: expected a number >= 0, got "-1"',
  );
  assertEquals(parseFlags(["--margin", "adaptive", "--alpha", "0.5"], shared).values, {
    margin: "adaptive",
    alpha: 0.5,
  });
  assertThrows(() => parseFlags(["--alpha", "0.6"], shared), UsageError, "a number <= 0.5");
  assertThrows(() => parseFlags(["--alpha", "0"], shared), UsageError, "a number >= 0.000001");
});

Deno.test("a mistyped flag names the flag it most likely meant", () => {
  const schema: FlagSchema = {
    "steps": { kind: "number", help: "steps" },
    "kl-coef": { kind: "number", help: "KL" },
  };
  assertThrows(() => parseFlags(["--step", "5"], schema), UsageError, "did you mean --steps?");
  assertThrows(() => parseFlags(["--kl_coef=0.1"], schema), UsageError, "did you mean --kl-coef?");
  assertThrows(
    () => parseFlags(["--frobnicate"], schema),
    UsageError,
    'unknown flag "--frobnicate" (see --help)',
  );
});
