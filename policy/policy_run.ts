/**
 * One policy RL run in a run directory, as `deno task policy` performs it (the same three steps
 * and the same directory rules as a GRM training run, train/run.ts):
 *
 * 1. {@link startPolicyRun}: a new run directory, staged and renamed into place once config.json
 *    and the frozen start (`reference/`, the KL anchor) exist; or {@link resumePolicyRun}: the
 *    policy and optimiser of an interrupted run from its last checkpoint;
 * 2. {@link policyRunLoop}: steps with every line written as it happens: metrics.jsonl (`train`,
 *    `eval`, `hacking`, `session` lines), samples.jsonl, eval/step-N.jsonl per held-out prompt,
 *    checkpoint/, report.html (policy/policy_report.ts) with each checkpoint and at the end;
 * 3. the caller prints the result.
 *
 * A step's prompts and PRNGs are keyed by (seed, step), so a resumed run draws what the
 * uninterrupted run would have drawn and logs the same metrics.
 *
 * @module
 */
import { adamwInit } from "../grpo/adamw.ts";
import type { BackendInfo } from "../model/backend.ts";
import { disposeParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import {
  loadForFlag,
  loadModelCheckpoint,
  saveModelCheckpoint,
} from "../checkpoint/model_checkpoint.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import { stepOrDiverge } from "../train/divergence.ts";
import { type PolicyState, startingPolicy } from "../train/policy_state.ts";
import {
  abandonRunDir,
  appendJsonl,
  commitRunDir,
  inspectOutputDir,
  pathExists,
  readJsonlRecords,
  RUN_MARKER,
  RunDirError,
  runPaths,
  stageRunDir,
  truncateAfterStep,
  writeFileAtomic,
  writingTo,
} from "../train/run_dir.ts";
import { learningRate } from "../train/trainer.ts";
import { recordedConfig } from "../train/run.ts";
import type { JudgeRecord } from "./load_judge.ts";
import type { PolicyJudge } from "./judges.ts";
import { DEFAULT_POLICY_CONFIG, type PolicyConfig } from "./policy_config.ts";
import { evaluatePolicyAnswers, type PolicyEvalSummary } from "./policy_eval.ts";
import { policyStep } from "./policy_step.ts";
import { heldOutTasks, stepTasks } from "./policy_tasks.ts";
import { rewardHackingCheck } from "./reward_hacking.ts";
import { policyReportHtml } from "./policy_report.ts";
import { evalFields } from "../train/metric_names.ts";
import type { PlotlyJs } from "../viz/load_plotly.ts";

/** The shipped policy warm-start (`--policy-start shipped`). */
export const SHIPPED_POLICY_START = new URL("../checkpoints/policy-small", import.meta.url);

/** What every step of a policy run needs. */
export interface PolicyRunContext {
  readonly config: Readonly<PolicyConfig>;
  readonly dir: string;
  readonly backend: BackendInfo;
  readonly judge: PolicyJudge;
  readonly judgeRecord: JudgeRecord;
  readonly log: (text: string) => void;
  /** plotly.js for report.html; without it the report falls back to static SVG. */
  readonly plotlyJs?: PlotlyJs;
}

/** A run ready to train. */
export interface PreparedPolicyRun {
  readonly policy: PolicyState;
  readonly step: number;
}

/** The seeds of step `step` (0-based): prompts, the policy's sampling, the judge's sampling. */
export function stepSeeds(seed: number, step: number): { sample: number; judge: number } {
  return {
    sample: (seed * 1_000_003 + step * 7_919 + 1) % 2 ** 31,
    judge: (seed * 1_000_033 + step * 7_927 + 2) % 2 ** 31,
  };
}

/** The policy start a config names, loaded and checked to be a policy warm-start. */
async function loadPolicyStart(config: Readonly<PolicyConfig>) {
  const dir = config.policyStart === "shipped" ? SHIPPED_POLICY_START.pathname : config.policyStart;
  const loaded = await loadForFlag(
    `--policy-start ${config.policyStart}`,
    () => loadModelCheckpoint(dir),
  );
  const kind = (loaded.sidecar.config as { kind?: unknown }).kind;
  if (kind !== "policy") {
    disposeParams(loaded.params);
    throw new CheckpointError(
      `--policy-start ${dir}: not a policy warm-start (its checkpoint.json says kind ${
        JSON.stringify(kind ?? "pointwise")
      }; make one with deno task policy:warmstart)`,
    );
  }
  return { dir, loaded };
}

/** Step 1 of a new run: the staged run directory with config.json and reference/. */
export async function startPolicyRun(ctx: PolicyRunContext): Promise<PreparedPolicyRun> {
  const { config, dir, backend, log } = ctx;
  const { dir: startDir, loaded } = await loadPolicyStart(config);
  const staged = await stageRunDir(dir, {
    force: config.force,
    again: `deno task policy --resume ${dir}`,
    kind: "policy",
  });
  try {
    const paths = runPaths(staged.staging);
    await writeFileAtomic(
      paths.config,
      JSON.stringify(
        {
          kind: "policy",
          config: recordedConfig(config),
          backend,
          policyStart: { path: startDir, sha256: loaded.sidecar.sha256 },
          judge: ctx.judgeRecord,
        },
        null,
        2,
      ) + "\n",
    );
    await writingTo(paths.reference, () =>
      saveModelCheckpoint(paths.reference, {
        model: {
          params: loaded.params,
          config: loaded.config,
          runConfig: { policy: recordedConfig(config), kind: "policy" },
        },
        state: {
          step: 0,
          dataCursor: null,
          prngState: createPrng(config.seed).state(),
          datasetFingerprint: "policy",
          extra: { role: "frozen policy start (KL anchor)", from: startDir },
        },
      }));
    await commitRunDir(staged);
  } catch (error) {
    await abandonRunDir(staged);
    disposeParams(loaded.params);
    throw error;
  }
  log(`policy: run directory ${dir} (policy from ${startDir}, judge ${ctx.judgeRecord.name})`);
  return {
    policy: startingPolicy(loaded),
    step: 0,
  };
}

/**
 * Opens `--resume <dir>`: its recorded config (with a new `stopAfter`), refusing a directory that
 * is not a policy run of the kit.
 */
export async function openResumedPolicyRun(
  dir: string,
  options: { stopAfter: number | null },
): Promise<Readonly<PolicyConfig>> {
  const found = await inspectOutputDir(dir);
  if (found.state === "absent") throw new RunDirError(`--resume ${dir}: no such run directory`);
  const paths = runPaths(dir);
  let stored: { kind?: unknown; config?: Record<string, unknown> } = {};
  try {
    stored = JSON.parse(await Deno.readTextFile(paths.config));
  } catch {
    // reported below
  }
  if (
    found.state !== "kit" || found.kind !== "policy" || stored.kind !== "policy" || !stored.config
  ) {
    throw new RunDirError(
      `--resume ${dir}: not a policy run of the kit (no ${RUN_MARKER}, or config.json is missing ` +
        `or not a policy run's)`,
    );
  }
  return Object.freeze({
    ...DEFAULT_POLICY_CONFIG,
    ...stored.config,
    stopAfter: options.stopAfter,
    force: false,
  } as PolicyConfig);
}

/**
 * Step 1 of a resumed run: the policy and optimiser from the last checkpoint (or the start, when
 * the run was cut before one); lines logged after that step are dropped. Returns the step count
 * instead when the run already finished.
 */
export async function resumePolicyRun(
  ctx: PolicyRunContext,
): Promise<PreparedPolicyRun | { finished: number }> {
  const { config, dir, log } = ctx;
  const paths = runPaths(dir);
  const reference = await loadModelCheckpoint(paths.reference);
  const source = await pathExists(`${paths.checkpoint}/model.safetensors`)
    ? await loadModelCheckpoint(paths.checkpoint)
    : undefined;
  const step = source?.sidecar.step ?? 0;
  if (step >= config.steps) {
    disposeParams(reference.params);
    if (source) disposeParams(source.params);
    return { finished: config.steps };
  }
  const policy: PolicyState = source
    ? {
      params: source.params,
      reference: reference.params,
      config: source.config,
      optimizer: source.optimizer ?? adamwInit(source.params),
    }
    : startingPolicy(reference);
  const keep = source ? step : -1;
  const dropped = await truncateAfterStep(paths.metrics, keep) +
    await truncateAfterStep(paths.samples, keep);
  for await (const entry of Deno.readDir(paths.evalDir)) {
    const at = Number(/step-(\d+)\.jsonl$/.exec(entry.name)?.[1]);
    if (at > keep) await Deno.remove(`${paths.evalDir}/${entry.name}`);
  }
  log(
    source
      ? `policy: resuming ${dir} at step ${step} (dropped ${dropped} lines logged after it)`
      : `policy: ${dir} has no checkpoint yet: starting again from step 0`,
  );
  return { policy, step };
}

/** Hooks for the caller's display. */
export interface PolicyRunHooks {
  onStep?: (step: number, metrics: Record<string, number>) => unknown;
  onEval?: (step: number, summary: PolicyEvalSummary) => unknown;
}

/** What a call of {@link policyRunLoop} did. */
export interface PolicyRunResult {
  readonly outcome: "finished" | "stopped";
  readonly fromStep: number;
  readonly step: number;
  readonly seconds: number;
  readonly firstEval: PolicyEvalSummary | undefined;
  readonly lastEval: PolicyEvalSummary | undefined;
  /** Steps flagged by the reward-hacking check in this session. */
  readonly hackingSteps: number[];
}

/** The eval line of a summary. */
export function policyEvalFields(s: PolicyEvalSummary): Record<string, number> {
  return {
    quality: s.quality,
    exact_rate: s.exactRate,
    finished_rate: s.finishedRate,
    sampled_quality: s.sampledQuality,
    sampled_exact_rate: s.sampledExactRate,
    ...Object.fromEntries(Object.entries(s.byDomain).map(([d, q]) => [`quality/${d}`, q])),
    n: s.n,
  };
}

/** Step 2: trains to the last step (or `stopAfter`), writing every line as it happens. */
export async function policyRunLoop(
  ctx: PolicyRunContext,
  prepared: PreparedPolicyRun,
  hooks: PolicyRunHooks = {},
): Promise<PolicyRunResult> {
  const { config, dir, judge, log } = ctx;
  const { policy } = prepared;
  const paths = runPaths(dir);
  const started = performance.now();
  const heldOut = heldOutTasks({ seed: config.seed, count: config.evalPrompts });
  const exclude = new Set(heldOut.map((t) => t.prompt));
  const stopAt = Math.min(config.steps, config.stopAfter ?? config.steps);
  const fromStep = prepared.step;
  // the hacking check reads the whole history (earlier sessions' train lines included)
  const history = (await readJsonlRecords<Record<string, number | string>>(paths.metrics))
    .filter((l) => l.kind === "train");
  const judgeSeries = history.map((l) => Number(l["judge/reward_mean"]));
  const qualitySeries = history.map((l) => Number(l["policy/quality"]));
  let flagged = false;
  const hackingSteps: number[] = [];
  let firstEval: PolicyEvalSummary | undefined, lastEval: PolicyEvalSummary | undefined;

  const evaluate = async (step: number) => {
    const out = await evaluatePolicyAnswers(policy, heldOut, {
      samples: config.evalSamples,
      rng: createPrng(config.seed * 31 + 7), // the same draws at every evaluation
    });
    await appendJsonl(paths.metrics, [{
      kind: "eval",
      step,
      ...evalFields(policyEvalFields(out.summary)),
    }]);
    await writeFileAtomic(
      paths.evalItems(step),
      out.items.map((i) => JSON.stringify(i) + "\n").join(""),
    );
    firstEval ??= out.summary;
    lastEval = out.summary;
    await hooks.onEval?.(step, out.summary);
  };
  const report = async () => {
    const lines = await readJsonlRecords<Record<string, unknown>>(paths.metrics);
    await writeFileAtomic(
      paths.report,
      policyReportHtml({ name: dir, config: recordedConfig(config), lines }, {
        plotlyJs: ctx.plotlyJs,
      }),
    );
  };
  const checkpoint = (step: number) =>
    writingTo(paths.checkpoint, () =>
      saveModelCheckpoint(paths.checkpoint, {
        model: {
          params: policy.params,
          config: policy.config,
          optimizer: policy.optimizer,
          runConfig: { policy: recordedConfig(config), kind: "policy" },
        },
        state: {
          step,
          dataCursor: null,
          prngState: createPrng(config.seed).state(),
          datasetFingerprint: "policy",
        },
      }));

  if (fromStep === 0) await evaluate(0);
  let step = fromStep;
  while (step < stopAt) {
    const tasks = stepTasks({
      seed: config.seed,
      step,
      count: config.promptsPerStep,
      exclude,
    });
    const seeds = stepSeeds(config.seed, step);
    const lr = learningRate(config, { step, total: config.steps });
    const result = await stepOrDiverge(
      () =>
        policyStep(policy, {
          tasks,
          config,
          judge,
          lr,
          rng: createPrng(seeds.sample),
          judgeSeed: seeds.judge,
        }),
      { step: step + 1, what: "policy" },
    );
    step++;
    await appendJsonl(paths.metrics, [{ kind: "train", step, ...result.metrics }]);
    if (config.sampleEvery > 0 && step % config.sampleEvery === 0) {
      await appendJsonl(paths.samples, result.samples.map((s) => ({ step, ...s })));
    }
    judgeSeries.push(result.metrics["judge/reward_mean"]);
    qualitySeries.push(result.metrics["policy/quality"]);
    if (judge.name !== "pairwise") {
      const check = rewardHackingCheck(judgeSeries, qualitySeries, {
        window: config.hackingWindow,
      });
      if (check?.flagged && !flagged) {
        hackingSteps.push(step);
        await appendJsonl(paths.metrics, [{ kind: "hacking", step, ...check }]);
        log(
          `policy: step ${step}: REWARD HACKING? the judge's reward rose by ${
            check.judgeChange.toFixed(3)
          } (se ${check.judgeSe.toFixed(3)}) while the hidden quality fell by ${
            (-check.qualityChange).toFixed(3)
          } (se ${
            check.qualitySe.toFixed(3)
          }), first ${config.hackingWindow} steps against the last ${config.hackingWindow}`,
        );
      }
      flagged = check?.flagged ?? false;
    }
    await hooks.onStep?.(step, result.metrics);
    const last = step === config.steps;
    if (last || (config.evalEvery > 0 && step % config.evalEvery === 0)) await evaluate(step);
    if (
      last || step === stopAt ||
      (config.checkpointEvery > 0 && step % config.checkpointEvery === 0)
    ) {
      await checkpoint(step);
      await report();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await appendJsonl(paths.metrics, [{
    kind: "session",
    step,
    from: fromStep,
    to: step,
    seconds,
    backend: ctx.backend.name,
    finished: step >= config.steps,
  }]);
  await report();
  return {
    outcome: step >= config.steps ? "finished" : "stopped",
    fromStep,
    step,
    seconds,
    firstEval,
    lastEval,
    hackingSteps,
  };
}
