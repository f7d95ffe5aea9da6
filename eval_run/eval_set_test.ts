import { assert, assertEquals, assertRejects } from "@std/assert";
import { DataError } from "../data/jsonl.ts";
import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
import { loadTrainData } from "../train/data.ts";
import { loadEvalSet } from "./eval_set.ts";

const samples = new URL("../data/samples/", import.meta.url).pathname;

Deno.test("loadEvalSet synthetic: the trainer's held-out pairs, with hidden qualities", async () => {
  const set = await loadEvalSet("synthetic", { seed: 3, testSize: 12 });
  const trainer = await loadTrainData({
    ...DEFAULT_TRAIN_CONFIG,
    seed: 3,
    testSize: 12,
    trainSize: 50,
  });
  assertEquals(set.pairs.map((p) => p.id), trainer.test.map((p) => p.id));
  assertEquals(set.pairs.length, 12);
  assert(set.pairs.every((p) => typeof p.meta?.qualityChosen === "number"));
});

Deno.test("loadEvalSet pairwise: RewardBench subsets map, others do not; limit keeps the first", async () => {
  const set = await loadEvalSet("pairwise", { dataPath: `${samples}pairwise_sample.jsonl` });
  assertEquals(set.pairs[0].subset, "math-prm");
  assert(set.pairs.some((p) => p.subset === undefined)); // "default" is no RewardBench subset
  const first = await loadEvalSet("pairwise", {
    dataPath: `${samples}pairwise_sample.jsonl`,
    limit: 1,
  });
  assertEquals(first.pairs.map((p) => p.id), [set.pairs[0].id]);
});

Deno.test("loadEvalSet rm-bench: 9 leveled pairs per item; helpsteer3 applies the recipe filters", async () => {
  const rm = await loadEvalSet("rm-bench", {
    dataPath: `${samples}rm_bench_sample.jsonl`,
    limit: 1,
  });
  assertEquals(rm.pairs.length, 9);
  assertEquals(rm.pairs.map((p) => p.level).filter((l) => l === "hard").length, 3);
  assertEquals(new Set(rm.pairs.map((p) => p.item)).size, 1);
  const hs = await loadEvalSet("helpsteer3", { dataPath: `${samples}helpsteer3_sample.jsonl` });
  assert(hs.pairs.length > 0 && hs.pairs.every((p) => p.domain !== undefined));
});

Deno.test("loadEvalSet judgebench: label decides chosen and the shown order", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(
      path,
      '{"question":"q","response_A":"a","response_B":"b","label":"B>A","source":"math"}\n',
    );
    const [p] = (await loadEvalSet("judgebench", { dataPath: path })).pairs;
    assertEquals([p.chosen, p.rejected, p.chosenFirst, p.domain], ["b", "a", false, "math"]);
    await Deno.writeTextFile(path, '{"question":"q","response_A":"a","response_B":"b"}\n');
    await assertRejects(
      () => loadEvalSet("judgebench", { dataPath: path }),
      DataError,
      `${path}:1: field "label"`,
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("loadEvalSet: bad options and empty files", async () => {
  await assertRejects(() => loadEvalSet("pairwise"), TypeError, "needs a dataPath");
  await assertRejects(
    () => loadEvalSet("csv" as "pairwise", { dataPath: "x" }),
    TypeError,
    '"csv"',
  );
  await assertRejects(() => loadEvalSet("synthetic", { testSize: 0 }), RangeError, "testSize");
  await assertRejects(() => loadEvalSet("synthetic", { limit: 1.5 }), RangeError, "limit");
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await assertRejects(() => loadEvalSet("pairwise", { dataPath: path }), RangeError, "no pairs");
  } finally {
    await Deno.remove(path);
  }
});
