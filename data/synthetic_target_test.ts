import { assert, assertEquals, assertMatch } from "@std/assert";
import { pearson } from "../eval/spearman.ts";
import { createPrng } from "../rng/prng.ts";
import { syntheticSuite } from "./synthetic/suite.ts";
import {
  mirroredWarmStartTarget,
  WARM_START_TARGETS,
  warmStartTarget,
} from "./synthetic_target.ts";

Deno.test("warmStartTarget: format and critique by hand", () => {
  const target = warmStartTarget({ answer: "tmqk" }, { response: "mqk", rng: createPrng(0) });
  assertMatch(target, /^<critique>tmqk vs mqk: 4 err<\/critique><score>(\d|10)<\/score>$/);
});

Deno.test("warmStartTarget: scores uniform on 0..10 and uncorrelated with quality (5000 draws)", () => {
  const rows = syntheticSuite({ seed: 1, size: 2500 });
  const rng = createPrng(99);
  const qualities: number[] = [], scores: number[] = [];
  for (const row of rows) {
    for (
      const [response, quality] of [[row.response1, row.quality1], [
        row.response2,
        row.quality2,
      ]] as const
    ) {
      const score = Number(
        /<score>(\d+)<\/score>/.exec(warmStartTarget(row, { response, rng }))![1],
      );
      qualities.push(quality);
      scores.push(score);
    }
  }
  assertEquals(scores.length, 5000);
  // each value expected 5000/11 = 454.5 times, sd = sqrt(5000 * (1/11) * (10/11)) = 20.3; 5 sd
  for (let s = 0; s <= 10; s++) {
    const count = scores.filter((x) => x === s).length;
    assert(Math.abs(count - 5000 / 11) < 102, `score ${s}: ${count}`);
  }
  // independence: sample correlation has sd ~ 1/sqrt(5000) = 0.014; 0.06 is > 4 sd
  const r = pearson(qualities, scores);
  assert(Math.abs(r) < 0.06, `correlation ${r}`);
  // the check can fail: a leaky target (score = quality, noisy) is strongly correlated
  const leaky = qualities.map((q) => Math.min(10, q + rng.int(3)));
  assert(pearson(qualities, leaky) > 0.9);
});

Deno.test("mirroredWarmStartTarget: score is q or 10 - q, each about half the time, mean 5 for every quality", () => {
  const rows = syntheticSuite({ seed: 3, size: 2500 });
  const rng = createPrng(7);
  const byQuality = new Map<number, number[]>();
  let mirrored = 0, total = 0;
  for (const row of rows) {
    for (
      const [response, q] of [[row.response1, row.quality1], [row.response2, row.quality2]] as const
    ) {
      const s = Number(
        /<score>(\d+)<\/score>/.exec(mirroredWarmStartTarget(row, { response, rng }))![1],
      );
      assert(s === q || s === 10 - q, `quality ${q} gave score ${s}`);
      if (q !== 5) {
        total++;
        if (s === 10 - q) mirrored++;
      }
      byQuality.set(q, [...(byQuality.get(q) ?? []), s]);
    }
  }
  // the coin: mirrored fraction within 5 sd (sd = 0.5 / sqrt(total)) of 1/2
  assert(Math.abs(mirrored / total - 0.5) < 5 * 0.5 / Math.sqrt(total), `${mirrored}/${total}`);
  // per quality level with at least 200 draws, the mean score is 5 within 5 sd of the two-point law
  for (const [q, scores] of byQuality) {
    if (scores.length < 200) continue;
    const mean = scores.reduce((a, b) => a + b) / scores.length;
    const sd = Math.abs(q - 5) / Math.sqrt(scores.length);
    assert(Math.abs(mean - 5) <= 5 * sd + 1e-9, `quality ${q}: mean ${mean} over ${scores.length}`);
  }
  assertEquals(WARM_START_TARGETS.mirrored, mirroredWarmStartTarget);
  assertEquals(WARM_START_TARGETS.independent, warmStartTarget);
});
