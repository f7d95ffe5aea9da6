/**
 * `deno run -A cli/bench.ts`: speed of the GRM's transformer per backend, as JSON.
 *
 * Per backend it measures
 * - training tokens/s: forward, next-token log-likelihood loss, gradients (`tf.variableGrads`) and
 *   an AdamW update (`grpo/adamw.ts`), by default at the reference size D=128, L=2, H=4, T=64
 *   (preset `small`), batch 32;
 * - generation tokens/s of 64 new tokens per rollout, with the key/value cache (`generate`) and
 *   without it (`generateUncached`, a full re-run per token), and their ratio; the cached one also
 *   with tokens chosen on the host (a read-back per token) and on the device (one per 8 tokens);
 * - memory: peak bytes during one training step and one cached generation (`tf.profile`), and the
 *   most live tensors seen (`tf.memory()` at the end of the forward pass);
 * - the default IRPM step (`deno task train`'s: shipped warm-start, 8 pairs x G = 4 rollouts per
 *   side), split into sampling the rollouts, the reference model's log-probs (the KL term), the
 *   PPO-clip update, and the rest (parsing, rewards, advantages, metrics), mean over
 *   `--irpm-steps` steps after one warm-up step.
 *
 * Flags: `--backend auto|wasm|blas|webgpu|cpu|all` (default auto: blas where OpenBLAS loads, else
 * wasm; `all` = cpu, wasm, blas where it loads, and webgpu when `navigator.gpu` exists), `--preset tiny|small|medium|large`, `--steps` (timed training steps),
 * `--batch-sequences`, `--irpm-steps` (timed IRPM steps, 0 skips), `--json <file>` (also
 * write the JSON report there), `--profile` (also the 12 most expensive kernels of a training step),
 * `--peak-gflops` (the device's fp32 peak: training's model FLOP/s, 6 N + 12 L D T per token, is
 * reported as a share of it).
 *
 * @example
 * ```ts
 * import { runBench } from "./bench.ts";
 * import { assert } from "@std/assert";
 * import { BENCH_DEFAULTS } from "./bench.ts";
 * const report = await runBench({ ...BENCH_DEFAULTS, backend: "cpu", steps: 1, preset: "tiny", batch: 2, irpmSteps: 1 });
 * assert(report.results[0].train.tokensPerSecond > 0);
 * const irpm = report.results[0].irpmStep!;
 * // the parts add up to the step (the rest is parsing, rewards, advantages, metrics)
 * assert(Math.abs(irpm.sampleSeconds + irpm.referenceSeconds + irpm.updateSeconds + irpm.otherSeconds - irpm.stepSeconds) < 0.01);
 * assert(irpm.sampleSeconds > 0 && irpm.updateSeconds > 0 && irpm.otherSeconds > -0.01);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { adamwDispose, adamwInit, adamwUpdate } from "../grpo/adamw.ts";
import { createPrng } from "../rng/prng.ts";
import type { BackendName } from "../model/backend.ts";
import { BACKEND_CHOICES, type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { loadBlas } from "../model/blas.ts";
import { trainFlopsPerToken } from "../model/flops.ts";
import { type ModelConfig, modelConfig, presetConfig, type PresetName } from "../model/config.ts";
import { tokenLogProbs } from "../model/logprobs.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { defaultSampleOn, generate, generateUncached, type Rollout } from "../model/sample.ts";
import { BOS_ID } from "../model/tokenizer.ts";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from "../train/config.ts";
import { loadTrainData } from "../train/data.ts";
import { initialPolicy } from "../train/policy_init.ts";
import { irpmStep } from "../train/step.ts";
import { forward } from "../model/transformer.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { checkOutputPath, OutputError, writeOutputFile } from "./output_file.ts";

/** Settings of one bench run; flags only fill this object. */
export type BenchArgs = {
  /** Backend to measure, or `all`. Default wasm: the CPU default of the kit. */
  backend: BackendChoice | "all";
  /** Timed training steps after 2 warm-up steps. Default 5: ~3 s on wasm. */
  steps: number;
  /** Write the JSON report to this file too (null: stdout only). */
  json: string | null;
  /** Add the top kernels of one training step. */
  profile: boolean;
  /** Model size. Default small: the reference D=128, L=2, H=4, T=64. */
  preset: PresetName;
  /** Training batch (sequences of contextLength tokens). Default 32. */
  batch: number;
  /** Also time the uncached reference sampler. Default true. */
  uncached: boolean;
  /** Timed default IRPM steps after one warm-up step; 0 skips them. Default 3. */
  irpmSteps: number;
  /** The device's fp32 peak in GFLOP/s, to report training's share of it. Default null (none). */
  peakGflops: number | null;
};

