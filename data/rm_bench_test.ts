import { assertEquals, assertThrows } from "@std/assert";
import { DataError } from "./jsonl.ts";
import { parseRmBench, readRmBench, rmBenchPairs } from "./rm_bench.ts";

Deno.test("RM-Bench sample: 2 items, 3 x 3 structure, 9 pairs each with levels 3/3/3", async () => {
  const items = await readRmBench(new URL("./samples/rm_bench_sample.jsonl", import.meta.url));
  assertEquals(items.map((item) => [item.id, item.domain]), [["1", "chat"], ["math-2", "math"]]);
  const pairs = rmBenchPairs(items[1]);
  assertEquals(pairs.length, 9);
  const levels = { easy: 0, normal: 0, hard: 0 };
  for (const p of pairs) levels[p.level]++;
  assertEquals(levels, { easy: 3, normal: 3, hard: 3 });
  // (i=2, j=0): markdown chosen vs concise rejected -> easy
  const easy = pairs.find((p) => p.i === 2 && p.j === 0)!;
  assertEquals([easy.level, easy.pair.chosen, easy.pair.rejected], [
    "easy",
    "### Answer\n7 * 8 = **56**",
    "54",
  ]);
  assertEquals(easy.pair.id, "math-2:2-0");
  assertEquals(easy.pair.context, [{ role: "user", content: "Compute 7 * 8." }]);
  assertEquals(rmBenchPairs(items[0], { strength: 3 })[0].pair.strength, 3);
  assertThrows(() => rmBenchPairs(items[0], { strength: -1 }), RangeError, "got -1");
});

Deno.test("RM-Bench bad input: exactly 3 per side, strings, named file/line/field", () => {
  const row = {
    id: 1,
    prompt: "p",
    chosen: ["a", "b", "c"],
    rejected: ["x", "y", "z"],
    domain: "chat",
  };
  const text = (patch: Record<string, unknown>) => JSON.stringify({ ...row, ...patch });
  assertThrows(
    () => parseRmBench(`${text({})}\n${text({ chosen: ["a", "b"] })}`, "rm.jsonl"),
    DataError,
    'rm.jsonl:2: field "chosen": expected an array of exactly 3 items, got 2 items',
  );
  assertThrows(
    () => parseRmBench(text({ rejected: ["x", "y", "z", "w"] }), "rm.jsonl"),
    DataError,
    'rm.jsonl:1: field "rejected": expected an array of exactly 3 items, got 4 items',
  );
  assertThrows(
    () => parseRmBench(text({ rejected: ["x", 2, "z"] }), "rm.jsonl"),
    DataError,
    'rm.jsonl:1: field "rejected[1]": expected a string, got 2',
  );
  assertThrows(
    () => parseRmBench(text({ domain: undefined }), "rm.jsonl"),
    DataError,
    'rm.jsonl:1: field "domain": missing',
  );
});
