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

Deno.test("loadEvalSet: repeated pairs (sides swapped too) are dropped, first kept, per format", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pw = (prompt: string, chosen: string, rejected: string) =>
      JSON.stringify({ prompt, chosen, rejected });
    const pairwise = `${dir}/pw.jsonl`;
    await Deno.writeTextFile(
      pairwise,
      [pw("q1", "a", "b"), pw("q2", "c", "d"), pw("q1", "a", "b"), pw("q1", "b", "a")].join("\n"),
    );
    const set = await loadEvalSet("pairwise", { dataPath: pairwise });
    assertEquals(set.pairs.map((p) => p.id), [`${pairwise}:1`, `${pairwise}:2`]);
    assertEquals(set.duplicates?.map((d) => [d.id, d.of, d.swapped]), [
      [`${pairwise}:3`, `${pairwise}:1`, false],
      [`${pairwise}:4`, `${pairwise}:1`, true],
    ]);
    // --limit counts distinct pairs.
    const limited = await loadEvalSet("pairwise", { dataPath: pairwise, limit: 2 });
    assertEquals(limited.pairs.length, 2);

    // JudgeBench: the same two responses in the other order with the matching label.
    const jb = `${dir}/jb.jsonl`;
    const row = (a: string, b: string, label: string) =>
      JSON.stringify({ question: "q", response_A: a, response_B: b, label });
    await Deno.writeTextFile(jb, [row("x", "y", "A>B"), row("y", "x", "B>A")].join("\n"));
    const judge = await loadEvalSet("judgebench", { dataPath: jb });
    assertEquals([judge.pairs.length, judge.duplicates?.length], [1, 1]);

    // RM-Bench: whole repeated rows go (all 9 pairs), whatever their id; kept items stay 3 x 3.
    const rm = `${dir}/rm.jsonl`;
    const [first] = (await Deno.readTextFile(`${samples}rm_bench_sample.jsonl`)).split("\n");
    const copy = JSON.stringify({ ...JSON.parse(first), id: "copy" });
    await Deno.writeTextFile(rm, [first, copy, first].join("\n"));
    const bench = await loadEvalSet("rm-bench", { dataPath: rm });
    assertEquals(bench.pairs.length, 9);
    assertEquals(bench.duplicates?.map((d) => [d.id, d.of]), [["copy", "1"], ["1", "1"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadEvalSet: a missing file, a directory and invalid UTF-8 are DataErrors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => loadEvalSet("judgebench", { dataPath: `${dir}/none.jsonl` }),
      DataError,
      `${dir}/none.jsonl: file not found`,
    );
    await assertRejects(
      () => loadEvalSet("rm-bench", { dataPath: dir }),
      DataError,
      `${dir}: is a directory`,
    );
    const path = `${dir}/latin1.jsonl`;
    const line = new TextEncoder().encode('{"prompt":"caf?","chosen":"a","rejected":"b"}\n');
    line[14] = 0xe9; // "café" in Latin-1
    await Deno.writeFile(path, new Uint8Array([...line, ...line]));
    for (const data of ["pairwise", "helpsteer3", "rm-bench", "judgebench"] as const) {
      await assertRejects(
        () => loadEvalSet(data, { dataPath: path }),
        DataError,
        `${path}:1: not valid UTF-8 (byte 0xe9 at column 15)`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