/** Defaults of {@link BenchArgs}. */
export const BENCH_DEFAULTS: Readonly<BenchArgs> = Object.freeze({
  backend: "auto",
  steps: 5,
  json: null,
  profile: false,
  preset: "small",
  batch: 32,
  uncached: true,
  irpmSteps: 3,
  peakGflops: null,
});

const SCHEMA: FlagSchema = {
  backend: {
    kind: "choice",
    choices: [...BACKEND_CHOICES.filter((b) => b !== "tensorflow"), "all"],
    help: "backend to measure",
  },
  steps: { kind: "number", integer: true, min: 1, help: "timed training steps" },
  json: {
    kind: "string",
    help: "also write the JSON report to this file (bare --json: print it as one line, last)",
  },
  profile: { kind: "boolean", help: "list the most expensive kernels of a training step" },
  preset: { kind: "choice", choices: ["tiny", "small", "medium", "large"], help: "model size" },
  "batch-sequences": {
    kind: "number",
    integer: true,
    min: 1,
    help: "training batch (sequences of contextLength tokens)",
  },
  uncached: { kind: "boolean", help: "also time the uncached reference sampler (slow)" },
  "peak-gflops": {
    kind: "number",
    min: 0,
    help:
      "the device's fp32 peak, GFLOP/s: training's achieved FLOP/s is reported as a share of it",
  },
  "irpm-steps": {
    kind: "number",
    integer: true,
    min: 0,
    help: "timed default IRPM steps (0: skip)",
  },
};

/** Generation: 8 prompts x 4 rollouts (G = 4), 32-token prompts, 64 new tokens. */
const GENERATE = { prompts: 8, rollouts: 4, promptLength: 32, newTokens: 64 };
/** Generation sizes for the `tiny` preset (a smoke test of the bench itself). */
const GENERATE_TINY = { prompts: 2, rollouts: 2, promptLength: 4, newTokens: 8 };

/** Measurements of one backend. */
export interface BackendResult {
  backend: BackendName;
  device: string;
  train: {
    msPerStep: number;
    tokensPerSecond: number;
    steps: number;
    loss: number;
    /** Model FLOPs per trained token, 6 N + 12 L D T (model/flops.ts), times tokens/s. */
    gflops: number;
    /** gflops / --peak-gflops, when given. */
    peakShare?: number;
  };
  generate: {
    rows: number;
    newTokens: number;
    /** `generate` as training calls it (on webgpu: sampling on the device). */
    cached: { seconds: number; tokensPerSecond: number };
    /** The cached sampler with tokens chosen on the host (a read-back per token) and on the device. */
    sampleOn: {
      host: { seconds: number; tokensPerSecond: number };
      device: { seconds: number; tokensPerSecond: number };
    };
    uncached?: { seconds: number; tokensPerSecond: number };
    speedup?: number;
  };
  memory: { trainPeakBytes: number; generatePeakBytes: number; peakTensors: number };
  topKernels?: { kernel: string; ms: number; calls: number }[];
  /** The default IRPM step, mean seconds per step and their split (absent with --irpm-steps 0). */
  irpmStep?: IrpmStepTiming;
}

/** Mean seconds of one IRPM step and of its parts, over `steps` timed steps. */
export interface IrpmStepTiming {
  steps: number;
  /** preset, pairs per step, G, new tokens: what was timed. */
  setting: { preset: string; batchPairs: number; groupSize: number; maxNewTokens: number };
  stepSeconds: number;
  sampleSeconds: number;
  referenceSeconds: number;
  updateSeconds: number;
  /** Parsing, rewards, advantages, metrics: step - sample - reference - update. */
  otherSeconds: number;
  /** Mean completion tokens per rollout (the sampling work). */
  completionLength: number;
}

/** The whole report. */
export interface BenchReport {
  machine: { cores: number; deno: string; tfjs: string };
  train: ModelConfig & { preset: PresetName; batch: number; optimizer: string };
  generate: typeof GENERATE;
  results: BackendResult[];
}

const seconds = (start: number) => (performance.now() - start) / 1000;

