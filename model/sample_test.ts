import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertLess, assertNotEquals, assertRejects } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { TEST_BACKENDS, testOnBackends } from "./_testing.ts";
import { initBackend } from "./backend.ts";
import { loadBlas } from "./blas.ts";
import { presetConfig } from "./config.ts";
import { disposeParams, initParams } from "./params.ts";
import { generate, generateOnDevice, generateUncached } from "./sample.ts";
import { BOS_ID, encode, SCORE_CLOSE_ID } from "./tokenizer.ts";

const config = presetConfig("tiny");
const prompts = [[BOS_ID, ...encode("short")], [BOS_ID, ...encode("a longer prompt")], [BOS_ID]];

testOnBackends("generate: same seed, same rollouts; another seed differs", async () => {
  const params = initParams(config, createPrng(1));
  const options = { maxNewTokens: 12, rollouts: 3 };
  const a = await generate({ params, config }, { prompts, ...options, rng: createPrng(7) });
  const b = await generate({ params, config }, { prompts, ...options, rng: createPrng(7) });
  const c = await generate({ params, config }, { prompts, ...options, rng: createPrng(8) });
  assertEquals(a, b);
  assertNotEquals(a.map((r) => r.text), c.map((r) => r.text));
  assertEquals(a.length, 9);
  assertEquals(a.map((r) => r.prompt), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
  for (const r of a) {
    assertEquals(r.tokens.length, r.logProbs.length);
    assert(r.logProbs.every((lp) => lp <= 0 && Number.isFinite(lp)));
  }
  disposeParams(params);
});

testOnBackends("generate: cached and uncached samplers give the same rollouts", async () => {
  const params = initParams(config, createPrng(2));
  const options = { maxNewTokens: 10, rollouts: 2, temperature: 0.9, topP: 0.95 };
  const cached = await generate({ params, config }, { prompts, ...options, rng: createPrng(3) });
  const reference = await generateUncached({ params, config }, {
    prompts,
    ...options,
    rng: createPrng(3),
  });
  assertEquals(cached.map((r) => r.tokens), reference.map((r) => r.tokens));
  cached.forEach((r, i) =>
    r.logProbs.forEach((lp, t) => assert(Math.abs(lp - reference[i].logProbs[t]) < 1e-4))
  );
  const greedy = await generate({ params, config }, { prompts, maxNewTokens: 10, greedy: true });
  const greedyRef = await generateUncached({ params, config }, {
    prompts,
    maxNewTokens: 10,
    greedy: true,
  });
  assertEquals(greedy.map((r) => r.tokens), greedyRef.map((r) => r.tokens));
  disposeParams(params);
});

Deno.test("generate: tiny top-p equals greedy; greedy rollouts of one prompt are identical", async () => {
  const params = initParams(config, createPrng(4));
  const greedy = await generate({ params, config }, {
    prompts,
    maxNewTokens: 8,
    rollouts: 2,
    greedy: true,
  });
  const nucleus = await generate({ params, config }, {
    prompts,
    maxNewTokens: 8,
    rollouts: 2,
    topP: 1e-6,
    rng: createPrng(1),
  });
  assertEquals(nucleus.map((r) => r.tokens), greedy.map((r) => r.tokens));
  assertEquals(greedy[0].tokens, greedy[1].tokens);
  disposeParams(params);
});

Deno.test("generate: stops right after </score> and reports stopped", async () => {
  const params = initParams(config, createPrng(5));
  // Rig the head: final norm outputs 1000 * E[</score>], so logits = 1000 E[</score>] . E[v] peak at v = </score>.
  const scoreRow = tf.tidy(() =>
    tf.reshape(tf.slice(params.tokenEmbedding, [SCORE_CLOSE_ID, 0], [1, -1]), [-1])
  );
  tf.tidy(() => {
    params["finalNorm.weight"].assign(tf.zeros([config.width]));
    params["finalNorm.bias"].assign(tf.mul(scoreRow, 1000));
  });
  const out = await generate({ params, config }, {
    prompts,
    maxNewTokens: 10,
    rollouts: 2,
    rng: createPrng(1),
  });
  for (const r of out) {
    assertEquals(r.tokens, [SCORE_CLOSE_ID]);
    assertEquals(r.text, "</score>");
    assert(r.stopped);
  }
  const capped = await generate({ params, config }, {
    prompts,
    maxNewTokens: 3,
    greedy: true,
    stopIds: [],
  });
  for (const r of capped) assertEquals([r.tokens.length, r.stopped], [3, false]);
  scoreRow.dispose();
  disposeParams(params);
});

Deno.test("generate: bad options are rejected with the field named", async () => {
  const params = initParams(config, createPrng(6));
  await assertRejects(
    () => generate({ params, config }, { prompts, maxNewTokens: 4 }),
    TypeError,
    "rng",
  );
  assertEquals(
    await generate({ params, config }, { prompts: [], maxNewTokens: 4, greedy: true }),
    [],
  );
  await assertRejects(
    () => generate({ params, config }, { prompts, maxNewTokens: 60, greedy: true }),
    RangeError,
    "exceeds contextLength 64",
  );
  await assertRejects(
    () => generate({ params, config }, { prompts, maxNewTokens: 0, greedy: true }),
    RangeError,
    "got 0",
  );
  await assertRejects(
    () => generate({ params, config }, { prompts, maxNewTokens: 2, rollouts: 0, greedy: true }),
    RangeError,
    "rollouts",
  );
  disposeParams(params);
});

testOnBackends(
  "generate: promptWidth and rowRngs make each row independent of its batch-mates",
  async () => {
    const params = initParams(config, createPrng(9));
    const width = 20; // >= the longest prompt, and 20 + 12 <= contextLength
    const options = { maxNewTokens: 12, promptWidth: width, temperature: 1 };
    // alone: prompt 1 with its own PRNG
    const alone = await generate({ params, config }, {
      prompts: [prompts[1]],
      ...options,
      rollouts: 2,
      rowRngs: [createPrng(4), createPrng(5)],
    });
    // in a batch: other prompts around it, with PRNGs of their own
    const batched = await generate({ params, config }, {
      prompts: [prompts[0], prompts[1], prompts[2]],
      ...options,
      rollouts: 2,
      rowRngs: [
        createPrng(1),
        createPrng(2),
        createPrng(4),
        createPrng(5),
        createPrng(6),
        createPrng(7),
      ],
    });
    assertEquals(
      batched.slice(2, 4).map((r) => [r.tokens, r.logProbs]),
      alone.map((r) => [r.tokens, r.logProbs]),
    );
    // the uncached reference honours the width too
    const reference = await generateUncached({ params, config }, {
      prompts: [prompts[1]],
      ...options,
      rollouts: 2,
      rowRngs: [createPrng(4), createPrng(5)],
    });
    assertEquals(reference.map((r) => r.tokens), alone.map((r) => r.tokens));
    await assertRejects(
      () => generate({ params, config }, { prompts, maxNewTokens: 4, rowRngs: [createPrng(0)] }),
      RangeError,
      "rowRngs has 1 PRNGs for 3 rows",
    );
    disposeParams(params);
  },
  // not blas: a product moves between sgemm and wasm with the batch size (batchInvariantMatMul)
  { backends: TEST_BACKENDS.filter((b) => b !== "blas") },
);

// wasm, and blas where OpenBLAS loads: its matmuls move between sgemm and wasm with the batch size
for (const backend of ["wasm", ...(loadBlas() ? ["blas" as const] : [])] as const) {
  Deno.test(`generate: dropping finished rows changes no row's tokens or log-probs [${backend}]`, async () => {
    await initBackend(backend);
    // the shipped GRM writes judgments of different lengths, so rows finish at different steps
    const { loadModelCheckpoint } = await import("../checkpoint/model_checkpoint.ts");
    const { SHIPPED_WARMSTARTS } = await import("../train/policy_init.ts");
    const { judgePromptTokens } = await import("../train/judge.ts");
    const model = await loadModelCheckpoint(SHIPPED_WARMSTARTS.small.pathname);
    const items = ["12+30=|42", "12+30=|40", "reverse: abcd|dcba", "sort: 3 1 2|1 3 2", "7*8=|56"]
      .map((t) => t.split("|"))
      .map(([q, a]) => ({ context: [{ role: "user" as const, content: q }], response: a }));
    const judge = items.map((i) => judgePromptTokens(i, model.config.contextLength - 36).tokens);
    try {
      for (const sampler of [generate, generateUncached]) {
        const options = { maxNewTokens: 36, rollouts: 4, temperature: 1 };
        const before = tf.memory().numTensors;
        const kept = await sampler(model, { prompts: judge, ...options, rng: createPrng(3) });
        assertEquals(tf.memory().numTensors, before, "no tensor leaked by the row selection");
        const full = await sampler(model, {
          prompts: judge,
          ...options,
          rng: createPrng(3),
          compact: false,
        });
        assertEquals(kept, full);
        const lengths = new Set(kept.map((r) => r.tokens.length));
        assert(lengths.size > 3, `rows must finish at different steps: ${[...lengths]}`);
      }
    } finally {
      disposeParams(model.params);
    }
  });
}

testOnBackends(
  "generateOnDevice: with one PRNG per row it samples the host's rollouts, whatever syncEvery",
  async () => {
    // the shipped GRM writes judgments of different lengths, so rows stop at different steps
    // (inside a chunk, at its end, or never), and finished rows are dropped along the way
    const { loadModelCheckpoint } = await import("../checkpoint/model_checkpoint.ts");
    const { SHIPPED_WARMSTARTS } = await import("../train/policy_init.ts");
    const { judgePromptTokens } = await import("../train/judge.ts");
    const model = await loadModelCheckpoint(SHIPPED_WARMSTARTS.small.pathname);
    const items = ["12+30=|42", "reverse: abcd|dcba", "sort: 3 1 2|1 3 2", "7*8=|56"]
      .map((t) => t.split("|"))
      .map(([q, a]) => ({ context: [{ role: "user" as const, content: q }], response: a }));
    const judge = items.map((i) => judgePromptTokens(i, model.config.contextLength - 36).tokens);
    const rowRngs = () => Array.from({ length: judge.length * 3 }, (_, b) => createPrng(100 + b));
    try {
      for (const choice of [{ temperature: 1 }, { temperature: 0.8, topP: 0.9 }]) {
        const common = { prompts: judge, maxNewTokens: 36, rollouts: 3, ...choice };
        const host = await generate(model, { ...common, rowRngs: rowRngs(), sampleOn: "host" });
        assert(new Set(host.map((r) => r.tokens.length)).size > 2, "rows should stop apart");
        for (const syncEvery of [1, 5, 8, 64]) {
          const before = tf.memory().numTensors;
          const device = await generateOnDevice(model, {
            ...common,
            rowRngs: rowRngs(),
            syncEvery,
          });
          assertEquals(
            tf.memory().numTensors,
            before,
            `tensors left behind (syncEvery ${syncEvery})`,
          );
          const what = `${JSON.stringify(choice)}, syncEvery ${syncEvery}`;
          assertEquals(device.map((r) => r.tokens), host.map((r) => r.tokens), what);
          assertEquals(device.map((r) => r.stopped), host.map((r) => r.stopped), what);
          device.forEach((r, i) =>
            r.logProbs.forEach((lp, t) => assertLess(Math.abs(lp - host[i].logProbs[t]), 1e-4))
          );
        }
      }
      // one shared PRNG: not the host's streams, but the same seed gives the same rollouts
      const shared = { prompts: judge, maxNewTokens: 36, rollouts: 3, sampleOn: "device" as const };
      const a = await generate(model, { ...shared, rng: createPrng(5) });
      const b = await generate(model, { ...shared, rng: createPrng(5) });
      assertEquals(a, b);
      const greedy = { prompts: judge, maxNewTokens: 36, greedy: true };
      assertEquals(
        (await generateOnDevice(model, { ...greedy, syncEvery: 3 })).map((r) => r.tokens),
        (await generate(model, { ...greedy, sampleOn: "host" })).map((r) => r.tokens),
      );
    } finally {
      disposeParams(model.params);
    }
  },
  // the shipped small GRM is slow on plain-JS cpu; cpu is covered by device_token_sampling_test
  { backends: TEST_BACKENDS.filter((b) => b !== "cpu") },
);

Deno.test("generateOnDevice: syncEvery must be a positive integer", async () => {
  const params = initParams(config, createPrng(0));
  await assertRejects(
    () =>
      generateOnDevice({ params, config }, {
        prompts,
        maxNewTokens: 2,
        greedy: true,
        syncEvery: 0,
      }),
    RangeError,
    "syncEvery must be an integer >= 1, got 0",
  );
  disposeParams(params);
});
