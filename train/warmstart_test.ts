import { pearson } from "../eval/spearman.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertLessOrEqual,
  assertThrows,
} from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { syntheticSuite } from "../data/synthetic/suite.ts";
import { adamwDispose, adamwInit } from "../grpo/adamw.ts";
import { initBackend } from "../model/backend.ts";
import { packCompletions } from "../model/logprobs.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { decode, VOCAB_SIZE } from "../model/tokenizer.ts";
import { createPrng } from "../rng/prng.ts";
import { TEST_MODEL, testConfig } from "./_testing.ts";
import { loadTrainData } from "./data.ts";
import { judgePromptTokens } from "./judge.ts";
import { optimizerStep } from "./optimize.ts";
import {
  DEFAULT_WARMSTART_CONFIG,
  heldOutSyntheticPairs,
  runWarmStart,
  warmStartExamples,
} from "./warmstart.ts";
import { supervisedLoss } from "./supervised.ts";

const TARGET = /^<critique>(.*): (\d+) err<\/critique><score>(\d+)<\/score>$/;

Deno.test("warmStartExamples: two per row, judge prompt + critique target with an integer score", () => {
  const rows = syntheticSuite({ seed: 4, size: 40 });
  const examples = warmStartExamples(rows, { rng: createPrng(1), contextLength: 64 });
  assertEquals(examples.length, 80);
  rows.forEach((row, r) => {
    [row.response1, row.response2].forEach((response, k) => {
      const e = examples[2 * r + k];
      assertEquals(e.prompt, judgePromptTokens({ context: row.context, response }, 64).tokens);
      const text = decode(e.completion);
      const m = TARGET.exec(text);
      assert(m, text);
      assertEquals(m[1], `${row.answer} vs ${response}`); // recomputed answer vs the response
      assertLessOrEqual(Number(m[3]), 10);
      assertLessOrEqual(e.prompt.length + e.completion.length, 64);
    });
  });
  // seeded
  assertEquals(warmStartExamples(rows, { rng: createPrng(1), contextLength: 64 }), examples);
});

Deno.test("warmStartExamples: scores cover 0..10 uniformly and ignore the hidden quality", () => {
  const rows = syntheticSuite({ seed: 0, size: 500 });
  const examples = warmStartExamples(rows, { rng: createPrng(2), contextLength: 64 });
  const scores = examples.map((e) => Number(TARGET.exec(decode(e.completion))![3]));
  const quality = rows.flatMap((r) => [r.quality1, r.quality2]);
  const errors = examples.map((e) => Number(TARGET.exec(decode(e.completion))![2]));
  // n = 1000 draws of U{0..10}: each value ~ 90.9 +/- 9.1 (sd); tolerance 40 (> 4 sd)
  for (let s = 0; s <= 10; s++) {
    const count = scores.filter((x) => x === s).length;
    assertLess(Math.abs(count - 1000 / 11), 40, `score ${s}: ${count}`);
  }
  // independent of quality: the sample correlation of n = 1000 independent draws has sd
  // 1/sqrt(1000) = 0.032; tolerance 0.13 (4 sd). The critique's error count, in contrast,
  // tracks quality (it is how quality is defined), so the test can tell the two apart.
  assertLess(Math.abs(pearson(scores, quality)), 0.13);
  assertLess(Math.abs(pearson(scores, errors)), 0.13);
  assertLess(pearson(errors, quality), -0.5);
});

Deno.test("warmStartExamples: an example that does not fit the context is an error naming the row", () => {
  const rows = syntheticSuite({ seed: 4, size: 3 });
  assertThrows(
    () => warmStartExamples(rows, { rng: createPrng(1), contextLength: 24 }),
    RangeError,
    `row "${rows[0].id}"`,
  );
});

