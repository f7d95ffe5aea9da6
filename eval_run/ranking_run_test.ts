import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { MODEL_KINDS } from "../baselines/judge_checkpoint.ts";
import { initScalarHead } from "../baselines/scalar_head.ts";
import { syntheticCandidates } from "../data/synthetic/candidates.ts";
import { rankingBench } from "./ranking_bench.ts";
import { rankingRatios, rankPointwise, scorePicks } from "./ranking_run.ts";
import { rankMarkdown } from "./report.ts";

const tiny = presetConfig("tiny");
const judges = () =>
  MODEL_KINDS.map((kind, i) => {
    const body = initParams(tiny, createPrng(i));
    const params = kind === "scalar" ? { ...body, ...initScalarHead(tiny, createPrng(7)) } : body;
    return { kind, params, config: tiny, name: kind };
  });

Deno.test("rankingBench: measured calls are n, n (n - 1) and n per set; oracle is the answer", async () => {
  await initBackend("wasm");
  const all = judges();
  const rows = await rankingBench(all, { ns: [2, 4], sets: 3, maxNewTokens: 8 });
  const calls = Object.fromEntries(rows.map((r) => [`${r.kind}@${r.n}`, r.calls]));
  assertEquals(calls, {
    "pointwise@2": 6, // 2 candidates x 3 sets
    "pairwise@2": 6, // 2 x 1 ordered pairs x 3 sets
    "scalar@2": 6,
    "pointwise@4": 12,
    "pairwise@4": 36, // 4 x 3 ordered pairs x 3 sets
    "scalar@4": 12,
  });
  // Every set holds the uncorrupted answer (quality 10), so the oracle's mean is 10.
  assert(rows.every((r) => r.oracleQuality === 10 && r.pickedQuality <= 10 && r.seconds >= 0));
  const ratios = rankingRatios(rows);
  assertEquals(
    ratios.filter((r) => r.judge === "pairwise").map((r) => [r.n, r.callRatio]),
    [[2, 1], [4, 3]],
  );
  assert(rankMarkdown(rows).includes("## Cost ratios against the pointwise GRM"));
  // Sampled voting: k generations per candidate, and no greedy pass on top.
  const sets = syntheticCandidates({ seed: 0, n: 3, count: 2 });
  const picks = await rankPointwise(all[0], sets, { k: 2, maxNewTokens: 6 });
  assertEquals([picks.calls, picks.picks.length], [12, 2]);
  all.forEach((j) => disposeParams(j.params));
});

Deno.test("rankingBench and scorePicks: bad input", async () => {
  await assertRejects(
    () => rankingBench([], { ns: [1] }),
    RangeError,
    "n must be an integer >= 2, got 1",
  );
  await assertRejects(() => rankingBench([], { sets: 0 }), RangeError, "sets must be >= 1");
  assertThrows(
    () => scorePicks([{ candidates: [{ quality: 1 }] }], []),
    RangeError,
    "0 picks for 1 sets",
  );
});
