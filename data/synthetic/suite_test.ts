import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { createPrng } from "../../rng/prng.ts";
import { helpSteer3Pairs, parseHelpSteer3 } from "../helpsteer3.ts";
import { DataError } from "../jsonl.ts";
import { JUDGE_MAX_LENGTH, judgeCompletion, judgeLength, judgePrompt } from "../judge_prompt.ts";
import { warmStartTarget } from "../synthetic_target.ts";
import { SYNTHETIC_DOMAINS } from "./domains.ts";
import { syntheticCritique, syntheticPreference, syntheticQuality } from "./score.ts";
import {
  parseSyntheticJsonl,
  syntheticJsonl,
  syntheticPairs,
  syntheticSplits,
  syntheticSuite,
} from "./suite.ts";
import { SYNTHETIC_SAMPLE } from "./write_sample.ts";

const SUITE = syntheticSuite({ seed: 0, size: 2000 });

Deno.test("syntheticSuite: deterministic by seed; another seed differs", () => {
  assertEquals(syntheticSuite({ seed: 5, size: 50 }), syntheticSuite({ seed: 5, size: 50 }));
  assertNotEquals(syntheticSuite({ seed: 5, size: 50 }), syntheticSuite({ seed: 6, size: 50 }));
  // a prefix of a longer suite is the shorter suite (rows are drawn in order from one stream)
  assertEquals(SUITE.slice(0, 24), syntheticSuite({ seed: 0, size: 24 }));
  assertThrows(() => syntheticSuite({ seed: 0, size: -1 }), RangeError, "got -1");
  assertThrows(() => syntheticSuite({ seed: 0.5, size: 1 }), TypeError);
});

Deno.test("checked-in sample equals a fresh regeneration byte for byte, and parses back", async () => {
  const text = await Deno.readTextFile(SYNTHETIC_SAMPLE.path);
  const rows = syntheticSuite({ seed: SYNTHETIC_SAMPLE.seed, size: SYNTHETIC_SAMPLE.size });
  assertEquals(text, syntheticJsonl(rows), "rerun: deno run -A data/synthetic/write_sample.ts");
  assertEquals(parseSyntheticJsonl(text, "sample"), rows);
  assert(text.startsWith('{"id":"s0-0","domain":"sort","context":[{"role":"user","content":'));
  const bad = text.replace('"quality1":10', '"quality1":11');
  assertThrows(
    () => parseSyntheticJsonl(bad, "s.jsonl"),
    DataError,
    'field "quality1": expected an integer in 0..10, got 11',
  );
});

Deno.test("every row is consistent: answer solves the prompt, qualities and label recomputed", () => {
  for (const row of SUITE) {
    const prompt = row.context[0].content;
    assertEquals(SYNTHETIC_DOMAINS[row.domain].solve(prompt), row.answer);
    assertEquals(row.quality1, syntheticQuality(row, row.response1));
    assertEquals(row.quality2, syntheticQuality(row, row.response2));
    assertEquals(row.overall_preference, syntheticPreference(row.quality1, row.quality2));
    assertNotEquals(row.response1, row.response2);
    assert(row.response1.length >= 1 && row.response1.length <= row.answer.length + 2);
  }
});

Deno.test("label distribution (2000 rows) includes ties and weak pairs, both signs balanced", () => {
  const count = (test: (p: number) => boolean) =>
    SUITE.filter((r) => test(r.overall_preference)).length / SUITE.length;
  // seed 0 measured: ties 17.7%, weak 10.0%, |p| = 2: 34.5%, |p| = 3: 37.8%
  const ties = count((p) => p === 0), weak = count((p) => Math.abs(p) === 1);
  assert(ties > 0.1 && ties < 0.3, `ties ${ties}`);
  assert(weak > 0.05 && weak < 0.2, `weak ${weak}`);
  assert(count((p) => Math.abs(p) === 2) > 0.2 && count((p) => Math.abs(p) === 3) > 0.2);
  // symmetric construction: P(p < 0 | p != 0) = 0.5; sd = sqrt(0.25 / 1646) = 0.012, 4 sd = 0.05
  assertAlmostEquals(count((p) => p < 0) / (1 - ties), 0.5, 0.05);
  for (const domain of Object.keys(SYNTHETIC_DOMAINS)) {
    assert(SUITE.filter((r) => r.domain === domain).length > 500, domain);
  }
});

