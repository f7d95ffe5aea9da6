/**
 * `deno task warmstart`: the supervised warm-start of the GRM on the synthetic suite, from a
 * recorded recipe (train/warmstart.ts). Writes a checkpoint (weights only) whose sidecar records
 * the recipe, the held-out format-valid rate and pairwise accuracy, and the file hash.
 *
 *   deno task warmstart                       # stage 1 of the shipped checkpoint -> runs/warmstart
 *   deno task warmstart --warm-start runs/warmstart --steps 1500 --lr 6e-4 --stop-after 500 ...
 *
 * The two stages of checkpoints/warmstart-small are in its RECIPE.md.
 *
 * @module
 */
import { type FlagSchema, parseFlags, UsageError } from "../config/flags.ts";
import {
  DEFAULT_WARMSTART_CONFIG,
  runWarmStart,
  type WarmStartConfig,
} from "../train/warmstart.ts";
import {
  loadForFlag,
  loadModelCheckpoint,
  saveModelCheckpoint,
} from "../checkpoint/model_checkpoint.ts";
import type { CheckpointSidecarFile } from "../checkpoint/checkpoint_sidecar.ts";
import { datasetFingerprint } from "../checkpoint/fingerprint.ts";
import { createPrng } from "../rng/prng.ts";
import { presetConfig } from "../model/config.ts";
import type { TrainableParams } from "../model/params.ts";
import type { PairEvaluation } from "../train/evaluate.ts";
import { writingTo } from "../train/run_dir.ts";
import { runCli } from "./run_cli.ts";
import {
  camelCaseValues,
  startWarmStartRun,
  warmStartFlags,
  warmStartHelp,
  type WarmStartRunFlags,
} from "./warmstart_flags.ts";

const FLAGS: FlagSchema = warmStartFlags({
  "batch-examples": { kind: "number", integer: true, min: 1, help: "examples per step" },
  "train-rows": { kind: "number", integer: true, min: 1, help: "synthetic rows (2 examples each)" },
  "eval-pairs": { kind: "number", integer: true, min: 1, help: "held-out pairs per evaluation" },
  "warm-start": {
    kind: "string",
    help: "start from this checkpoint's weights (a second stage), as train's --warm-start <dir>",
  },
  "score-prior": {
    kind: "choice",
    choices: ["independent", "mirrored"],
    help: "target score: independent uniform, or mirrored (q or 10 - q, mean 5)",
  },
});

/** Flags renamed to match `deno task train` (old name -> new); the old names still work. */
const RENAMED = { "batch-size": "batch-examples", "init": "warm-start" };

/** The recipe stages recorded in a warm-start checkpoint (older ones recorded one recipe). */
function earlierStages(sidecar: CheckpointSidecarFile): unknown[] {
  const config = sidecar.config as { stages?: unknown[]; warmstart?: unknown };
  if (config.stages) return config.stages;
  const backend = (sidecar.extra?.backend as { name?: string } | undefined)?.name ?? null;
  return config.warmstart ? [{ recipe: config.warmstart, backend, init: null }] : [];
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(argv, FLAGS, RENAMED);
    for (const note of parsed.notes) console.error(`warmstart: note: ${note}`);
    if (parsed.positional.length) throw new UsageError(`unexpected "${parsed.positional[0]}"`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`warmstart: ${error.message}`);
    return 2;
  }
  const defaults = {
    ...DEFAULT_WARMSTART_CONFIG,
    backend: "auto",
    // Never the shipped checkpoint by default: replacing it takes an explicit --out.
    out: "runs/warmstart",
    "logEvery": 25,
  };
  if (parsed.help) {
    console.log(
      warmStartHelp("warmstart", FLAGS, { ...defaults, batchExamples: defaults.batchSize }),
    );
    return 0;
  }
  const values = camelCaseValues(parsed.values);
  // the recipe keeps its recorded key names (checkpoint sidecars hold them)
  if ("batchExamples" in values) values.batchSize = values.batchExamples;
  if ("warmStart" in values) values.init = values.warmStart;
  delete values.batchExamples;
  delete values.warmStart;
  const { backend, out, logEvery, init, stopAfter, force, ...recipeValues } = {
    ...defaults,
    ...values,
  } as WarmStartConfig & WarmStartRunFlags & { init?: string };
  const recipe: WarmStartConfig = Object.freeze(recipeValues);
  const info = await startWarmStartRun("warmstart", {
    flags: { backend, out, logEvery, force, stopAfter },
    recipe,
  });
  let lastLoss = NaN;
  const started = performance.now();
  const save = async (params: TrainableParams, step: number, e: PairEvaluation) =>
    await saveModelCheckpoint(out, {
      model: {
        params,
        config: presetConfig(recipe.preset),
        runConfig: { warmstart: recipe, stages },
      },
      state: {
        step,
        dataCursor: null,
        prngState: createPrng(recipe.seed).state(),
        datasetFingerprint: await datasetFingerprint([
          recipe.seed,
          recipe.trainRows,
          recipe.testRows,
        ]),
        extra: {
          backend: info,
          formatValidRate: e.formatValidRate,
          heldOut: e.report.overall,
          lossAtStep: lastLoss,
          seconds: (performance.now() - started) / 1000,
        },
      },
    });
  const start = init
    ? await loadForFlag(
      `--warm-start ${init}`,
      () => loadModelCheckpoint(init, { expectModel: presetConfig(recipe.preset) }),
    )
    : undefined;
  if (start) {
    console.log(`warmstart: continuing from ${init} (sha256 ${start.sidecar.sha256})`);
  }
  const stages = [
    ...(start ? earlierStages(start.sidecar) : []),
    {
      recipe,
      backend: info.name,
      init: init ?? null,
      initSha256: start?.sidecar.sha256 ?? null,
      stopAfter: stopAfter ?? null,
    },
  ];
  const result = await runWarmStart(recipe, {
    initialParams: start?.params,
    stopAfter,
    onStep: (p) => {
      lastLoss = p.loss;
      if (p.step % logEvery === 0 || p.step === recipe.steps) {
        console.log(
          `step ${p.step}/${recipe.steps} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ` +
            `grad_norm ${p.gradNorm.toFixed(3)} tokens/s ${p.tokensPerSecond.toFixed(0)} ` +
            `elapsed ${p.seconds.toFixed(0)}s`,
        );
      }
    },
    onEval: async (step, e, params) => {
      // (a failed write names --out's file; the previous checkpoint there stays whole)
      const o = e.report.overall;
      console.log(
        `eval step ${step}: format_valid ${(100 * e.formatValidRate).toFixed(1)}% ` +
          `pairwise_acc ${(100 * o.accuracy).toFixed(1)}% (strict ${
            (100 * o.strictAccuracy).toFixed(1)
          }%, ` +
          `ties ${(100 * o.tieRate).toFixed(1)}%, parse errors ${
            (100 * o.parseErrorRate).toFixed(1)
          }%, n ${o.n})`,
      );
      // Written at every evaluation, so a run cut short still leaves its latest weights.
      const sidecar = await writingTo(out, () => save(params, step, e));
      console.log(`warmstart: wrote ${out} at step ${step} (sha256 ${sidecar.sha256})`);
    },
  });
  console.log(`warmstart: done in ${result.history.at(-1)?.seconds.toFixed(0)} s`);
  return 0;
}

if (import.meta.main) await runCli("warmstart", main);
