import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { formatHelp, UsageError } from "../config/flags.ts";
import {
  checkConfigObject,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  TRAIN_FLAGS,
  type TrainConfig,
} from "./config.ts";

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
/** Flags that fill no config key: they say where the config comes from. */
const FLAGS_WITHOUT_KEY = ["config", "resume", "allow-config-change"];

Deno.test("resolveTrainConfig: no flags give exactly the defaults, frozen", () => {
  const { config, resume, configFile, help } = resolveTrainConfig([]);
  assertEquals(config, { ...DEFAULT_TRAIN_CONFIG });
  assert(Object.isFrozen(config));
  assertEquals([resume, configFile, help], [null, null, false]);
});

Deno.test("resolveTrainConfig: defaults < JSON object < flags", () => {
  const file: Partial<TrainConfig> = { groupSize: 8, lr: 1e-3, design: "median", name: "f" };
  const { config } = resolveTrainConfig(["--lr", "2e-4", "--design=interval"], file);
  assertEquals(config.lr, 2e-4); // flag beats file
  assertEquals(config.design, "interval"); // flag beats file
  assertEquals(config.groupSize, 8); // file beats default
  assertEquals(config.name, "f");
  assertEquals(config.klCoef, DEFAULT_TRAIN_CONFIG.klCoef); // neither: default
});

Deno.test("resolveTrainConfig: kebab-case flags fill camelCase keys, all kinds", () => {
  const { config, resume, configFile, help } = resolveTrainConfig([
    "--group-size",
    "3",
    "--min-lr-ratio=0.5",
    "--kl-estimator",
    "k1",
    "--margin",
    "adaptive",
    "--overlong-penalty",
    "--no-require-user-last",
    "--top-p",
    "0.9",
    "--stop-after",
    "7",
    "--resume",
    "runs/x",
    "--config",
    "c.json",
    "--help",
  ]);
  assertEquals(config.groupSize, 3);
  assertEquals(config.minLrRatio, 0.5);
  assertEquals(config.klEstimator, "k1");
  assertEquals(config.margin, "adaptive");
  assertEquals(config.overlongPenalty, true);
  assertEquals(config.requireUserLast, false);
  assertEquals(config.topP, 0.9);
  assertEquals(config.stopAfter, 7);
  assertEquals([resume, configFile, help], ["runs/x", "c.json", true]);
  // --config and --resume are not config keys
  assert(!("config" in config) && !("resume" in config));
  assertEquals(resolveTrainConfig(["--margin", "0.5"]).config.margin, 0.5);
});

Deno.test("resolveTrainConfig: usage errors for bad flags, the G >= 2 rule, missing data path", () => {
  assertThrows(() => resolveTrainConfig(["--desing", "mean"]), UsageError, '"--desing"');
  assertThrows(() => resolveTrainConfig(["--group-size", "2.5"]), UsageError, "--group-size");
  assertThrows(() => resolveTrainConfig(["--top-p", "1.5"]), UsageError, "--top-p");
  assertThrows(() => resolveTrainConfig(["runs/x"]), UsageError, 'unexpected argument "runs/x"');
  // a group of one has no relative advantage: refused for every design, from flags or a file
  for (const design of ["interval", "mean"]) {
    assertThrows(
      () => resolveTrainConfig(["--design", design, "--group-size", "1"]),
      UsageError,
      "--group-size 1: a group of one has no relative advantage",
    );
  }
  assertThrows(() => resolveTrainConfig([], { groupSize: 1 }), UsageError, "--group-size >= 2");
  resolveTrainConfig(["--design", "interval", "--group-size", "2"]); // the boundary is fine
  // the scalar baseline samples nothing, so G does not matter there
  resolveTrainConfig(["--model", "scalar-bt", "--group-size", "1"]);
  for (const data of ["helpsteer3", "pairwise"]) {
    assertThrows(
      () => resolveTrainConfig(["--data", data]),
      UsageError,
      `--data ${data} needs --data-path`,
    );
    resolveTrainConfig(["--data", data, "--data-path", "x.jsonl"]);
    resolveTrainConfig(["--data", data], { dataPath: "x.jsonl" });
  }
  // a path with the embedded suite would be silently ignored: refused instead
  assertThrows(
    () => resolveTrainConfig(["--data-path", "x.jsonl"]),
    UsageError,
    "--data-path needs --data helpsteer3 or --data pairwise",
  );
  assertThrows(
    () => resolveTrainConfig(["--test-path", "t.jsonl"]),
    UsageError,
    "--test-path needs",
  );
  assertThrows(() => resolveTrainConfig(["--preset", "huge"]), UsageError, 'preset "huge"');
  assertThrows(() => resolveTrainConfig([], { preset: "huge" }), UsageError, "tiny, small");
});

