import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertNotEquals,
} from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import type { PreferencePair } from "../data/types.ts";
import { advantageScalings, groupAdvantages } from "../grpo/advantages.ts";
import { scorePair } from "../irpm/pair_rewards.ts";
import { initBackend } from "../model/backend.ts";
import { loadBlas } from "../model/blas.ts";
import { initParams, type TrainableParams } from "../model/params.ts";
import { encode } from "../model/tokenizer.ts";
import { createPrng } from "../rng/prng.ts";
import {
  disposePolicy,
  formatTrainedParams,
  snapshot,
  TEST_MODEL,
  testConfig,
  testPolicy,
} from "./_testing.ts";
import { DESIGNS, type TrainConfig } from "./config.ts";
import { loadTrainData } from "./data.ts";
import { irpmStep, type RolloutSample, type StepResult, withoutTimings } from "./step.ts";

const data = await loadTrainData(testConfig());
const pairs = data.train.slice(0, 2);
const G = 2;

let trained: Promise<TrainableParams> | undefined;
/** Format-trained params (valid judgments most of the time), trained once per file. */
async function trainedParams(): Promise<TrainableParams> {
  await initBackend("wasm");
  trained ??= formatTrainedParams(data.train);
  const params = await trained;
  // a fresh copy per test, so tests do not see each other's updates
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, tf.variable(v.clone(), true)]),
  );
}

/** The samples of one group: pair i, side s, in rollout order. */
const group = (samples: readonly RolloutSample[], i: number, s: 0 | 1) =>
  samples.slice((2 * i + s) * G, (2 * i + s + 1) * G);

/** Recomputes every reward from the sample texts with irpm's scorePair, independently. */
function checkRewards(
  result: StepResult,
  config: Readonly<TrainConfig>,
  batch: readonly PreferencePair[],
) {
  batch.forEach((pair, i) => {
    const chosen = group(result.samples, i, 0), rejected = group(result.samples, i, 1);
    assert(chosen.every((s) => s.pair === pair.id && s.side === "chosen"));
    assert(rejected.every((s) => s.pair === pair.id && s.side === "rejected"));
    assert([...chosen, ...rejected].every((s) => s.strength === pair.strength));
    const expected = scorePair(
      { chosen: chosen.map((s) => s.text), rejected: rejected.map((s) => s.text) },
      { design: config.design, margin: config.margin, strength: pair.strength, alpha: 0.05 },
    );
    const got = [...chosen, ...rejected];
    const want = [...expected.chosen, ...expected.rejected];
    assertEquals(got.map((s) => s.reward), want.map((w) => w.reward), `pair ${i} rewards`);
    assertEquals(got.map((s) => s.scoreUsed), want.map((w) => w.score), `pair ${i} scores`);
    assertEquals(got.map((s) => s.valid), want.map((w) => w.valid), `pair ${i} valid`);
  });
}

/** Per-group rewards in the step's order: pair 0 chosen, pair 0 rejected, pair 1 chosen, ... */
const rewardGroups = (samples: readonly RolloutSample[], pairsInBatch: number) =>
  Array.from(
    { length: 2 * pairsInBatch },
    (_, k) => group(samples, Math.floor(k / 2), (k % 2) as 0 | 1).map((s) => s.reward),
  );

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

