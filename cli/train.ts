/**
 * `deno task train`: train a pointwise GRM from pairwise preferences with IRPM + GRPO.
 *
 *   deno task train                         # warm-started small GRM on the embedded suite, CPU
 *   deno task train --design preference     # the paper's collapsing soft reward, same budget
 *   deno task train --data helpsteer3 --data-path hs3.jsonl --backend webgpu --preset medium
 *   deno task train --resume runs/<name>    # continue from the last complete checkpoint
 *   deno task train --model scalar-bt       # a baseline (or pairwise) on the same budget
 *
 * Writes runs/<name>/ (see train/run_dir.ts). `--help` lists every option.
 *
 * @module
 */
import { formatHelp, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { readTextFileStrict } from "../data/jsonl.ts";
import { startBackend } from "../model/backend_choice.ts";
import {
  checkConfigObject,
  helpDefaults,
  resolveTrainConfig,
  TRAIN_FLAGS,
  type TrainConfig,
} from "../train/config.ts";
import { loadTrainData, type TrainData } from "../train/data.ts";
import { promptFit } from "../train/judge.ts";
import { PRESETS } from "../model/config.ts";
import { formatDuration, progressLine } from "../train/progress.ts";
import {
  checkNewRunDir,
  checkRunName,
  readJsonlRecords,
  runPaths,
  RunWriteError,
} from "../train/run_dir.ts";
import {
  openResumedRun,
  recordedConfig,
  resumeRun,
  type RunContext,
  type RunResult,
  startRun,
  trainRun,
} from "../train/run.ts";
import { totalSteps, TrainingDivergedError } from "../train/trainer.ts";
import { loadPlotlyJs, type PlotlyJs } from "../viz/load_plotly.ts";
import { metricValue } from "../train/metric_names.ts";
import { runBaselineTraining } from "./train_baseline.ts";

const USAGE = `Usage: deno task train [flags]

Trains a pointwise generative reward model from pairwise preferences with IRPM + GRPO
(arXiv 2601.00677). With no flags: the shipped warm-start GRM (small preset) on the embedded
synthetic suite, on the wasm CPU backend, in a few minutes. Output: runs/<name>/.

Flags (a --config JSON file with the same keys in camelCase fills them too; flags win):
`;

/**
 * Reads `--config`: a JSON object of config keys, or a run's own config.json (its `config` field),
 * so `deno task train --config runs/<name>/config.json --force` starts that run again.
 */
async function readConfigFile(path: string): Promise<Partial<TrainConfig>> {
  let text: string;
  try {
    text = await readTextFileStrict(path);
  } catch (error) {
    throw new UsageError(`--config ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  const record = value as Record<string, unknown> | null;
  if (record && typeof record === "object" && "dataFingerprint" in record && "config" in record) {
    const { force: _f, stopAfter: _s, ...config } = checkConfigObject(record.config, path);
    return config;
  }
  return checkConfigObject(value, path);
}

const pct = (x: unknown) => (typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "-");

async function main(argv: string[]): Promise<number> {
  const started = performance.now();
  let invocation;
  try {
    invocation = resolveTrainConfig(argv);
    if (invocation.configFile) {
      invocation = resolveTrainConfig(argv, await readConfigFile(invocation.configFile));
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`train: ${error.message}`);
    return 2;
  }
  if (invocation.help) {
    console.log(USAGE + formatHelp(TRAIN_FLAGS, helpDefaults()));
    return 0;
  }
  const resume = invocation.resume;
  const extraFlags = argv.filter((a) =>
    a.startsWith("--") && !/^--(resume|stop-after|allow-config-change)\b/.test(a)
  );
  if (resume && extraFlags.length > 0) {
    console.error(
      `train: --resume continues a run with its own config.json; only --stop-after and ` +
        `--allow-config-change may be added (got ${extraFlags[0]})`,
    );
    return 2;
  }
  if (!resume && invocation.allowConfigChange) {
    throw new UsageError("--allow-config-change applies to --resume only");
  }
  const tty = Deno.stdout.isTerminal();
  const log = (text: string) => console.log(tty ? `\r\x1b[2K${text}` : text);

  let config: Readonly<TrainConfig> = invocation.config;
  let data: TrainData;
  let runDir: string;
  if (resume) {
    runDir = resume.replace(/\/+$/, "");
    ({ config, data } = await openResumedRun(runDir, {
      stopAfter: invocation.config.stopAfter,
      log,
    }));
  } else {
    const name = checkRunName(
      config.name ??
        `${config.model === "pointwise" ? config.design : config.model}-${
          new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)
        }`,
    );
    runDir = `${config.runDir.replace(/\/+$/, "") || "/"}/${name}`;
    config = Object.freeze({ ...config, name, runDir: config.runDir });
    // refuse a bad target before the slow work (stageRunDir checks again when it creates it)
    await checkNewRunDir(runDir, {
      force: config.force,
      again: `deno task train --resume ${runDir}`,
    });
    data = await loadTrainData(config);
    log(
      `train: ${data.train.length} training pairs, ${data.test.length} held-out pairs (${config.data})`,
    );
  }
  for (const note of data.notes ?? []) log(`train: note: ${note}`);
  const fit = promptFit([...data.train, ...data.test], {
    contextLength: PRESETS[config.preset as keyof typeof PRESETS].contextLength,
    maxNewTokens: config.maxNewTokens,
  });
  if (fit.truncated > 0 && config.model !== "scalar-bt") {
    log(
      `train: note: ${fit.truncated} of ${fit.prompts} judge prompts are longer than the ` +
        `${fit.room} tokens left by --max-new-tokens ${config.maxNewTokens} in the ${config.preset} ` +
        `preset's context (longest ${fit.longest}): their start is cut off`,
    );
  }
  const paths = runPaths(runDir);

  const backend = await startBackend(config.backend);
  log(`train: backend ${backend.name} on ${backend.device}`);
  // plotly.js for report.html; without it the report falls back to static SVG
  const plotlyJs: PlotlyJs | undefined = await loadPlotlyJs().catch(() => undefined);
  if (config.model !== "pointwise") {
    if (config.stopAfter !== null) {
      console.error(`train: --stop-after applies to IRPM runs only (--model ${config.model})`);
      return 2;
    }
    return await runBaselineTraining({
      config: { ...config, model: config.model },
      dir: runDir,
      data,
    }, { backend, log, tty, plotlyJs, recorded: recordedConfig(config) });
  }

  const ctx: RunContext = { config, data, dir: runDir, backend, log, plotlyJs, startedAt: started };
  const prepared = resume
    ? await resumeRun(ctx, { allowConfigChange: invocation.allowConfigChange })
    : await startRun(ctx);
  if ("finished" in prepared) {
    console.log(
      `train: ${runDir} already finished all ${prepared.finished} steps; nothing to resume ` +
        `(report: ${paths.report}; to train further, start a new run or edit "steps" in ` +
        `${paths.config} and add --allow-config-change)`,
    );
    return 0;
  }

  let lastCheckpointStep: number | null = prepared.hasCheckpoint ? prepared.state.step : null;
  const whereToContinue = () =>
    lastCheckpointStep === null
      ? `there is no checkpoint yet, so it starts again from step 0; continue with: ` +
        `deno task train --resume ${runDir}`
      : `the last complete checkpoint is step ${lastCheckpointStep} in ${paths.checkpoint}; ` +
        `continue with: deno task train --resume ${runDir}`;
  const onSignal = () => {
    console.log(`\ntrain: interrupted; ${whereToContinue()}`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);

  const startStep = prepared.state.step;
  const loopStarted = performance.now();
  let result: RunResult;
  try {
    result = await trainRun(ctx, prepared, {
      onStep: async (step, metrics, heldOut) => {
        const total = totalSteps(config, data.train.length);
        const line = progressLine({
          done: step,
          total,
          startedAt: startStep,
          elapsedSeconds: (performance.now() - loopStarted) / 1000,
          fields: {
            reward: metrics.reward,
            win: metrics.rollout_win_rate,
            "held-out": pct(heldOut),
          },
        });
        if (tty) await Deno.stdout.write(new TextEncoder().encode(`\r\x1b[2K${line}`));
        else if (step % 10 === 0 || step === total) console.log(line);
      },
      onCheckpoint: (step) => lastCheckpointStep = step,
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      console.error(`\ntrain: ${error.message}`);
      return 1;
    }
    if (error instanceof RunWriteError) {
      // disk full, read-only or removed: what was written before stays valid
      console.error(
        `\ntrain: ${error.message}; nothing of the run was lost: ${whereToContinue()} ` +
          `once the problem is fixed`,
      );
      return 2;
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  const { seconds, lastEval, firstEval, latest } = result;
  if (result.outcome === "stopped") {
    console.log(
      `\ntrain: stopped after step ${result.step} of ${result.total} (--stop-after), checkpoint ` +
        `saved; continue with: deno task train --resume ${runDir}`,
    );
    return 0;
  }
  const evals = (await readJsonlRecords<Record<string, unknown>>(paths.metrics)).filter((l) =>
    l.kind === "eval"
  );
  // the step-0 line as logged (eval/ names), or this session's first evaluation
  const logged = evals.find((e) => e.step === 0);
  const base = logged
    ? {
      accuracy: metricValue(logged, "eval/accuracy"),
      critique_ceiling: metricValue(logged, "eval/critique_ceiling"),
    }
    : firstEval;
  console.log(
    `\ntrain: done in ${formatDuration(seconds)} (${
      seconds.toFixed(0)
    } s): held-out pairwise accuracy ` +
      `${pct(base?.accuracy)} at step 0 -> ${pct(lastEval.accuracy)} at step ${result.step} ` +
      `(strict ${pct(lastEval.strict_accuracy)}, ties ${pct(lastEval.tie_rate)}, ` +
      `format-valid ${pct(lastEval.format_valid_rate)}${
        lastEval.critique_ceiling === undefined
          ? ""
          : `, critique ceiling ${pct(base?.critique_ceiling)} -> ${pct(lastEval.critique_ceiling)}`
      }); score variance ${latest["score/variance"]?.toFixed(2)}`,
  );
  console.log(`train: report ${paths.report}`);
  return 0;
}

if (import.meta.main) await runCli("train", main);
