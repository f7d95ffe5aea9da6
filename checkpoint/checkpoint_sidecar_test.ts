import { assertEquals, assertThrows } from "@std/assert";
import { checkSidecar, configDifferences, parseCheckpointSidecar } from "./checkpoint_sidecar.ts";
import { CheckpointError } from "./safetensors.ts";

const sidecar = {
  config: { model: { width: 16 } },
  step: 0,
  dataCursor: null,
  prngState: [0, 1, 2, 2 ** 32 - 1],
  datasetFingerprint: "f",
};

Deno.test("configDifferences: every differing leaf, with paths, after a JSON round trip", () => {
  const saved = { model: { width: 16, depth: 2 }, lr: 1e-3, betas: [0.9, 0.95], tag: "a" };
  assertEquals(configDifferences(structuredClone(saved), saved), []);
  assertEquals(configDifferences({ ...saved, note: undefined }, saved), []); // undefined = absent
  assertEquals(
    configDifferences(
      { model: { width: 32, depth: 2 }, lr: 1e-3, betas: [0.9, 0.99], extra: { on: true } },
      saved,
    ),
    [
      "config.betas[1]: checkpoint has 0.95, expected 0.99",
      'config.extra: checkpoint has (absent), expected {"on":true}',
      "config.model.width: checkpoint has 16, expected 32",
      'config.tag: checkpoint has "a", expected (absent)',
    ],
  );
  assertEquals(configDifferences({ a: { b: 1 } }, { a: [1] }), [
    'config.a: checkpoint has [1], expected {"b":1}',
  ]);
  const long = "x".repeat(100);
  assertEquals(configDifferences({ s: long }, { s: "y" }), [
    `config.s: checkpoint has "y", expected "${"x".repeat(56)}...`,
  ]);
});

Deno.test("checkSidecar: accepts a good sidecar, names the bad field otherwise", () => {
  checkSidecar(sidecar, "here");
  checkSidecar({ ...sidecar, createdAt: "2026-01-01T00:00:00Z", extra: { note: "x" } }, "here");
  const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [[], TypeError, "here: the sidecar is not an object"],
    [{ ...sidecar, config: [1] }, TypeError, "here: config must be an object"],
    [{ ...sidecar, step: "3" }, RangeError, 'step must be an integer >= 0, got "3"'],
    [{ ...sidecar, prngState: [2 ** 32] }, RangeError, "prngState must be uint32 words"],
    [{ ...sidecar, prngState: "abc" }, RangeError, "prngState must be uint32 words"],
    [{ ...sidecar, datasetFingerprint: 7 }, TypeError, "datasetFingerprint must be a non-empty"],
    [{ ...sidecar, createdAt: 0 }, TypeError, "createdAt must be a string, got 0"],
    [{ ...sidecar, extra: "x" }, TypeError, "extra must be an object"],
    [{ ...sidecar, extra: { t: new Date(0) } }, TypeError, "here: $.extra.t is a Date"],
  ];
  for (const [value, ErrorClass, message] of cases) {
    assertThrows(() => checkSidecar(value, "here"), ErrorClass, message);
  }
});

Deno.test("parseCheckpointSidecar: format, version and sha256 are checked; errors name the path", () => {
  const good = { format: "irpm-kit-checkpoint", version: 1, ...sidecar, sha256: "0".repeat(64) };
  const parse = (value: unknown) =>
    parseCheckpointSidecar(new TextEncoder().encode(JSON.stringify(value)), "run/checkpoint.json");
  assertEquals(parse(good), good);
  const cases: [unknown, string][] = [
    [null, "not an irpm-kit-checkpoint sidecar (format undefined)"],
    [{ ...good, format: "other" }, 'not an irpm-kit-checkpoint sidecar (format "other")'],
    [{ ...good, version: "1" }, 'version "1" is not supported (this kit reads 1)'],
    [{ ...good, sha256: "ABC" }, 'sha256 "ABC" is not 64 hex'],
    [{ ...good, sha256: "A".repeat(64) }, `sha256 "${"A".repeat(64)}" is not 64 hex`],
    [{ ...good, step: 1.5 }, "step must be an integer >= 0, got 1.5"],
  ];
  for (const [value, message] of cases) {
    assertThrows(() => parse(value), CheckpointError, `run/checkpoint.json: ${message}`);
  }
});
