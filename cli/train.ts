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
import { camelToKebab, formatHelp, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { readTextFileStrict } from "../data/jsonl.ts";
import { initBackend } from "../model/backend.ts";
import { adamwInit } from "../grpo/adamw.ts";
import {
  checkConfigObject,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  TRAIN_FLAGS,
  type TrainConfig,
} from "../train/config.ts";
import { loadTrainData, type TrainData } from "../train/data.ts";
import { initialPolicy } from "../train/policy_init.ts";
import { promptFit } from "../train/judge.ts";
import { PRESETS } from "../model/config.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "../train/model_checkpoint.ts";
import { formatDuration, progressLine } from "../train/progress.ts";
import { reportHtml } from "../train/report.ts";
import {
  abandonRunDir,
  appendJsonl,
  checkNewRunDir,
  checkRunName,
  commitRunDir,
  inspectOutputDir,
  pathExists,
  readJsonlRecords,
  readRunLogs,
  RUN_MARKER,
  RunDirError,
  runPaths,
  RunWriteError,
  stageRunDir,
  truncateAfterStep,
  writeFileAtomic,
  writingTo,
} from "../train/run_dir.ts";
import {
  checkResumeChanges,
  configChanges,
  formatChange,
  restartCommand,
} from "../train/resume.ts";
import { copyParams, disposeParams } from "../model/params.ts";
import type { PolicyState } from "../train/step.ts";
import {
  freshLoopState,
  type LoopState,
  totalSteps,
  TrainingDivergedError,
  trainLoop,
} from "../train/trainer.ts";
import { createPrng } from "../rng/prng.ts";
import { loadPlotlyJs, type PlotlyJs } from "../viz/load_plotly.ts";
import { runBaselineTraining } from "./train_baseline.ts";
import {
  accuracyByStrength,
  evalLineFields,
  evaluationCritiqueCeiling,
} from "../train/evaluate.ts";

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

/** The config a run records in config.json and in every checkpoint's sidecar. */
function recordedConfig(config: Readonly<TrainConfig>): Record<string, unknown> {
  const { force: _f, stopAfter: _s, ...kept } = config;
  return kept;
}

/**
 * Opens `--resume <dir>`: checks that it is a kit run with config.json and its reference model,
 * compares config.json with the settings the weights were trained with, and restores the loop
 * state from the last complete checkpoint, or from step 0 (the reference) when the run was
 * interrupted before its first checkpoint. Returns an exit code instead when there is nothing to do.
 */
async function openResumedRun(
  dir: string,
  options: { stopAfter: number | null },
  log: (text: string) => void,
): Promise<{ config: Readonly<TrainConfig>; data: TrainData }> {
  const found = await inspectOutputDir(dir);
  const paths = runPaths(dir);
  if (found.state === "absent") {
    throw new RunDirError(`--resume ${dir}: no such run directory`);
  }
  if (found.state !== "kit" || found.kind === "compare" || found.kind === "checkpoint") {
    throw new RunDirError(
      `--resume ${dir}: not a training run directory of the kit (no ${RUN_MARKER} or config.json)`,
    );
  }
  let stored: { config?: unknown };
  try {
    stored = JSON.parse(await Deno.readTextFile(paths.config));
  } catch (error) {
    throw new RunDirError(
      `--resume ${dir}: ${paths.config} is missing or unreadable (${
        (error as Error).message
      }); this run cannot be resumed`,
    );
  }
  const config: Readonly<TrainConfig> = Object.freeze({
    ...DEFAULT_TRAIN_CONFIG,
    ...checkConfigObject(stored.config, paths.config),
    stopAfter: options.stopAfter, // a new time box, not the interrupted one's
    force: false,
  });
  resolveTrainConfig([], config); // the same cross-flag checks as a new run
  if (config.model !== "pointwise") {
    throw new RunDirError(
      `--resume ${dir}: a ${config.model} baseline run has no mid-run checkpoint to resume; ` +
        `start it again with: ${restartCommand(dir)}`,
    );
  }
  const data = await loadTrainData(config);
  log(
    `train: ${data.train.length} training pairs, ${data.test.length} held-out pairs (${config.data})`,
  );
  return { config, data };
}

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
    const defaults = Object.fromEntries(
      Object.entries(DEFAULT_TRAIN_CONFIG).map(([k, v]) => [camelToKebab(k), v]),
    );
    console.log(USAGE + formatHelp(TRAIN_FLAGS, defaults));
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
    }, log));
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
  const fit = promptFit(
    [...data.train, ...data.test],
    PRESETS[config.preset as keyof typeof PRESETS].contextLength,
    config.maxNewTokens,
  );
  if (fit.truncated > 0 && config.model !== "scalar-bt") {
    log(
      `train: note: ${fit.truncated} of ${fit.prompts} judge prompts are longer than the ` +
        `${fit.room} tokens left by --max-new-tokens ${config.maxNewTokens} in the ${config.preset} ` +
        `preset's context (longest ${fit.longest}): their start is cut off`,
    );
  }
  const paths = runPaths(runDir);

  const backend = await initBackend(config.backend);
  log(`train: backend ${backend.name} on ${backend.device}`);
  // plotly.js for report.html; without it the report falls back to static SVG
  const plotlyJs: PlotlyJs | undefined = await loadPlotlyJs().catch(() => undefined);
  if (config.model !== "pointwise") {
    if (config.stopAfter !== null) {
      console.error(`train: --stop-after applies to IRPM runs only (--model ${config.model})`);
      return 2;
    }
    return await runBaselineTraining(
      { ...config, model: config.model },
      runDir,
      data,
      { backend, log, tty, plotlyJs, recorded: recordedConfig(config) },
    );
  }

  let policy: PolicyState;
  let state: LoopState;
  let hasCheckpoint: boolean;
  if (resume) {
    const reference = await loadModelCheckpoint(paths.reference);
    const total = totalSteps(config, data.train.length);
    // a first checkpoint killed before its tensors were renamed into place counts as none
    hasCheckpoint = await pathExists(`${paths.checkpoint}/model.safetensors`);
    const source = hasCheckpoint
      ? await loadModelCheckpoint(paths.checkpoint, { datasetFingerprint: data.fingerprint })
      : undefined;
    // what the weights were trained with (runs from before this record: no check possible)
    const recorded = ((source ?? reference).sidecar.config as { train?: Record<string, unknown> })
      .train;
    if (source) {
      policy = {
        params: source.params,
        reference: reference.params,
        config: source.config,
        optimizer: source.optimizer ?? adamwInit(source.params),
      };
      const sidecar = source.sidecar;
      state = {
        step: sidecar.step,
        cursor: sidecar.dataCursor as LoopState["cursor"],
        prngState: [...sidecar.prngState],
        consecutiveBadSteps: Number(sidecar.extra?.consecutiveBadSteps ?? 0),
      };
    } else {
      // interrupted before its first checkpoint: the policy is still the reference
      policy = {
        params: reference.params,
        reference: copyParams(reference.params),
        config: reference.config,
        optimizer: adamwInit(reference.params),
      };
      state = freshLoopState(config.seed);
    }
    if (state.step >= total) {
      disposeParams(policy.params);
      disposeParams(policy.reference);
      console.log(
        `train: ${runDir} already finished all ${total} steps; nothing to resume ` +
          `(report: ${paths.report}; to train further, start a new run or edit "steps" in ` +
          `${paths.config} and add --allow-config-change)`,
      );
      return 0;
    }
    const changes = recorded
      ? checkResumeChanges(configChanges(recorded, recordedConfig(config)), {
        allow: invocation.allowConfigChange,
        dir: runDir,
      })
      : [];
    // lines logged after the restored step would be duplicated; before any checkpoint: all
    const keep = source ? state.step : -1;
    const dropped = await truncateAfterStep(paths.metrics, keep) +
      await truncateAfterStep(paths.samples, keep);
    for await (const entry of Deno.readDir(paths.evalDir)) {
      const step = Number(/step-(\d+)\.jsonl$/.exec(entry.name)?.[1]);
      if (step > keep) await Deno.remove(`${paths.evalDir}/${entry.name}`);
    }
    if (changes.length > 0) {
      await appendJsonl(paths.metrics, [{
        kind: "config_change",
        step: state.step,
        changes: Object.fromEntries(changes.map((c) => [c.key, { from: c.from, to: c.to }])),
      }]);
      log(`train: --allow-config-change: ${changes.map(formatChange).join(", ")} (logged)`);
    }
    log(
      source
        ? `train: resuming ${runDir} at step ${state.step} (dropped ${dropped} lines logged after it)`
        : `train: ${runDir} has no checkpoint yet: starting again from step 0 (its reference model)`,
    );
  } else {
    const staged = await stageRunDir(runDir, {
      force: config.force,
      again: `deno task train --resume ${runDir}`,
    });
    try {
      const init = await initialPolicy(config, {
        onWarmStartStep: (p) => {
          if (p.step % 50 === 0) log(`warm-start step ${p.step} loss ${p.loss.toFixed(4)}`);
        },
      });
      policy = init.policy;
      const stagedPaths = runPaths(staged.staging);
      await writeFileAtomic(
        stagedPaths.config,
        JSON.stringify(
          {
            config: recordedConfig(config),
            backend,
            origin: init.origin,
            data: data.counts,
            dataFingerprint: data.fingerprint,
          },
          null,
          2,
        ) + "\n",
      );
      await writingTo(stagedPaths.reference, () =>
        saveModelCheckpoint(stagedPaths.reference, {
          params: policy.params,
          config: policy.config,
          runConfig: { train: recordedConfig(config) },
        }, {
          step: 0,
          dataCursor: null,
          prngState: createPrng(config.seed).state(),
          datasetFingerprint: data.fingerprint,
          extra: { role: "frozen reference model", origin: init.origin },
        }));
      await commitRunDir(staged);
      log(
        `train: run directory ${runDir} (policy from ${init.origin.kind}${
          init.origin.path ? " " + init.origin.path : ""
        })`,
      );
    } catch (error) {
      await abandonRunDir(staged);
      throw error;
    }
    state = freshLoopState(config.seed);
    hasCheckpoint = false;
  }

  const total = totalSteps(config, data.train.length);
  const startStep = state.step;
  const loopStarted = performance.now();
  let latest: Record<string, number> = {};
  let lastEval: Record<string, unknown> = {};
  let firstEval: Record<string, unknown> | undefined;
  const writeReport = async () => {
    const logs = await readRunLogs(runDir);
    await writeFileAtomic(
      paths.report,
      reportHtml({ name: runDir, config: { ...config }, ...logs }, { plotlyJs }),
    );
  };
  let lastCheckpointStep: number | null = hasCheckpoint ? state.step : null;
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

  try {
    await trainLoop(policy, data, config, state, {
      onStep: async (step, metrics) => {
        latest = metrics;
        await appendJsonl(paths.metrics, [{ kind: "train", ...metrics, step }]);
        const elapsed = (performance.now() - loopStarted) / 1000;
        const line = progressLine({
          done: step,
          total,
          startedAt: startStep,
          elapsedSeconds: elapsed,
          fields: {
            reward: metrics["reward/mean"],
            acc: metrics.acc,
            "held-out": typeof lastEval.accuracy === "number" ? pct(lastEval.accuracy) : "-",
          },
        });
        if (tty) await Deno.stdout.write(new TextEncoder().encode(`\r\x1b[2K${line}`));
        else if (step % 10 === 0 || step === total) console.log(line);
      },
      onSamples: (step, samples) =>
        appendJsonl(paths.samples, samples.map((s) => ({ step, ...s }))),
      onSkip: async (step, reason) => {
        await appendJsonl(paths.metrics, [{ kind: "skip", step, reason }]);
        log(`train: step ${step}: ${reason}`);
      },
      onEval: async (step, evaluation) => {
        const o = evaluation.report.overall;
        lastEval = {
          ...evalLineFields(o, evaluation.report.byDomain),
          ...accuracyByStrength(evaluation.pairs),
          format_valid_rate: evaluation.formatValidRate,
          // synthetic suite: the accuracy a perfect critique-to-score map would reach
          ...(config.data === "synthetic"
            ? { critique_ceiling: evaluationCritiqueCeiling(evaluation) }
            : {}),
        };
        firstEval ??= lastEval;
        await appendJsonl(paths.metrics, [{ kind: "eval", step, ...lastEval }]);
        await writeFileAtomic(
          paths.evalItems(step),
          evaluation.pairs.map((p) => JSON.stringify(p) + "\n").join(""),
        );
        log(
          `eval step ${step}: pairwise accuracy ${pct(o.accuracy)} ± ${pct(o.accuracySe)} (strict ${
            pct(o.strictAccuracy)
          }, ` +
            `ties ${pct(o.tieRate)}, parse errors ${pct(o.parseErrorRate)}, format-valid ${
              pct(evaluation.formatValidRate)
            }, n ${o.n}${
              lastEval.critique_ceiling === undefined
                ? ""
                : `; critique ceiling ${pct(lastEval.critique_ceiling)}`
            })`,
        );
      },
      onCheckpoint: async (s) => {
        await writingTo(paths.checkpoint, () =>
          saveModelCheckpoint(paths.checkpoint, {
            params: policy.params,
            config: policy.config,
            optimizer: policy.optimizer,
            runConfig: { train: recordedConfig(config) },
          }, {
            step: s.step,
            dataCursor: s.cursor,
            prngState: s.prngState,
            datasetFingerprint: data.fingerprint,
            extra: { consecutiveBadSteps: s.consecutiveBadSteps },
          }));
        lastCheckpointStep = s.step;
        await writeReport();
      },
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      await writeReport().catch(() => {});
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
  const seconds = (performance.now() - started) / 1000;
  // this process's share of the run: wall time sums over sessions (sweep summaries read it)
  await appendJsonl(paths.metrics, [{
    kind: "session",
    step: state.step,
    from: startStep,
    to: state.step,
    seconds,
    backend: backend.name,
    finished: state.step >= total,
  }]);
  if (state.step < total) {
    console.log(
      `\ntrain: stopped after step ${state.step} of ${total} (--stop-after), checkpoint saved; ` +
        `continue with: deno task train --resume ${runDir}`,
    );
    return 0;
  }
  const evals = (await readJsonlRecords<Record<string, unknown>>(paths.metrics)).filter((l) =>
    l.kind === "eval"
  );
  const base = evals.find((e) => e.step === 0) ?? firstEval;
  console.log(
    `\ntrain: done in ${formatDuration(seconds)} (${
      seconds.toFixed(0)
    } s): held-out pairwise accuracy ` +
      `${pct(base?.accuracy)} at step 0 -> ${pct(lastEval.accuracy)} at step ${state.step} ` +
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
