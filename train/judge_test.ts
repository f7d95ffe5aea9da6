import { assert, assertEquals, assertGreater, assertLessOrEqual, assertThrows } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { judgePrompt } from "../data/judge_prompt.ts";
import { parseJudgment } from "../irpm/parse.ts";
import { initBackend } from "../model/backend.ts";
import { disposeParams, initParams, type TrainableParams } from "../model/params.ts";
import { BOS_ID, decode, encode, EOS_ID, SCORE_CLOSE_ID } from "../model/tokenizer.ts";
import { createPrng } from "../rng/prng.ts";
import { formatTrainedParams, TEST_MODEL, testConfig } from "./_testing.ts";
import { loadTrainData } from "./data.ts";
import { evaluatePairs } from "./evaluate.ts";
import type { ResponseItem } from "../data/types.ts";
import { judgeItems, judgePromptTokens } from "./judge.ts";

const data = await loadTrainData(testConfig());
const items: ResponseItem[] = data.test.slice(0, 3).flatMap((p) => [
  { context: p.context, response: p.chosen },
  { context: p.context, response: p.rejected },
]);

let trained: Promise<TrainableParams> | undefined;
/** One format-trained model for the whole file (it writes valid judgments most of the time). */
const model = async () => {
  await initBackend("wasm");
  trained ??= formatTrainedParams(data.train);
  return { params: await trained, config: TEST_MODEL };
};

Deno.test("judgePromptTokens: BOS + the whole prompt when it fits", () => {
  const item = { context: [{ role: "user" as const, content: "12+3=" }], response: "15" };
  const body = encode(judgePrompt(item.context, item.response)); // "Q:12+3=\nA:15\n": 13 tokens
  assertEquals(body.length, 13);
  assertEquals(judgePromptTokens(item, 64), { tokens: [BOS_ID, ...body], truncated: false });
  // exactly full: 1 + 13 = 14 tokens, not truncated
  assertEquals(judgePromptTokens(item, 14), { tokens: [BOS_ID, ...body], truncated: false });
});

Deno.test("judgePromptTokens: a long prompt keeps BOS and its LAST tokens", () => {
  const item = { context: [{ role: "user" as const, content: "12+3=" }], response: "15" };
  const body = encode(judgePrompt(item.context, item.response));
  for (const maxLength of [13, 6, 2]) {
    const { tokens, truncated } = judgePromptTokens(item, maxLength);
    assert(truncated);
    assertEquals(tokens.length, maxLength);
    assertEquals(tokens[0], BOS_ID);
    assertEquals(tokens.slice(1), body.slice(body.length - (maxLength - 1)));
  }
  // maxLength 6: the last 5 tokens of "Q:12+3=\nA:15\n" are "A:15\n"
  assertEquals(decode(judgePromptTokens(item, 6).tokens.slice(1)), "A:15\n");
  assertThrows(() => judgePromptTokens(item, 1), RangeError, "got 1");
});

Deno.test("judgeItems: item-major rows, G per item, texts and judgments consistent", async () => {
  const m = await model();
  const maxNewTokens = 12;
  const out = await judgeItems(m, items, { rollouts: 3, maxNewTokens, rng: createPrng(4) });
  assertEquals(out.length, items.length * 3);
  assertEquals(out.map((r) => r.item), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]);
  for (const r of out) {
    assertEquals(r.promptTokens, judgePromptTokens(items[r.item], 64 - maxNewTokens).tokens);
    assertEquals(r.text, decode(r.tokens));
    assertEquals(r.logProbs.length, r.tokens.length);
    assert(r.logProbs.every((lp) => Number.isFinite(lp) && lp <= 0));
    assertLessOrEqual(r.tokens.length, maxNewTokens);
    const last = r.tokens.at(-1);
    assertEquals(r.stopped, last === SCORE_CLOSE_ID || last === EOS_ID);
    if (!r.stopped) assertEquals(r.tokens.length, maxNewTokens);
    assertEquals(r.judgment, parseJudgment(r.text));
  }
  // the trained model writes some valid judgments, so the check above is not only on failures
  assertGreater(out.filter((r) => r.judgment.valid).length, 0);
  // seeded: the same rng seed gives the same rollouts
  const again = await judgeItems(m, items, { rollouts: 3, maxNewTokens, rng: createPrng(4) });
  assertEquals(again.map((r) => r.text), out.map((r) => r.text));
});

Deno.test("judgeItems: greedy is deterministic, and chunking prompts changes nothing", async () => {
  const m = await model();
  const greedy = await judgeItems(m, items, { rollouts: 2, greedy: true, maxNewTokens: 10 });
  for (let i = 0; i < items.length; i++) {
    assertEquals(greedy[2 * i].tokens, greedy[2 * i + 1].tokens, `item ${i}: greedy rollouts`);
  }
  const chunked = await judgeItems(m, items, {
    rollouts: 2,
    greedy: true,
    maxNewTokens: 10,
    batchPrompts: 4, // chunks of 4 and 2 items: item indices continue across chunks
  });
  assertEquals(chunked.map((r) => r.item), greedy.map((r) => r.item));
  assertEquals(chunked.map((r) => r.text), greedy.map((r) => r.text));
});

Deno.test("judgeItems: the token cap leaves room for BOS + one prompt token", async () => {
  await initBackend("wasm");
  const params = initParams(TEST_MODEL, createPrng(3));
  try {
    const out = await judgeItems({ params, config: TEST_MODEL }, items.slice(0, 1), {
      greedy: true,
      maxNewTokens: 1000, // capped at contextLength - 2 = 62
    });
    assertEquals(out[0].promptTokens.length, 2);
    assertLessOrEqual(out[0].tokens.length, 62);
  } finally {
    disposeParams(params);
  }
});

Deno.test("evaluatePairs: outcomes from the two greedy scores, accuracy their mean", async () => {
  const m = await model();
  const pairs = data.test.slice(0, 4);
  const before = tf.memory().numTensors;
  const e = await evaluatePairs(m, pairs, { maxNewTokens: 10 });
  assertEquals(tf.memory().numTensors, before);
  assertEquals(e.pairs.map((p) => p.id), pairs.map((p) => p.id));
  let valid = 0;
  for (const p of e.pairs) {
    assertEquals(p.chosenScore, parseJudgment(p.chosenText).score);
    assertEquals(p.rejectedScore, parseJudgment(p.rejectedText).score);
    valid += Number(p.chosenScore !== null) + Number(p.rejectedScore !== null);
    const expected = p.chosenScore === null || p.rejectedScore === null
      ? 0
      : p.chosenScore > p.rejectedScore
      ? 1
      : p.chosenScore === p.rejectedScore
      ? 0.5
      : 0;
    assertEquals(p.outcome, expected);
  }
  assertEquals(e.formatValidRate, valid / 8);
  const mean = e.pairs.reduce((a, p) => a + p.outcome, 0) / 4;
  assertEquals(e.report.overall.accuracy, mean);
});