function trainStepFactory(config: ModelConfig, batch: number, seed: number) {
  const params = initParams(config, createPrng(seed));
  const rng = createPrng(seed + 1);
  const time = config.contextLength;
  const data = Int32Array.from({ length: batch * time }, () => rng.int(config.vocabSize));
  const tokens = tf.tensor2d(data, [batch, time], "int32");
  const targets = tf.tensor1d(
    Int32Array.from(data, (_, i) => data[(i + 1) % data.length]),
    "int32",
  );
  let state = adamwInit(params);
  let peakTensors = 0;
  const step = async (): Promise<number> => {
    const { value, grads } = tf.variableGrads(() => {
      const logits = tf.reshape(forward({ params, config }, tokens), [-1, config.vocabSize]);
      const loss = tf.neg(tf.mean(tokenLogProbs(logits as tf.Tensor2D, targets))) as tf.Scalar;
      peakTensors = Math.max(peakTensors, tf.memory().numTensors);
      return loss;
    }, Object.values(params));
    const byName = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, grads[p.name]]));
    state = adamwUpdate(params, { grads: byName, state, lr: 1e-3 });
    tf.dispose(Object.values(grads));
    const loss = (await value.data())[0]; // await data(): dataSync throws on webgpu
    value.dispose();
    return loss;
  };
  const dispose = () => {
    adamwDispose(state);
    disposeParams(params);
    tf.dispose([tokens, targets]);
  };
  return { step, dispose, peakTensors: () => peakTensors };
}

async function benchTrain(config: ModelConfig, args: BenchArgs, batch: number) {
  const trainer = trainStepFactory(config, batch, 1);
  await trainer.step();
  await trainer.step();
  const start = performance.now();
  let loss = NaN;
  for (let i = 0; i < args.steps; i++) loss = await trainer.step();
  const elapsed = seconds(start);
  const profile = await tf.profile(() => trainer.step());
  const kernels = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const entry = kernels.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls++;
    kernels.set(k.name, entry);
  }
  const topKernels = [...kernels].map(([kernel, v]) => ({
    kernel,
    ms: +v.ms.toFixed(1),
    calls: v.calls,
  }))
    .sort((a, b) => b.ms - a.ms).slice(0, 12);
  const peakTensors = trainer.peakTensors();
  trainer.dispose();
  return {
    train: {
      msPerStep: +(1000 * elapsed / args.steps).toFixed(1),
      tokensPerSecond: Math.round(batch * config.contextLength * args.steps / elapsed),
      steps: args.steps,
      loss: +loss.toFixed(4),
      gflops:
        +(batch * config.contextLength * args.steps / elapsed * trainFlopsPerToken(config) / 1e9)
          .toFixed(2),
    },
    peakBytes: profile.peakBytes,
    peakTensors,
    topKernels,
  };
}

async function benchGenerate(config: ModelConfig, sizes: typeof GENERATE, withUncached: boolean) {
  const params = initParams(config, createPrng(2));
  const rng = createPrng(3);
  const prompts = Array.from({ length: sizes.prompts }, () => [
    BOS_ID,
    ...Array.from({ length: sizes.promptLength - 1 }, () => 9 + rng.int(95)),
  ]);
  // stopIds [] keeps every row going for all newTokens, so both samplers do the same work.
  const options = { maxNewTokens: sizes.newTokens, rollouts: sizes.rollouts, stopIds: [] };
  const rows = sizes.prompts * sizes.rollouts;
  const timeRun = async (run: typeof generate, sampleOn?: "host" | "device") => {
    const start = performance.now();
    const out: Rollout[] = await run({ params, config }, {
      prompts,
      ...options,
      rng: createPrng(4),
      sampleOn,
    });
    const elapsed = seconds(start);
    const produced = out.reduce((n, r) => n + r.tokens.length, 0);
    return { seconds: +elapsed.toFixed(3), tokensPerSecond: Math.round(produced / elapsed) };
  };
  await generate({ params, config }, { prompts: prompts.slice(0, 1), maxNewTokens: 2, rng }); // warm-up
  await generate({ params, config }, {
    prompts: prompts.slice(0, 1),
    maxNewTokens: 2,
    rng,
    sampleOn: "device",
  });
  const sampleOn = {
    host: await timeRun(generate, "host"),
    device: await timeRun(generate, "device"),
  };
  // what generate does by default on this backend, not timed again
  const cached = sampleOn[defaultSampleOn()];
  const uncached = withUncached ? await timeRun(generateUncached) : undefined;
  const profile = await tf.profile(async () => {
    await generate({ params, config }, { prompts, ...options, rng });
  });
  disposeParams(params);
  return {
    generate: {
      rows,
      newTokens: sizes.newTokens,
      cached,
      sampleOn,
      ...(uncached && {
        uncached,
        speedup: +(cached.tokensPerSecond / uncached.tokensPerSecond).toFixed(2),
      }),
    },
    peakBytes: profile.peakBytes,
  };
}

