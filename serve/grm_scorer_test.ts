/**
 * The scorer on the shipped checkpoint (no stand-in model): batching never changes a result,
 * greedy or voting@k, and greedy scores equal the kit's judge (`judgeItems`, as eval runs it).
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { readoutScores } from "../eval_run/pointwise_scores.ts";
import { initBackend } from "../model/backend.ts";
import { disposeParams } from "../model/params.ts";
import { loadJudgeModel } from "../baselines/judge_checkpoint.ts";
import { heldOutSyntheticPairs } from "../train/warmstart.ts";
import { judgeItems } from "../train/judge.ts";
import { uniqueResponses } from "../eval_run/responses.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "../eval_run/pointwise_eval.ts";
import { createGrmScorer } from "./grm_scorer.ts";

const CHECKPOINT = new URL("../checkpoints/warmstart-small", import.meta.url).pathname;
// 40 responses of mixed prompt lengths (13 to 26 tokens): padding differs between batch-mates
const items = uniqueResponses(heldOutSyntheticPairs(0, 40).slice(0, 20)).items;

async function withModel(
  fn: (model: Awaited<ReturnType<typeof loadJudgeModel>>) => Promise<void>,
): Promise<void> {
  await initBackend("wasm");
  const model = await loadJudgeModel(CHECKPOINT);
  try {
    await fn(model);
  } finally {
    disposeParams(model.params);
  }
}

Deno.test("greedy: one batch of 40 equals 40 calls of one, text for text", async () => {
  await withModel(async (model) => {
    const options = { votes: 1, seed: 0, maxNewTokens: POINTWISE_MAX_NEW_TOKENS, maxBatch: 64 };
    const calls: number[] = [];
    const scorer = createGrmScorer(model, { ...options, onCall: (n) => calls.push(n) });
    const [batched] = await scorer([items]);
    assertEquals(calls, [items.length]);
    const alone = [];
    for (const item of items) alone.push((await scorer([[item]]))[0][0]);
    assertEquals(batched, alone);
    // and three jobs in one call give each job what it gets alone
    const jobs = [items.slice(0, 7), items.slice(7, 8), items.slice(8)];
    assertEquals((await scorer(jobs)).flat(), alone);
    // the same scores as the kit's judge at batch size 1 (no padding at all)
    const reference = await judgeItems(model, items, {
      greedy: true,
      maxNewTokens: POINTWISE_MAX_NEW_TOKENS,
      batchPrompts: 1,
    });
    assertEquals(batched.map((s) => s.texts[0]), reference.map((r) => r.text));
    assertEquals(batched.map((s) => s.score), reference.map((r) => r.judgment.score));
    assert(new Set(batched.map((s) => s.score)).size > 1, "scores should not all be equal");
  });
});

Deno.test("voting@3: a job's samples do not depend on its batch-mates; the seed matters", async () => {
  await withModel(async (model) => {
    const options = { votes: 3, seed: 5, maxNewTokens: POINTWISE_MAX_NEW_TOKENS, maxBatch: 64 };
    const scorer = createGrmScorer(model, options);
    const job = items.slice(0, 10);
    const [alone] = await scorer([job]);
    const together = await scorer([items.slice(20, 33), job, items.slice(33)]);
    assertEquals(together[1], alone);
    for (const s of alone) {
      assertEquals(s.scores.length, 3);
      const valid = s.scores.filter((x): x is number => x !== null);
      assertEquals(s.score, valid.length ? valid.reduce((a, b) => a + b) / valid.length : null);
    }
    const [reseeded] = await createGrmScorer(model, { ...options, seed: 6 })([job]);
    assertNotEquals(reseeded.map((s) => s.texts), alone.map((s) => s.texts));
  });
});

Deno.test("a job larger than maxBatch runs in slices of maxBatch, with the same greedy result", async () => {
  await withModel(async (model) => {
    const calls: number[] = [];
    const options = { votes: 1, seed: 0, maxNewTokens: POINTWISE_MAX_NEW_TOKENS };
    const [sliced] = await createGrmScorer(model, {
      ...options,
      maxBatch: 16,
      onCall: (n) => calls.push(n),
    })([items]);
    assertEquals(calls, [16, 16, 8]);
    const [whole] = await createGrmScorer(model, { ...options, maxBatch: 64 })([items]);
    assertEquals(sliced, whole);
  });
});

Deno.test("expected readout: batching changes no score; equal to the eval path within 1e-4", async () => {
  await withModel(async (model) => {
    const options = {
      votes: 1,
      seed: 0,
      maxNewTokens: POINTWISE_MAX_NEW_TOKENS,
      maxBatch: 64,
      readout: "expected" as const,
    };
    const scorer = createGrmScorer(model, options);
    const [batched] = await scorer([items]);
    const alone = [];
    for (const item of items.slice(0, 8)) alone.push((await scorer([[item]]))[0][0]);
    assertEquals(batched.slice(0, 8), alone); // bit for bit
    // the eval CLI's readout of the same greedy texts (its own padding: last bits only)
    const reference = await readoutScores(model, {
      items,
      greedy: batched.map((s) => ({ score: s.scores[0], text: s.texts[0] })),
    }, { readout: "expected", maxNewTokens: POINTWISE_MAX_NEW_TOKENS });
    batched.forEach((s, i) => assertAlmostEquals(s.score!, reference[i]!, 1e-4));
    assert(batched.some((s) => !Number.isInteger(s.score)), "expected scores are not digits");
    assertThrows(() => createGrmScorer(model, { ...options, votes: 2 }), RangeError, "votes is 2");
  });
});
