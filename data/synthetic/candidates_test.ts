import { assert, assertEquals, assertThrows } from "@std/assert";
import { JUDGE_MAX_LENGTH, judgeCompletion, judgeLength, judgePrompt } from "../judge_prompt.ts";
import { syntheticCandidates } from "./candidates.ts";
import { syntheticCritique, syntheticQuality } from "./score.ts";

Deno.test("syntheticCandidates: deterministic, n distinct texts, qualities recomputed, spread", () => {
  const sets = syntheticCandidates({ seed: 0, n: 8, count: 300 });
  assertEquals(sets, syntheticCandidates({ seed: 0, n: 8, count: 300 }));
  assertEquals(sets[3].id, "c0-3");
  for (const set of sets) {
    assertEquals(set.candidates.length, 8);
    assertEquals(new Set(set.candidates.map((c) => c.text)).size, 8, set.prompt);
    const qualities = set.candidates.map((c) => c.quality);
    assertEquals(qualities, set.candidates.map((c) => syntheticQuality(set, c.text)));
    assertEquals(Math.max(...qualities), 10); // candidate 0 has k = 0 edits: the answer itself
    assert(new Set(qualities).size >= 2, set.prompt);
    for (const { text } of set.candidates) {
      const context = [{ role: "user" as const, content: set.prompt }];
      const length = judgeLength(
        judgePrompt(context, text) + judgeCompletion(syntheticCritique(set, text), 10),
      );
      assert(length <= JUDGE_MAX_LENGTH, `${length}`);
    }
  }
  // seed 0 measured: 597 of 600 sets reach a quality <= 3; require most of these 300
  assert(sets.filter((s) => Math.min(...s.candidates.map((c) => c.quality)) <= 3).length > 270);
  // the correct answer is not always in the same slot (shuffled)
  assert(new Set(sets.map((s) => s.candidates.findIndex((c) => c.quality === 10))).size > 4);
});

Deno.test("syntheticCandidates: domain option and bad arguments", () => {
  const sets = syntheticCandidates({ seed: 1, n: 3, count: 20, domain: "arith" });
  assert(sets.every((s) => s.domain === "arith" && s.prompt.endsWith("=")));
  assertEquals(syntheticCandidates({ seed: 1, n: 1, count: 2 })[0].candidates[0].quality, 10);
  assertThrows(() => syntheticCandidates({ seed: 1, n: 0, count: 1 }), RangeError, "got 0");
  assertThrows(
    () => syntheticCandidates({ seed: 1, n: 2, count: 1, domain: "x" }),
    RangeError,
    '"x"',
  );
});
