import { assert, assertEquals, assertThrows } from "@std/assert";
import { modelConfig, presetConfig, PRESETS } from "./config.ts";
import { VOCAB_SIZE } from "./tokenizer.ts";

Deno.test("presets are valid, frozen and use the tokenizer's vocabulary", () => {
  for (const name of Object.keys(PRESETS)) {
    const config = presetConfig(name);
    assertEquals(config.vocabSize, VOCAB_SIZE);
    assertEquals(config.width % config.heads, 0);
    assert(Object.isFrozen(config));
  }
  assertEquals(presetConfig("small"), {
    vocabSize: VOCAB_SIZE,
    width: 128,
    depth: 2,
    heads: 4,
    contextLength: 64,
    mlpRatio: 4,
  });
});

Deno.test("bad configs throw errors that name the field and quote the value", () => {
  const base = presetConfig("tiny");
  assertThrows(
    () => modelConfig({ ...base, width: 0 }),
    RangeError,
    "width must be a positive integer, got 0",
  );
  assertThrows(() => modelConfig({ ...base, depth: 1.5 }), RangeError, "depth");
  assertThrows(() => modelConfig({ ...base, mlpRatio: -1 }), RangeError, "mlpRatio");
  assertThrows(() => modelConfig({ ...base, heads: 5 }), RangeError, "(5) must divide");
  assertThrows(() => presetConfig("toString"), TypeError, 'unknown model preset "toString"');
});
