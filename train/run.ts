/**
 * One IRPM training run in a run directory, as `deno task train` (and through it the sweep runner)
 * performs it, in three visible steps, nanoGPT-style:
 *
 * 1. {@link startRun}: a new run directory, built under a staging name and renamed into place once
 *    its config.json and frozen reference model exist; or {@link resumeRun}: the policy, optimiser
 *    and loop state of an interrupted run, from its last complete checkpoint (or from step 0);
 * 2. {@link trainRun}: the loop (train/trainer.ts) with every line it logs written to the run
 *    directory as it happens: metrics.jsonl (train, eval, skip, session), samples.jsonl,
 *    eval/step-N.jsonl per-pair outputs, checkpoint/, report.html;
 * 3. the caller prints the result ({@link RunResult}).
 *
 * Side effects stay with the caller where they belong to a process: flags, signals, exit codes,
 * the progress display (a callback).
 *
 * @module
 */
import { adamwInit } from "../grpo/adamw.ts";
import type { BackendInfo } from "../model/backend.ts";
import { copyParams, disposeParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import type { PlotlyJs } from "../viz/load_plotly.ts";
import {
  checkConfigObject,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  type TrainConfig,
} from "./config.ts";
import { loadTrainData, type TrainData } from "./data.ts";
import { accuracyByStrength, evalLineFields, evaluationCritiqueCeiling } from "./evaluate.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { initialPolicy } from "./policy_init.ts";
import type { PolicyState } from "./policy_state.ts";
import { reportHtml } from "./report.ts";
import { checkResumeChanges, configChanges, formatChange, restartCommand } from "./resume.ts";
import {
  abandonRunDir,
  appendJsonl,
  commitRunDir,
  inspectOutputDir,
  pathExists,
  readRunLogs,
  RUN_MARKER,
  RunDirError,
  runPaths,
  stageRunDir,
  truncateAfterStep,
  writeFileAtomic,
  writingTo,
} from "./run_dir.ts";
import { freshLoopState, type LoopState, totalSteps, trainLoop } from "./trainer.ts";
import { TrainingDivergedError } from "./divergence.ts";
import { evalFields } from "./metric_names.ts";

/** What every step of a run needs: its settings, data, directory, and where to say things. */
export interface RunContext {
  readonly config: Readonly<TrainConfig>;
  readonly data: TrainData;
  /** The run directory (runs/<name>). */
  readonly dir: string;
  readonly backend: BackendInfo;
  /** One line of news (the CLI prints it; a notebook may collect it). */
  readonly log: (text: string) => void;
  /** plotly.js for report.html; without it the report falls back to static SVG. */
  readonly plotlyJs?: PlotlyJs;
  /** `performance.now()` when the process started: the session line's wall time counts from it
   * (loading included); default the start of the loop. */
  readonly startedAt?: number;
}

/** A run ready to train: the policy, the loop state, and whether a checkpoint exists yet. */
export interface PreparedRun {
  readonly policy: PolicyState;
  readonly state: LoopState;
  readonly hasCheckpoint: boolean;
}

/**
 * The config a run records in config.json and in every checkpoint's sidecar: all of it but the
 * per-process `force` and `stopAfter` (the GRM trainer's and the policy trainer's alike).
 */
export function recordedConfig(
  config: Readonly<Pick<TrainConfig, "force" | "stopAfter">>,
): Record<string, unknown> {
  const { force: _f, stopAfter: _s, ...kept } = config;
  return kept;
}

/**
 * Opens `--resume <dir>`: checks that it is a kit training run with a readable config.json and
 * returns its settings (with a new `stopAfter` time box) and its data.
 */
export async function openResumedRun(
  dir: string,
  options: { stopAfter: number | null; log: (text: string) => void },
): Promise<{ config: Readonly<TrainConfig>; data: TrainData }> {
  const { log } = options;
  const found = await inspectOutputDir(dir);
  const paths = runPaths(dir);
  if (found.state === "absent") {
    throw new RunDirError(`--resume ${dir}: no such run directory`);
  }
  if (found.state !== "kit" || (found.kind !== "train" && found.kind !== "legacy")) {
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

/**
 * Step 1 of a new run: builds the run directory under a staging name (config.json and the frozen
 * reference model, i.e. the starting policy), then renames it into place. A failure leaves
 * nothing behind.
 */
export async function startRun(ctx: RunContext): Promise<PreparedRun> {
  const { config, data, dir, backend, log } = ctx;
  const staged = await stageRunDir(dir, {
    force: config.force,
    again: `deno task train --resume ${dir}`,
  });
  let policy: PolicyState;
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
    await writingTo(
      stagedPaths.reference,
      () =>
        saveModelCheckpoint(stagedPaths.reference, {
          model: {
            params: policy.params,
            config: policy.config,
            runConfig: { train: recordedConfig(config) },
          },
          state: {
            step: 0,
            dataCursor: null,
            prngState: createPrng(config.seed).state(),
            datasetFingerprint: data.fingerprint,
            extra: { role: "frozen reference model", origin: init.origin },
          },
        }),
    );
    await commitRunDir(staged);
    log(
      `train: run directory ${dir} (policy from ${init.origin.kind}${
        init.origin.path ? " " + init.origin.path : ""
      })`,
    );
  } catch (error) {
    await abandonRunDir(staged);
    throw error;
  }
  return { policy, state: freshLoopState(config.seed), hasCheckpoint: false };
}

/**
 * Step 1 of a resumed run: the policy, optimiser and loop state from the last complete checkpoint,
 * or from the reference at step 0 when the run was cut before its first checkpoint. Config edits
 * since the weights were trained are refused unless `allowConfigChange` (then logged as a
 * `config_change` line); lines logged after the restored step are dropped. Returns the step count
 * instead when the run already finished (nothing is changed then).
 */
export async function resumeRun(
  ctx: RunContext,
  options: { allowConfigChange: boolean },
): Promise<PreparedRun | { finished: number }> {
  const { config, data, dir, log } = ctx;
  const paths = runPaths(dir);
  const reference = await loadModelCheckpoint(paths.reference);
  const total = totalSteps(config, data.train.length);
  // a first checkpoint killed before its tensors were renamed into place counts as none
  const hasCheckpoint = await pathExists(`${paths.checkpoint}/model.safetensors`);
  const source = hasCheckpoint
    ? await loadModelCheckpoint(paths.checkpoint, { datasetFingerprint: data.fingerprint })
    : undefined;
  // what the weights were trained with (runs from before this record: no check possible)
  const recorded = ((source ?? reference).sidecar.config as { train?: Record<string, unknown> })
    .train;
  let policy: PolicyState;
  let state: LoopState;
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
    return { finished: total };
  }
  const changes = recorded
    ? checkResumeChanges(configChanges(recorded, recordedConfig(config), DEFAULT_TRAIN_CONFIG), {
      allow: options.allowConfigChange,
      dir,
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
      ? `train: resuming ${dir} at step ${state.step} (dropped ${dropped} lines logged after it)`
      : `train: ${dir} has no checkpoint yet: starting again from step 0 (its reference model)`,
  );
  return { policy, state, hasCheckpoint };
}

/** Hooks of {@link trainRun} for the caller's display; all optional. */
export interface RunHooks {
  /** After each logged step, with the latest held-out accuracy (or null before the first eval). */
  onStep?: (step: number, metrics: Record<string, number>, heldOut: number | null) => unknown;
  /** After a checkpoint is complete on disk. */
  onCheckpoint?: (step: number) => unknown;
}

/** What a call of {@link trainRun} did. */
export interface RunResult {
  /** "stopped": `stopAfter` ended this session before the last step (a checkpoint was saved). */
  readonly outcome: "finished" | "stopped";
  readonly fromStep: number;
  readonly step: number;
  readonly total: number;
  /** Wall seconds of this session (from `ctx.startedAt`). */
  readonly seconds: number;
  /** The step-0 (or this session's first) and the last eval line's fields. */
  readonly firstEval: Record<string, unknown> | undefined;
  readonly lastEval: Record<string, unknown>;
  /** The last train line's metrics. */
  readonly latest: Record<string, number>;
}

const pct = (x: unknown) => (typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "-");

/**
 * Step 2: trains from the prepared state to the last step (or `stopAfter`), writing every line
 * to the run directory as it happens, checkpoints and report.html on their schedule, and one
 * `session` line at the end. A diverged run writes its report and rethrows
 * {@link TrainingDivergedError}; a failed write rethrows the RunWriteError (what was written
 * before stays valid).
 */
export async function trainRun(
  ctx: RunContext,
  prepared: PreparedRun,
  hooks: RunHooks = {},
): Promise<RunResult> {
  const { config, data, dir, backend, log, plotlyJs } = ctx;
  const { policy, state } = prepared;
  const paths = runPaths(dir);
  const total = totalSteps(config, data.train.length);
  const fromStep = state.step;
  const started = ctx.startedAt ?? performance.now();
  let latest: Record<string, number> = {};
  let lastEval: Record<string, unknown> = {};
  let firstEval: Record<string, unknown> | undefined;
  const writeReport = async () => {
    const logs = await readRunLogs(dir);
    await writeFileAtomic(
      paths.report,
      reportHtml({ name: dir, config: { ...config }, ...logs }, { plotlyJs }),
    );
  };
  try {
    await trainLoop(policy, { data, config, state }, {
      onStep: async (step, metrics) => {
        latest = metrics;
        await appendJsonl(paths.metrics, [{ kind: "train", ...metrics, step }]);
        const heldOut = typeof lastEval.accuracy === "number" ? lastEval.accuracy : null;
        await hooks.onStep?.(step, metrics, heldOut);
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
        await appendJsonl(paths.metrics, [{ kind: "eval", step, ...evalFields(lastEval) }]);
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
            model: {
              params: policy.params,
              config: policy.config,
              optimizer: policy.optimizer,
              runConfig: { train: recordedConfig(config) },
            },
            state: {
              step: s.step,
              dataCursor: s.cursor,
              prngState: s.prngState,
              datasetFingerprint: data.fingerprint,
              extra: { consecutiveBadSteps: s.consecutiveBadSteps },
            },
          }));
        await hooks.onCheckpoint?.(s.step);
        await writeReport();
      },
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) await writeReport().catch(() => {});
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  // this process's share of the run: wall time sums over sessions (sweep summaries read it)
  await appendJsonl(paths.metrics, [{
    kind: "session",
    step: state.step,
    from: fromStep,
    to: state.step,
    seconds,
    backend: backend.name,
    finished: state.step >= total,
  }]);
  return {
    outcome: state.step >= total ? "finished" : "stopped",
    fromStep,
    step: state.step,
    total,
    seconds,
    firstEval,
    lastEval,
    latest,
  };
}