/**
 * Times the default IRPM step (`tiny` preset: a small random-init run, to test the bench itself):
 * one warm-up step, then `steps` timed ones on consecutive batches of the training data.
 */
async function benchIrpmStep(preset: PresetName, steps: number): Promise<IrpmStepTiming> {
  const config: Readonly<TrainConfig> = preset === "tiny"
    ? {
      ...DEFAULT_TRAIN_CONFIG,
      preset: "tiny",
      warmStart: "off",
      batchPairs: 2,
      groupSize: 2,
      maxNewTokens: 8,
    }
    : { ...DEFAULT_TRAIN_CONFIG, preset };
  const data = await loadTrainData(config);
  const { policy } = await initialPolicy(config);
  const rng = createPrng(config.seed);
  const totals = { step: 0, sample: 0, reference: 0, update: 0, length: 0 };
  try {
    for (let i = 0; i <= steps; i++) {
      const at = (i * config.batchPairs) % Math.max(1, data.train.length - config.batchPairs);
      const pairs = data.train.slice(at, at + config.batchPairs);
      const { metrics } = await irpmStep(policy, { pairs, config, lr: config.lr, rng });
      if (i === 0) continue; // warm-up: kernels compiled, caches filled
      totals.step += metrics.step_seconds;
      totals.sample += metrics.sample_seconds;
      totals.reference += metrics.ref_seconds;
      totals.update += metrics.update_seconds;
      totals.length += metrics["completions/mean_length"];
    }
  } finally {
    disposeParams(policy.params);
    disposeParams(policy.reference);
    adamwDispose(policy.optimizer);
  }
  const per = (x: number) => +(x / steps).toFixed(3);
  return {
    steps,
    setting: {
      preset: config.preset,
      batchPairs: config.batchPairs,
      groupSize: config.groupSize,
      maxNewTokens: config.maxNewTokens,
    },
    stepSeconds: per(totals.step),
    sampleSeconds: per(totals.sample),
    referenceSeconds: per(totals.reference),
    updateSeconds: per(totals.update),
    otherSeconds: per(totals.step - totals.sample - totals.reference - totals.update),
    completionLength: +(totals.length / steps).toFixed(1),
  };
}

/**
 * Runs the bench for the chosen backend(s) and returns the report; `options.log` gets a line as
 * each part finishes (nothing is printed otherwise).
 */
export async function runBench(
  args: BenchArgs,
  options: { log?: (line: string) => void } = {},
): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const sizes = args.preset === "tiny" ? GENERATE_TINY : GENERATE;
  const trainConfig = presetConfig(args.preset);
  const generateConfig = modelConfig({
    ...trainConfig,
    contextLength: Math.max(trainConfig.contextLength, sizes.promptLength + sizes.newTokens),
  });
  const backends: BackendChoice[] = args.backend !== "all" ? [args.backend] : [
    "cpu",
    "wasm",
    ...(loadBlas() ? ["blas" as const] : []),
    ...("gpu" in navigator ? ["webgpu" as const] : []),
  ];
  const results: BackendResult[] = [];
  for (const backend of backends) {
    const info = await startBackend(backend);
    log(`bench: ${info.name} on ${info.device}`);
    const t = await benchTrain(trainConfig, args, args.batch);
    log(`bench: ${info.name} train ${t.train.tokensPerSecond} tokens/s`);
    const g = await benchGenerate(generateConfig, sizes, args.uncached);
    log(`bench: ${info.name} generate ${g.generate.cached.tokensPerSecond} tokens/s`);
    const irpm = args.irpmSteps > 0 ? await benchIrpmStep(args.preset, args.irpmSteps) : undefined;
    if (irpm) log(`bench: ${info.name} IRPM step ${irpm.stepSeconds} s`);
    results.push({
      backend: info.name,
      device: info.device,
      train: {
        ...t.train,
        ...(args.peakGflops ? { peakShare: +(t.train.gflops / args.peakGflops).toFixed(4) } : {}),
      },
      generate: g.generate,
      memory: {
        trainPeakBytes: t.peakBytes,
        generatePeakBytes: g.peakBytes,
        peakTensors: t.peakTensors,
      },
      ...(args.profile ? { topKernels: t.topKernels } : {}),
      ...(irpm ? { irpmStep: irpm } : {}),
    });
  }
  return {
    machine: {
      cores: navigator.hardwareConcurrency,
      deno: Deno.version.deno,
      tfjs: tf.version_core,
    },
    train: {
      ...trainConfig,
      preset: args.preset,
      batch: args.batch,
      optimizer: "adamw (grpo/adamw.ts)",
    },
    generate: sizes,
    results,
  };
}

