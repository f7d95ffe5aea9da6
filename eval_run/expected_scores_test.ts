import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { loadModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { SHIPPED_WARMSTARTS } from "../train/policy_init.ts";
import { completionLogProbs, packCompletions } from "../model/logprobs.ts";
import { encode, SCORE_CLOSE_ID } from "../model/tokenizer.ts";
import { judgeItems } from "../train/judge.ts";
import { expectedScore } from "../eval/score_readout.ts";
import { expectedScoreReadouts, readoutPrefix } from "./expected_scores.ts";

await initBackend("wasm");
const model = await loadModelCheckpoint(SHIPPED_WARMSTARTS.small.pathname);
const MAX_NEW = 36;
const items = [
  { context: [{ role: "user" as const, content: "12+30=" }], response: "42" },
  { context: [{ role: "user" as const, content: "reverse: abc" }], response: "cba" },
  { context: [{ role: "user" as const, content: "sort: 3 1 2" }], response: "1 3 2" },
];

Deno.test("readout: each score string's probability equals an independent full-sequence log-prob", async () => {
  const judged = await judgeItems(model, items, { greedy: true, maxNewTokens: MAX_NEW });
  const texts = judged.map((j) => j.text);
  const before = tf.memory().numTensors;
  const readouts = await expectedScoreReadouts(model, { items, judgments: texts }, {
    maxNewTokens: MAX_NEW,
  });
  assertEquals(tf.memory().numTensors, before, "no tensor left behind");
  const room = model.config.contextLength - MAX_NEW;
  for (const [i, d] of readouts.entries()) {
    assert(d !== null, `item ${i}: ${texts[i]}`);
    // reference: log P(s</score> | prefix) from one forward pass over the whole sequence
    const prefix = readoutPrefix({ item: items[i], judgment: texts[i] }, room)!;
    const strings = Array.from({ length: 11 }, (_, s) => String(s));
    const batch = packCompletions(
      strings.map((s) => ({ prompt: prefix, completion: [...encode(s), SCORE_CLOSE_ID] })),
    );
    const lp = completionLogProbs(model, {
      tokens: batch.tokens,
      mask: batch.mask,
    });
    const rows = await lp.array();
    tf.dispose([lp, batch.tokens, batch.mask]);
    const p = rows.map((r) => Math.exp(r.reduce((a, x) => a + x, 0)));
    const total = p.reduce((a, x) => a + x, 0);
    assertAlmostEquals(d.mass, total, 1e-4);
    for (let s = 0; s <= 10; s++) assertAlmostEquals(d.probabilities[s], p[s] / total, 1e-4);
    // the greedy score is a score the model gives real weight to
    const greedy = judged[i].judgment.score!;
    assert(
      d.probabilities[d.values.indexOf(greedy)] > 0.05,
      `greedy ${greedy}: ${d.probabilities}`,
    );
    const e = expectedScore(d);
    assert(e >= 0 && e <= 10);
  }
});

Deno.test("readout: a judgment without <score> has none", async () => {
  const out = await expectedScoreReadouts(model, {
    items: items.slice(0, 1),
    judgments: ["<critique>cut off"],
  }, {
    maxNewTokens: MAX_NEW,
  });
  assertEquals(out, [null]);
});