Deno.test("supervisedLoss: token-mean NLL over completion tokens only", async () => {
  await initBackend("wasm");
  const params = initParams(TEST_MODEL, createPrng(5));
  const [a, b] = warmStartExamples(syntheticSuite({ seed: 1, size: 1 }), {
    rng: createPrng(1),
    contextLength: 64,
  });
  const loss = async (rows: typeof a[]) => {
    const batch = packCompletions(rows);
    const l = supervisedLoss({ params, config: TEST_MODEL }, batch);
    const value = (await l.data())[0];
    tf.dispose([l, batch.tokens, batch.mask]);
    return value;
  };
  const la = await loss([a]), lb = await loss([b]), lab = await loss([a, b]);
  // token mean: weights by completion length, not one weight per sequence
  const na = a.completion.length, nb = b.completion.length;
  assert(na !== nb || la === lb);
  assertAlmostEquals(lab, (na * la + nb * lb) / (na + nb), 1e-5);
  // a fresh model is near uniform over the vocabulary: NLL ~ ln(104) = 4.644
  assertAlmostEquals(la, Math.log(VOCAB_SIZE), 0.1);
  disposeParams(params);
});

Deno.test("supervisedLoss: 20 AdamW steps overfit a fixed small batch", async () => {
  await initBackend("wasm");
  const params = initParams(TEST_MODEL, createPrng(6));
  let optimizer = adamwInit(params);
  const examples = warmStartExamples(syntheticSuite({ seed: 2, size: 2 }), {
    rng: createPrng(1),
    contextLength: 64,
  });
  const batch = packCompletions(examples);
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const result = await optimizerStep({ params }, {
      state: optimizer,
      lossFn: () => supervisedLoss({ params, config: TEST_MODEL }, batch),
      lr: 1e-2,
      weightDecay: 0,
      gradClip: 1,
    });
    optimizer = result.state;
    losses.push(result.loss);
  }
  // from ~ln(104) = 4.6 to well under half of it
  assertLess(losses[19], 0.5 * losses[0]);
  assertLess(
    losses.slice(15).reduce((a, b) => a + b) / 5,
    losses.slice(0, 5).reduce((a, b) => a + b) / 5,
  );
  tf.dispose([batch.tokens, batch.mask]);
  adamwDispose(optimizer);
  disposeParams(params);
});

Deno.test("heldOutSyntheticPairs: the trainer's held-out pairs (same rows, same filters)", async () => {
  const data = await loadTrainData(testConfig({ testSize: 10 }));
  assertEquals(heldOutSyntheticPairs(0, 20).slice(0, 10), data.test);
  // the test stream does not depend on how many rows are drawn: shorter is a prefix
  const longer = heldOutSyntheticPairs(0, 40);
  const shorter = heldOutSyntheticPairs(0, 20);
  assertEquals(longer.slice(0, shorter.length), shorter);
});

Deno.test("runWarmStart: a 3-step recipe calls back, evaluates on schedule, is reproducible", async () => {
  await initBackend("wasm");
  const recipe = {
    ...DEFAULT_WARMSTART_CONFIG,
    preset: "tiny",
    steps: 3,
    batchSize: 4,
    warmupSteps: 1,
    trainRows: 6,
    testRows: 12,
    evalEvery: 2,
    evalPairs: 2,
    maxNewTokens: 8,
  };
  const events: string[] = [];
  const result = await runWarmStart(recipe, {
    onStep: (p) => events.push(`step ${p.step}`),
    onEval: (step, e) => {
      events.push(`eval ${step} n ${e.report.overall.n}`);
    },
  });
  assertEquals(events, ["step 1", "step 2", "eval 2 n 2", "step 3", "eval 3 n 2"]);
  assertEquals(result.history.map((h) => h.step), [1, 2, 3]);
  assert(result.history.every((h) => Number.isFinite(h.loss) && h.gradNorm > 0));
  assertEquals(result.optimizer.step, 3);
  assertEquals(result.config.width, 32);
  const again = await runWarmStart(recipe);
  assertEquals(again.history.map((h) => h.loss), result.history.map((h) => h.loss));
  for (const r of [result, again]) {
    disposeParams(r.params);
    adamwDispose(r.optimizer);
  }
});