Deno.test("checkConfigObject: accepts every default, and null only where the default is null", () => {
  assertEquals(checkConfigObject({ ...DEFAULT_TRAIN_CONFIG }, "c.json"), {
    ...DEFAULT_TRAIN_CONFIG,
  });
  const nullable = Object.entries(DEFAULT_TRAIN_CONFIG).filter(([, v]) => v === null)
    .map(([k]) => k);
  assertEquals(nullable.sort(), [
    "dataPath",
    "epochs",
    "name",
    "stopAfter",
    "testMinStrength",
    "testPath",
  ]);
  assertEquals(
    checkConfigObject({ epochs: 2, dataPath: "a.jsonl", name: "r", margin: 0 }, "c.json"),
    { epochs: 2, dataPath: "a.jsonl", name: "r", margin: 0 },
  );
  assertThrows(
    () => checkConfigObject({ lr: null }, "c.json"),
    UsageError,
    'c.json: config key "lr" has the wrong type or value: expected a number, got null',
  );
});

Deno.test("checkConfigObject: unknown keys and wrong types are usage errors naming the file", () => {
  assertThrows(
    () => checkConfigObject({ grupSize: 4 }, "cfg/run.json"),
    UsageError,
    'cfg/run.json: unknown config key "grupSize"',
  );
  // inherited Object properties are not config keys
  assertThrows(() => checkConfigObject({ toString: 1 }, "c.json"), UsageError, "unknown config");
  assertThrows(
    () => checkConfigObject(JSON.parse('{"__proto__": {}}'), "c.json"),
    UsageError,
    'unknown config key "__proto__"',
  );
  for (
    const [bad, key] of [
      [{ groupSize: "4" }, "groupSize"],
      [{ overlongPenalty: "true" }, "overlongPenalty"],
      [{ design: 3 }, "design"],
      [{ epochs: "two" }, "epochs"],
      [{ dataPath: 5 }, "dataPath"],
      [{ margin: "fixed" }, "margin"],
      [{ name: false }, "name"],
    ] as const
  ) {
    assertThrows(
      () => checkConfigObject(bad, "c.json"),
      UsageError,
      `c.json: config key "${key}" has the wrong type`,
    );
  }
  for (const bad of [[], null, "x", 3]) {
    assertThrows(() => checkConfigObject(bad, "c.json"), UsageError, "c.json: expected a JSON");
  }
});

Deno.test("checkConfigObject: values get the same checks as their flags", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ design: "average" }, "one of mean, median, interval, preference, winrate"],
    [{ groupSize: 0 }, "a number >= 1"],
    [{ groupSize: 2.5 }, "an integer"],
    [{ lr: -1 }, "a number >= 0"],
    [{ topP: 1.5 }, "a number <= 1"],
    [{ margin: -0.5 }, "a number >= 0"],
    [{ backend: "cuda" }, "one of auto, wasm, blas, webgpu, cpu, tensorflow"],
  ];
  for (const [bad, expected] of cases) {
    assertThrows(() => checkConfigObject(bad, "c.json"), UsageError, `expected ${expected}`);
    // the same value as a flag is refused too
    const [key, value] = Object.entries(bad)[0];
    assertThrows(() => resolveTrainConfig([`--${kebab(key)}`, String(value)]), UsageError);
  }
});

Deno.test("every config key has a kebab-case flag and every flag a key, so --help lists them all", () => {
  const keys = Object.keys(DEFAULT_TRAIN_CONFIG);
  const flags = Object.keys(TRAIN_FLAGS);
  assertEquals(keys.map(kebab).filter((f) => !flags.includes(f)), []);
  assertEquals(
    flags.filter((f) => !FLAGS_WITHOUT_KEY.includes(f) && !keys.map(kebab).includes(f)),
    [],
  );
  const help = formatHelp(
    TRAIN_FLAGS,
    Object.fromEntries(Object.entries(DEFAULT_TRAIN_CONFIG).map(([k, v]) => [kebab(k), v])),
  );
  for (const key of keys) assertStringIncludes(help, `--${kebab(key)}`);
  assert(/--kl-coef [^\n]*\(default 0\.2\)/.test(help), "kl-coef's default is shown");
  // and every flag round-trips its default value back into the config
  for (const [key, value] of Object.entries(DEFAULT_TRAIN_CONFIG)) {
    if (value === null || typeof value === "boolean") continue;
    const { config } = resolveTrainConfig([`--${kebab(key)}`, String(value)]);
    assertEquals(config[key as keyof TrainConfig], value, key);
  }
});

Deno.test("BACKENDS lists the same --backend values as model/backend_choice.ts", async () => {
  // a literal list here: importing model/backend_choice.ts would register tfjs's webgpu backend
  // in every module that reads the config
  const { BACKEND_CHOICES } = await import("../model/backend_choice.ts");
  const { BACKENDS } = await import("./config.ts");
  assertEquals([...BACKENDS], [...BACKEND_CHOICES]);
});