function summary(report: BenchReport): string {
  const lines = report.results.map((r) =>
    `${r.backend.padEnd(7)} ${r.device}\n` +
    `  train    ${r.train.tokensPerSecond} tokens/s (${r.train.msPerStep} ms/step), ` +
    `${r.train.gflops} GFLOP/s${
      r.train.peakShare === undefined ? "" : ` = ${(100 * r.train.peakShare).toFixed(1)}% of peak`
    }\n` +
    `  generate ${r.generate.cached.tokensPerSecond} tokens/s cached, ` +
    (r.generate.uncached
      ? `${r.generate.uncached.tokensPerSecond} uncached (x${r.generate.speedup})\n`
      : "(uncached not timed)\n") +
    `  sampling on the host ${r.generate.sampleOn.host.tokensPerSecond} tokens/s, on the device ` +
    `${r.generate.sampleOn.device.tokensPerSecond}\n` +
    `  memory   train peak ${(r.memory.trainPeakBytes / 2 ** 20).toFixed(1)} MiB, ` +
    `generate peak ${
      (r.memory.generatePeakBytes / 2 ** 20).toFixed(1)
    } MiB, ${r.memory.peakTensors} tensors` +
    (r.irpmStep
      ? `\n  IRPM step ${r.irpmStep.stepSeconds} s = sampling ${r.irpmStep.sampleSeconds} + ` +
        `reference log-probs ${r.irpmStep.referenceSeconds} + update ${r.irpmStep.updateSeconds} + ` +
        `other ${r.irpmStep.otherSeconds} (mean of ${r.irpmStep.steps}; ${r.irpmStep.setting.batchPairs} ` +
        `pairs x G ${r.irpmStep.setting.groupSize}, ${r.irpmStep.completionLength} tokens per rollout)`
      : "")
  );
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    // a bare --json (last, or before another flag) prints the report as one JSON line, last on
    // stdout: the form ../shared/tools/torch_reference_bench.py reads
    const jsonAt = Deno.args.indexOf("--json");
    const jsonLine = jsonAt >= 0 &&
      (jsonAt === Deno.args.length - 1 || Deno.args[jsonAt + 1].startsWith("--"));
    const argv = jsonLine ? Deno.args.filter((_, i) => i !== jsonAt) : Deno.args;
    // --batch is --batch-sequences (train counts pairs, warmstart examples: each says which)
    const parsed = parseFlags(argv, SCHEMA, { batch: "batch-sequences" });
    for (const note of parsed.notes) console.error(`bench: note: ${note}`);
    if (parsed.help) {
      console.log(
        `Usage: deno run -A cli/bench.ts [options]\n\nOptions:\n${
          formatHelp(SCHEMA, {
            ...BENCH_DEFAULTS,
            "batch-sequences": BENCH_DEFAULTS.batch,
            "irpm-steps": BENCH_DEFAULTS.irpmSteps,
            "peak-gflops": "none",
          })
        }`,
      );
      Deno.exit(0);
    }
    const {
      "irpm-steps": irpmSteps,
      "batch-sequences": batch,
      "peak-gflops": peakGflops,
      ...rest
    } = parsed.values;
    const args = {
      ...BENCH_DEFAULTS,
      ...rest,
      ...(irpmSteps === undefined ? {} : { irpmSteps }),
      ...(peakGflops === undefined ? {} : { peakGflops }),
      ...(batch === undefined ? {} : { batch }),
    } as BenchArgs;
    if (args.json !== null) await checkOutputPath(args.json, "--json");
    const report = await runBench(args, { log: (line) => console.error(line) });
    console.log(summary(report));
    console.log(jsonLine ? JSON.stringify(report) : JSON.stringify(report, null, 2));
    if (args.json !== null) {
      await writeOutputFile(
        { path: args.json, flag: "--json" },
        JSON.stringify(report, null, 2) + "\n",
      );
    }
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof OutputError)) throw error;
    console.error(`bench: ${error.message}`);
    Deno.exit(2);
  }
}