Deno.test("length budget: judge prompt + critique target <= 64 symbols for all 4000 responses", () => {
  const rng = createPrng(0);
  let longest = 0;
  for (const row of SUITE) {
    for (const response of [row.response1, row.response2]) {
      const prompt = judgePrompt(row.context, response);
      const sampled = judgeLength(prompt + warmStartTarget(row, { response, rng }));
      const worst = judgeLength(prompt + judgeCompletion(syntheticCritique(row, response), 10));
      assert(sampled <= worst && worst <= JUDGE_MAX_LENGTH, `${worst}: ${prompt}`);
      // raw characters: each of the 4 tags adds its length - 1 (9 + 10 + 6 + 7 = 32)
      assert((prompt + warmStartTarget(row, { response, rng })).length <= JUDGE_MAX_LENGTH + 32);
      assert(/^[a-z0-9+\-= :\nQA<>/]+$/.test(prompt + judgeCompletion("", 10)), prompt);
      longest = Math.max(longest, worst);
    }
  }
  assert(longest > 40, `suspiciously short: ${longest}`);
});

Deno.test("syntheticPairs reuses the HelpSteer3 conversion: same pairs as loading the rows", () => {
  const options = { seed: 0, size: 24 };
  const { pairs, counts } = syntheticPairs(options);
  const loaded = helpSteer3Pairs(parseHelpSteer3(syntheticJsonl(syntheticSuite(options)), "s"));
  assertEquals(counts, loaded.counts);
  assertEquals(
    pairs.map(({ meta: _, ...pair }) => pair),
    loaded.pairs.map(({ meta: _, ...pair }) => pair),
  );
  const big = syntheticPairs({ seed: 0, size: 2000 });
  const { read, kept, dropped } = big.counts;
  assertEquals(read, kept + dropped.weak_or_tie + dropped.not_user_last + dropped.domain);
  assertEquals(
    dropped.weak_or_tie,
    SUITE.filter((r) => Math.abs(r.overall_preference) <= 1).length,
  );
  for (const pair of big.pairs) {
    const meta = pair.meta as { answer: string; qualityChosen: number; qualityRejected: number };
    assertEquals(meta.qualityChosen, syntheticQuality(meta, pair.chosen));
    assertEquals(meta.qualityRejected, syntheticQuality(meta, pair.rejected));
    assert(meta.qualityChosen - meta.qualityRejected >= 3 && pair.strength >= 2);
  }
  const all = syntheticPairs({ seed: 0, size: 200, filters: { minStrength: 0 } });
  assertEquals(all.counts.kept, 200);
  assert(all.pairs.some((p) => p.meta?.tie === true));
});

Deno.test("domains option restricts the suite; unknown names are rejected", () => {
  const rows = syntheticSuite({ seed: 1, size: 100, domains: ["reverse"] });
  assert(rows.every((r) => r.domain === "reverse" && r.context[0].content.startsWith("rev ")));
  assertThrows(
    () => syntheticSuite({ seed: 1, size: 1, domains: ["copy"] }),
    RangeError,
    'unknown synthetic domain "copy"',
  );
});

Deno.test("syntheticSplits: disjoint prompts; test rows independent of the train size", () => {
  const { train, test } = syntheticSplits({ seed: 7, train: 3000, test: 3000, domains: ["arith"] });
  assertEquals([train.length, test.length], [3000, 3000]);
  const held = new Set(test.map((r) => r.context[0].content));
  assert(train.every((r) => !held.has(r.context[0].content)));
  assertEquals(train[0].id, "s7-train-0");
  // the arith prompt space (15,050) is small enough that unfiltered draws would collide
  const naive = syntheticSuite({ seed: 8, size: 3000, domains: ["arith"] });
  assert(naive.some((r) => held.has(r.context[0].content)));
  const small = syntheticSplits({ seed: 7, train: 5, test: 3000, domains: ["arith"] });
  assertEquals(small.test, test);
  const mixed = syntheticSplits({ seed: 7, train: 200, test: 100 });
  assertEquals(new Set(mixed.train.map((r) => r.domain)).size, 3);
});
