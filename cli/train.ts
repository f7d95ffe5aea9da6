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
import { camelToKebab, formatHelp, UsageError } from "./flags.ts";
import { runCli } from "./run_cli.ts";
import { initBackend } from "../model/backend.ts";
import { adamwInit } from "../grpo/adamw.ts";
import {
  checkConfigObject,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  TRAIN_FLAGS,
  type TrainConfig,
} from "../train/config.ts";
import { loadTrainData } from "../train/data.ts";
import { initialPolicy } from "../train/policy_init.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "../train/model_checkpoint.ts";
import { formatDuration, progressLine } from "../train/progress.ts";
import { reportHtml } from "../train/report.ts";
import {
  appendJsonl,
  createRunDir,
  readJsonlRecords,
  readRunLogs,
  runPaths,
  truncateAfterStep,
  writeFileAtomic,
} from "../train/run_dir.ts";
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
import { evalLineFields, evaluationCritiqueCeiling } from "../train/evaluate.ts";

const USAGE = `Usage: deno task train [flags]

Trains a pointwise generative reward model from pairwise preferences with IRPM + GRPO
(arXiv 2601.00677). With no flags: the shipped warm-start GRM (small preset) on the embedded
synthetic suite, on the wasm CPU backend, in a few minutes. Output: runs/<name>/.

Flags (a --config JSON file with the same keys in camelCase fills them too; flags win):
`;

async function readConfigFile(path: string): Promise<Partial<TrainConfig>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
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
    const defaults = Object.fromEntries(
      Object.entries(DEFAULT_TRAIN_CONFIG).map(([k, v]) => [camelToKebab(k), v]),
    );
    console.log(USAGE + formatHelp(TRAIN_FLAGS, defaults));
    return 0;
  }
  const resume = invocation.resume;
  const extraFlags = argv.filter((a) => a.startsWith("--") && !/^--(resume|stop-after)\b/.test(a));
  if (resume && extraFlags.length > 0) {
    console.error(
      `train: --resume continues a run with its own config.json; only --stop-after may be added (got ${
        extraFlags[0]
      })`,
    );
    return 2;
  }
  let config: Readonly<TrainConfig> = invocation.config;
  let runDir: string;
  if (resume) {
    const stored = JSON.parse(await Deno.readTextFile(runPaths(resume).config));
    config = Object.freeze({
      ...DEFAULT_TRAIN_CONFIG,
      ...checkConfigObject(stored.config, runPaths(resume).config),
      stopAfter: invocation.config.stopAfter, // a new time box, not the interrupted one's
    });
    runDir = resume;
    if (config.model !== "pointwise") {
      console.error(
        `train: ${resume} is a ${config.model} baseline run; baseline runs have no mid-run ` +
          `checkpoint to resume (train it again with --force)`,
      );
      return 2;
    }
  } else {
    const name = config.name ??
      `${config.model === "pointwise" ? config.design : config.model}-${
        new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)
      }`;
    runDir = `${config.runDir}/${name}`;
  }
  const paths = runPaths(runDir);
  const tty = Deno.stdout.isTerminal();
  const log = (text: string) => console.log(tty ? `\r\x1b[2K${text}` : text);

  const backend = await initBackend(config.backend);
  log(`train: backend ${backend.name} on ${backend.device}`);
  const data = await loadTrainData(config);
  log(
    `train: ${data.train.length} training pairs, ${data.test.length} held-out pairs (${config.data})`,
  );
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
      { backend, log, tty, plotlyJs },
    );
  }

  let policy: PolicyState;
  let state: LoopState;
  if (resume) {
    const reference = await loadModelCheckpoint(paths.reference);
    const checkpoint = await loadModelCheckpoint(paths.checkpoint, {
      datasetFingerprint: data.fingerprint,
    });
    policy = {
      params: checkpoint.params,
      reference: reference.params,
      config: checkpoint.config,
      optimizer: checkpoint.optimizer ?? adamwInit(checkpoint.params),
    };
    const sidecar = checkpoint.sidecar;
    state = {
      step: sidecar.step,
      cursor: sidecar.dataCursor as LoopState["cursor"],
      prngState: [...sidecar.prngState],
      consecutiveBadSteps: Number(sidecar.extra?.consecutiveBadSteps ?? 0),
    };
    const dropped = await truncateAfterStep(paths.metrics, state.step) +
      await truncateAfterStep(paths.samples, state.step);
    for await (const entry of Deno.readDir(paths.evalDir)) {
      const step = Number(/step-(\d+)\.jsonl$/.exec(entry.name)?.[1]);
      if (step > state.step) await Deno.remove(`${paths.evalDir}/${entry.name}`);
    }
    log(
      `train: resuming ${runDir} at step ${state.step} (dropped ${dropped} lines logged after it)`,
    );
  } else {
    try {
      await createRunDir(runDir, { force: config.force });
    } catch (error) {
      console.error(`train: ${(error as Error).message}`);
      return 2;
    }
    const init = await initialPolicy(config, {
      onWarmStartStep: (p) => {
        if (p.step % 50 === 0) log(`warm-start step ${p.step} loss ${p.loss.toFixed(4)}`);
      },
    });
    policy = init.policy;
    await writeFileAtomic(
      paths.config,
      JSON.stringify(
        {
          config,
          backend,
          origin: init.origin,
          data: data.counts,
          dataFingerprint: data.fingerprint,
        },
        null,
        2,
      ) + "\n",
    );
    await saveModelCheckpoint(paths.reference, { params: policy.params, config: policy.config }, {
      step: 0,
      dataCursor: null,
      prngState: createPrng(config.seed).state(),
      datasetFingerprint: data.fingerprint,
      extra: { role: "frozen reference model", origin: init.origin },
    });
    state = freshLoopState(config.seed);
    log(
      `train: run directory ${runDir} (policy from ${init.origin.kind}${
        init.origin.path ? " " + init.origin.path : ""
      })`,
    );
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
  let lastCheckpointStep = state.step;
  const onSignal = () => {
    console.log(
      `\ntrain: interrupted; the last complete checkpoint is step ${lastCheckpointStep} in ${paths.checkpoint}; ` +
        `continue with: deno task train --resume ${runDir}`,
    );
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
        await saveModelCheckpoint(paths.checkpoint, {
          params: policy.params,
          config: policy.config,
          optimizer: policy.optimizer,
        }, {
          step: s.step,
          dataCursor: s.cursor,
          prngState: s.prngState,
          datasetFingerprint: data.fingerprint,
          extra: { consecutiveBadSteps: s.consecutiveBadSteps },
        });
        lastCheckpointStep = s.step;
        await writeReport();
      },
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      await writeReport();
      console.error(`\ntrain: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  const seconds = (performance.now() - started) / 1000;
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