Deno.test("irpmStep: samples, rewards (= scorePair), advantages (= groupAdvantages), metrics", async () => {
  const config = testConfig({ groupSize: G, weightDecay: 0 });
  const policy = testPolicy(await trainedParams());
  try {
    const before = await snapshot(policy.params);
    const result = await irpmStep(policy, { pairs, config, lr: 1e-2, rng: createPrng(7) });
    const { samples, metrics } = result;
    assertEquals(samples.length, pairs.length * 2 * G);
    checkRewards(result, config, pairs);
    const groups = rewardGroups(samples, pairs.length);
    assertEquals(
      samples.map((s) => s.advantage),
      groups.flatMap((g) => groupAdvantages(g)),
    );
    assert(samples.some((s) => s.advantage !== 0), "every advantage is 0: nothing to learn");
    assert(samples.some((s) => s.valid), "no valid judgment");
    for (const s of samples) {
      if (s.valid) assertEquals(s.score, s.scoreUsed);
      else assertEquals([s.score, s.scoreUsed], [null, s.side === "chosen" ? 0 : 10]);
    }

    // metrics: present, finite, and equal to what the samples say
    const keys = [
      "loss",
      "reward",
      "reward_std",
      "rollout_win_rate",
      "score/chosen_mean",
      "score/chosen_std",
      "score/rejected_mean",
      "score/rejected_std",
      "score/variance",
      "score/gap",
      "rollout_tie_rate",
      "format_violation_rate",
      "frac_reward_zero_std",
      "kl",
      "approx_kl",
      "policy_loss",
      "clip_ratio/region_mean",
      "entropy",
      "estimator/between_var",
      "estimator/p_hat",
      "estimator/se",
      "estimator/snr",
      "estimator/within_var",
      "grad_norm",
      "completions/mean_length",
      "learning_rate",
      "tokens_per_second",
      "sample_seconds",
      "ref_seconds",
      "update_seconds",
      "step_seconds",
      "skipped_updates",
    ];
    assertEquals(Object.keys(metrics).sort(), [...keys].sort());
    for (const k of keys) assert(Number.isFinite(metrics[k]), `${k} = ${metrics[k]}`);
    const rewards = samples.map((s) => s.reward);
    assertAlmostEquals(metrics.reward, mean(rewards), 1e-12);
    assertEquals(metrics.rollout_win_rate, rewards.filter((r) => r === 1).length / rewards.length);
    assertEquals(metrics.format_violation_rate, samples.filter((s) => !s.valid).length / 8);
    const chosenUsed = samples.filter((s) => s.side === "chosen").map((s) => s.scoreUsed);
    assertAlmostEquals(metrics["score/chosen_mean"], mean(chosenUsed), 1e-12);
    const zeroStd = groups.filter((g) => g.every((r) => r === g[0])).length / groups.length;
    assertEquals(metrics.frac_reward_zero_std, zeroStd);
    assertEquals([metrics.learning_rate, metrics.skipped_updates, result.skippedUpdates], [
      1e-2,
      0,
      0,
    ]);
    // One update, on-policy: the sampled log-probs line up with the recomputed ones (ratio 1),
    // and the policy is its own reference (KL 0), up to float rounding of two forward passes.
    assertEquals(metrics["clip_ratio/region_mean"], 0);
    assertLess(Math.abs(metrics.approx_kl), 1e-4);
    assertLess(Math.abs(metrics.kl), 1e-4);
    assertGreater(metrics.grad_norm, 0);
    assertGreater(metrics.entropy, 0);

    // the update moved the weights (no weight decay: the policy gradient did it)
    const after = await snapshot(policy.params);
    assert(Object.keys(before).some((k) => before[k].some((v, i) => v !== after[k][i])));
    assertEquals(policy.optimizer.step, 1);
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("irpmStep: every design and advantage scaling rewards as irpm and grpo say", async () => {
  const policy = testPolicy(await trainedParams());
  try {
    const rng = createPrng(8);
    for (const design of DESIGNS) {
      const config = testConfig({ groupSize: G, design, margin: 0.5 });
      const result = await irpmStep(policy, { pairs, config, lr: 1e-3, rng });
      checkRewards(result, config, pairs);
    }
    for (const scaling of ["batch", "none"] as const) {
      const config = testConfig({ groupSize: G, advantageScaling: scaling });
      const { samples } = await irpmStep(policy, { pairs, config, lr: 1e-3, rng });
      const expected = advantageScalings[scaling](rewardGroups(samples, pairs.length)).flat();
      assertEquals(samples.map((s) => s.advantage), expected, scaling);
    }
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("irpmStep: zero advantages and no KL or decay leave the weights bit-identical", async () => {
  await initBackend("wasm");
  // A random model never writes a valid judgment: every chosen rollout gets -1 - 0.5 (its stand-in
  // score 0 is not above the rejected mean 10), every rejected one -1.5 too, so all advantages are 0.
  const policy = testPolicy(initParams(TEST_MODEL, createPrng(3)));
  try {
    const config = testConfig({ groupSize: G, klCoef: 0, weightDecay: 0 });
    const before = await snapshot(policy.params);
    const { samples, metrics } = await irpmStep(policy, {
      pairs,
      config,
      lr: 1e-2,
      rng: createPrng(1),
    });
    assertEquals(
      samples.map((s) => [s.valid, s.reward, s.advantage]),
      samples.map(() => [false, -1.5, 0]),
    );
    assertEquals([metrics.format_violation_rate, metrics.frac_reward_zero_std], [1, 1]);
    assert(Number.isNaN(metrics.rollout_tie_rate)); // no valid scores to compare
    assertEquals(metrics.grad_norm, 0);
    assertEquals(await snapshot(policy.params), before);
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("irpmStep: the KL term alone moves the weights when the reference differs", async () => {
  await initBackend("wasm");
  const params = initParams(TEST_MODEL, createPrng(3));
  const other = initParams(TEST_MODEL, createPrng(4));
  const policy = testPolicy(params, other);
  try {
    const config = testConfig({ groupSize: G, klCoef: 0.1, weightDecay: 0 });
    const before = await snapshot(policy.params);
    const { samples, metrics } = await irpmStep(policy, {
      pairs,
      config,
      lr: 1e-2,
      rng: createPrng(1),
    });
    assert(samples.every((s) => s.advantage === 0));
    assertGreater(metrics.kl, 0);
    assertGreater(metrics.grad_norm, 0);
    const after = await snapshot(policy.params);
    assertNotEquals(after, before);
  } finally {
    disposePolicy(policy);
    Object.values(other).forEach((v) => v.dispose());
  }
});

// wasm, and blas where OpenBLAS loads: both have their own kernels (fused attention, sgemm)
for (const backend of ["wasm", ...(loadBlas() ? ["blas" as const] : [])] as const) {
  Deno.test(`irpmStep: same seed, same two steps (metrics, texts, weights) [${backend}]`, async () => {
    const run = async () => {
      const params = await trainedParams(); // (starts wasm)
      await initBackend(backend);
      const policy = testPolicy(params);
      try {
        const config = testConfig({ groupSize: G });
        const rng = createPrng(21);
        const steps = [];
        for (let i = 0; i < 2; i++) {
          const batch = data.train.slice(2 * i, 2 * i + 2);
          const { metrics, samples } = await irpmStep(policy, {
            pairs: batch,
            config,
            lr: 1e-3,
            rng,
          });
          steps.push({ metrics: withoutTimings(metrics), texts: samples.map((s) => s.text) });
        }
        return { steps, weights: await snapshot(policy.params) };
      } finally {
        disposePolicy(policy);
      }
    };
    const first = await run();
    assertEquals(await run(), first);
    assertGreater(first.steps[1].metrics.grad_norm!, 0); // the weights did move
  });
}

Deno.test("irpmStep: no tensor leaks across steps (one and two updates per batch)", async () => {
  const policy = testPolicy(await trainedParams());
  try {
    const rng = createPrng(9);
    for (const updatesPerBatch of [1, 2]) {
      const config = testConfig({ groupSize: G, updatesPerBatch });
      await irpmStep(policy, { pairs, config, lr: 1e-3, rng }); // warm-up
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const batch = data.train.slice(2 * i, 2 * i + 2);
        const { skippedUpdates } = await irpmStep(policy, { pairs: batch, config, lr: 1e-3, rng });
        assertEquals(skippedUpdates, 0);
        assertEquals(
          tf.memory().numTensors,
          before,
          `updatesPerBatch ${updatesPerBatch}, step ${i}`,
        );
      }
    }
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("irpmStep: --overlong-penalty costs valid rollouts that hit the token cap 0.5", async () => {
  await initBackend("wasm");
  // Teach the model to write "</score>" character by character (not the stop token), then "!"s:
  // its judgments are valid but never stop, so they run into maxNewTokens.
  const chars = (text: string) => [...text].map((c) => encode(c)[0]);
  const params = await formatTrainedParams(data.train, {
    completion: (d) => [...encode(`<critique></critique><score>${d}`), ...chars("</score>!!!!!!")],
  });
  const policy = testPolicy(params);
  try {
    const run = async (overlongPenalty: boolean) => {
      const config = testConfig({ groupSize: G, maxNewTokens: 14, overlongPenalty });
      // lr 0 and no decay: the weights stay, so both runs sample the same rollouts
      const out = await irpmStep(policy, {
        pairs,
        config: { ...config, weightDecay: 0 },
        lr: 0,
        rng: createPrng(2),
      });
      return { out, config };
    };
    const plain = await run(false);
    checkRewards(plain.out, plain.config, pairs);
    const penalised = await run(true);
    assertEquals(penalised.out.samples.map((s) => s.text), plain.out.samples.map((s) => s.text));
    let overlong = 0;
    penalised.out.samples.forEach((s, k) => {
      // a stopped rollout ends on the </score> token; these end on "!" (or a cut-off text)
      const hitCap = !s.text.endsWith("</score>");
      const extra = s.valid && hitCap ? -0.5 : 0;
      if (extra) overlong++;
      assertEquals(s.reward, plain.out.samples[k].reward + extra, `sample ${k}: ${s.text}`);
    });
    assertGreater(overlong, 0);
  } finally {
    disposePolicy(policy);
  }
});

Deno.test("irpmStep: --weak-pair-weight scales the advantages of weak pairs only", async () => {
  const policy = testPolicy(await trainedParams());
  try {
    // pair 0 made weak (|p| = 1), pair 1 strong; lr 0 and no decay: both runs sample the same
    const mixed = [{ ...pairs[0], strength: 1 }, { ...pairs[1], strength: 3 }];
    const run = async (weakPairWeight: number, seed: number) =>
      (await irpmStep(policy, {
        pairs: mixed,
        config: testConfig({ groupSize: G, weightDecay: 0, weakPairWeight }),
        lr: 0,
        rng: createPrng(seed),
      })).samples;
    // the first sampling seed whose weak pair has a learning signal (deterministic)
    let seed = 1, full = await run(1, seed);
    while (full.slice(0, 2 * G).every((s) => s.advantage === 0) && seed < 30) {
      full = await run(1, ++seed);
    }
    const half = await run(0.5, seed);
    assertEquals(half.map((s) => s.text), full.map((s) => s.text));
    half.forEach((s, k) => {
      const weak = k < 2 * G; // pair 0's chosen and rejected groups
      assertEquals(s.advantage, weak ? 0.5 * full[k].advantage : full[k].advantage, `sample ${k}`);
    });
    assert(full.slice(0, 2 * G).some((s) => s.advantage !== 0), "the weak pair had no signal");
  } finally {
    disposePolicy(policy);
  }
});
