import { UsageError } from "../config/flags.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLessOrEqual,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { testConfig } from "./_testing.ts";
import { loadTrainData, nextBatch, permutation } from "./data.ts";

const SAMPLE = new URL("../data/samples/helpsteer3_sample.jsonl", import.meta.url).pathname;

Deno.test("permutation: a permutation of 0..n-1 for every n, seeded", () => {
  for (const n of [0, 1, 2, 7, 100]) {
    const p = permutation(n, createPrng(n));
    assertEquals([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  assertEquals(permutation(50, createPrng(3)), permutation(50, createPrng(3)));
  assertNotEquals(permutation(50, createPrng(3)), permutation(50, createPrng(4)));
});

Deno.test("permutation: all 3! orders about equally often (Fisher-Yates, not a biased shuffle)", () => {
  // 6000 shuffles of 3 items: each of the 6 orders ~ Binomial(6000, 1/6): mean 1000, sd 28.9.
  // Tolerance 150 (> 5 sd). A classic off-by-one (j = int(i) or j = int(n)) gives 0 for some
  // orders or ~1111/889 splits, far outside it.
  const rng = createPrng(11);
  const counts = new Map<string, number>();
  for (let i = 0; i < 6000; i++) {
    const key = permutation(3, rng).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assertEquals(counts.size, 6);
  for (const [order, count] of counts) {
    assertLessOrEqual(Math.abs(count - 1000), 150, `order ${order}: ${count}`);
  }
});

Deno.test("nextBatch: every pair exactly once per epoch, across batch and epoch boundaries", () => {
  const pairs = Array.from({ length: 7 }, (_, i) => i);
  // batch 3 does not divide 7: epochs end in the middle of batches
  let cursor = { epoch: 0, index: 0 };
  const stream: number[] = [];
  for (let b = 0; b < 7; b++) {
    const next = nextBatch(pairs, { cursor, batch: 3, seed: 5 });
    assertEquals(next.batch.length, 3);
    stream.push(...next.batch);
    cursor = next.cursor;
  }
  assertEquals(cursor, { epoch: 2, index: 7 }); // 21 = 3 x 7 items: exactly three epochs
  const epochs = [stream.slice(0, 7), stream.slice(7, 14), stream.slice(14, 21)];
  for (const e of epochs) assertEquals([...e].sort(), pairs);
  // each epoch has its own order
  assert(new Set(epochs.map((e) => e.join())).size > 1, "all epochs in the same order");
});

Deno.test("nextBatch: deterministic in (cursor, seed); a saved cursor replays the stream", () => {
  const pairs = Array.from({ length: 10 }, (_, i) => `p${i}`);
  const run = (seed: number, batches: number) => {
    let cursor = { epoch: 0, index: 0 };
    const out: { batch: string[]; cursor: { epoch: number; index: number } }[] = [];
    for (let b = 0; b < batches; b++) {
      const next = nextBatch(pairs, { cursor, batch: 4, seed });
      out.push(next);
      cursor = next.cursor;
    }
    return out;
  };
  const a = run(1, 6), b = run(1, 6);
  assertEquals(a, b);
  assertNotEquals(a.map((x) => x.batch), run(2, 6).map((x) => x.batch));
  // resume from the cursor after batch 2 (JSON round trip, as in a checkpoint sidecar)
  const saved = JSON.parse(JSON.stringify(a[2].cursor));
  assertEquals(nextBatch(pairs, { cursor: saved, batch: 4, seed: 1 }), a[3]);
});

Deno.test("nextBatch: a batch larger than the data wraps several epochs; no pairs is an error", () => {
  const { batch, cursor } = nextBatch(["a", "b"], {
    cursor: { epoch: 0, index: 0 },
    batch: 5,
    seed: 0,
  });
  assertEquals(cursor, { epoch: 2, index: 1 });
  assertEquals([...batch.slice(0, 2)].sort(), ["a", "b"]);
  assertEquals([...batch.slice(2, 4)].sort(), ["a", "b"]);
  // a cursor at the end of an epoch starts the next one
  const end = nextBatch(["a", "b"], { cursor: { epoch: 0, index: 2 }, batch: 1, seed: 0 });
  assertEquals(end.cursor, { epoch: 1, index: 1 });
  assertThrows(
    () => nextBatch([], { cursor: { epoch: 0, index: 0 }, batch: 1, seed: 0 }),
    RangeError,
  );
});

Deno.test("loadTrainData: synthetic train and held-out pairs have disjoint prompts", async () => {
  const config = testConfig({ trainSize: 120, testSize: 10 });
  const data = await loadTrainData(config);
  assertGreater(data.train.length, 0);
  assertEquals(data.test.length, 10);
  const held = new Set(data.test.map((p) => p.context[0].content));
  assert(data.train.every((p) => !held.has(p.context[0].content)));
  // counts: raw rows read per split, kept = what the run got (test: before the testSize cut)
  const counts = data.counts as Record<string, { read: number; kept: number }>;
  assertEquals(counts.train.read, 120);
  assertEquals(counts.train.kept, data.train.length);
  assertEquals(counts.test.read, 20); // 2 x testSize raw rows, so the filters leave enough
  assertGreater(counts.test.kept + 1, data.test.length);
  // the default filters: |p| >= 2 and user-last contexts
  assert([...data.train, ...data.test].every((p) => p.strength >= 2));
  assert(data.train.every((p) => p.context.at(-1)!.role === "user"));
});

Deno.test("loadTrainData: deterministic; the fingerprint follows the data", async () => {
  const config = testConfig({ trainSize: 60, testSize: 6 });
  const a = await loadTrainData(config), b = await loadTrainData(config);
  assertEquals(a, b);
  assertEquals(a.fingerprint.length, 64); // hex SHA-256
  const reseeded = await loadTrainData(testConfig({ trainSize: 60, testSize: 6, seed: 1 }));
  assertNotEquals(reseeded.fingerprint, a.fingerprint);
  assertNotEquals(reseeded.train[0].context, a.train[0].context);
  const bigger = await loadTrainData(testConfig({ trainSize: 61, testSize: 6 }));
  assertNotEquals(bigger.fingerprint, a.fingerprint);
});

Deno.test("loadTrainData: a HelpSteer3 file is filtered, then split into train and held-out", async () => {
  // The sample has 11 rows: |p| >= 2 keeps 7, one of them ends on an assistant turn: 6 pairs.
  const config = testConfig({ data: "helpsteer3", dataPath: SAMPLE, testSize: 2 });
  const data = await loadTrainData(config);
  assertEquals(data.counts.train, {
    read: 11,
    kept: 6,
    dropped: { weak_or_tie: 4, not_user_last: 1, domain: 0 },
    duplicates_dropped: 0,
  });
  assertEquals([data.train.length, data.test.length], [4, 2]);
  const trainIds = new Set(data.train.map((p) => p.id));
  assert(data.test.every((p) => !trainIds.has(p.id)), "a held-out pair is also a training pair");
  assertEquals(new Set([...trainIds, ...data.test.map((p) => p.id)]).size, 6);
  assert(data.train.every((p) => p.id.startsWith(SAMPLE + ":")), "ids name file:line");
  // the split is seeded: same seed, same split
  assertEquals(await loadTrainData(config), data);
  // weaker filters keep more
  const loose = await loadTrainData({ ...config, minStrength: 1, requireUserLast: false });
  assertEquals(loose.train.length + loose.test.length, 10);
});

Deno.test("loadTrainData: --test-path gives the held-out set; too few pairs is an error", async () => {
  // a held-out file of new pairs: the sample's rows with other responses
  const dir = await Deno.makeTempDir();
  try {
    const rows = (await Deno.readTextFile(SAMPLE)).trim().split("\n").map((l) => JSON.parse(l));
    const held = `${dir}/held.jsonl`;
    await Deno.writeTextFile(
      held,
      rows.map((r, i) => JSON.stringify({ ...r, response1: `another answer ${i}` })).join("\n"),
    );
    const withTest = await loadTrainData(
      testConfig({ data: "helpsteer3", dataPath: SAMPLE, testPath: held, testSize: 3 }),
    );
    assertEquals([withTest.train.length, withTest.test.length], [6, 3]); // no split of data-path
    assertEquals((withTest.counts.test as { read: number }).read, 11);
    // the same file as both: every held-out pair is a training pair
    await assertRejects(
      () => loadTrainData(testConfig({ data: "helpsteer3", dataPath: SAMPLE, testPath: SAMPLE })),
      UsageError,
      "every held-out pair also appears in --data-path",
    );
    // one pair left after the filters cannot be split
    await Deno.writeTextFile(
      `${dir}/one.jsonl`,
      JSON.stringify(
        rows.find((r) => Math.abs(r.overall_preference) >= 2 && r.context.at(-1).role === "user"),
      ),
    );
    await assertRejects(
      () => loadTrainData(testConfig({ data: "helpsteer3", dataPath: `${dir}/one.jsonl` })),
      UsageError,
      "1 pair after the filters",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
