/**
 * `deno task train --model scalar-bt | pairwise`: the two baselines of the comparison, trained on
 * the same pairs, from the same warm-start, with the same budget (steps, batch, lr, schedule,
 * decay, clipping, seed) as an IRPM run of the same flags.
 *
 * The run directory has the IRPM run's layout: config.json, metrics.jsonl (one `train` line per
 * step, then one `eval` line), eval/step-N.jsonl (the per-pair trace behind the eval numbers),
 * checkpoint/ (a judge checkpoint with its kind, loadable by `deno task eval`) and report.html.
 * There is no mid-run checkpoint: a baseline run is minutes long, so `--resume` and `--stop-after`
 * are refused for it.
 *
 * @module
 */
import { evalFields } from "../train/metric_names.ts";
import { adamwDispose } from "../grpo/adamw.ts";
import { BASELINE_TRAINERS, type BaselineName } from "../baselines/train_baselines.ts";
import { saveJudgeModel } from "../baselines/judge_checkpoint.ts";
import { modelConfig } from "../model/config.ts";
import { disposeParams } from "../model/params.ts";
import type { BackendInfo } from "../model/backend.ts";
import { createPrng } from "../rng/prng.ts";
import type { TrainConfig } from "../train/config.ts";
import type { TrainData } from "../train/data.ts";
import { evalLineFields } from "../train/evaluate.ts";
import { initialPolicy } from "../train/policy_init.ts";
import { formatDuration, progressLine } from "../train/progress.ts";
import { reportHtml } from "../train/report.ts";
import {
  abandonRunDir,
  appendJsonl,
  commitRunDir,
  readRunLogs,
  runPaths,
  stageRunDir,
  writeFileAtomic,
} from "../train/run_dir.ts";
import { evaluateJudge } from "../eval_run/run_eval.ts";
import type { EvalSet } from "../eval_run/eval_set.ts";
import type { PlotlyJs } from "../viz/load_plotly.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Trains, evaluates and saves one baseline run; returns the exit code. */
export async function runBaselineTraining(
  run: { config: Readonly<TrainConfig> & { model: BaselineName }; dir: string; data: TrainData },
  io: {
    backend: BackendInfo;
    log: (text: string) => void;
    tty: boolean;
    plotlyJs?: PlotlyJs;
    /** The config as config.json records it. */
    recorded: Record<string, unknown>;
  },
): Promise<number> {
  const { config, dir: runDir, data } = run;
  const started = performance.now();
  const { log } = io;
  const paths = runPaths(runDir);
  // the run directory appears once config.json is written (see train/run_dir.ts)
  const staged = await stageRunDir(runDir, { force: config.force });
  let init;
  try {
    init = await initialPolicy(config);
    await writeFileAtomic(
      runPaths(staged.staging).config,
      JSON.stringify(
        {
          config: io.recorded,
          backend: io.backend,
          origin: init.origin,
          data: data.counts,
          dataFingerprint: data.fingerprint,
        },
        null,
        2,
      ) + "\n",
    );
    await commitRunDir(staged);
  } catch (error) {
    await abandonRunDir(staged);
    throw error;
  }
  disposeParams(init.policy.reference); // the body is trained in place; no reference needed
  adamwDispose(init.policy.optimizer);
  const body = { params: init.policy.params, config: modelConfig(init.policy.config) };
  log(
    `train: run directory ${runDir} (${config.model} baseline from ${init.origin.kind}${
      init.origin.path ? " " + init.origin.path : ""
    })`,
  );

  const loopStarted = performance.now();
  const trained = await BASELINE_TRAINERS[config.model](body, { pairs: data.train, config }, {
    pairwiseWarmStartSteps: config.pairwiseWarmStartSteps,
    onWarmStartStep: (step, loss) => {
      if (step % 50 === 0) log(`pairwise format warm-start step ${step} loss ${loss.toFixed(4)}`);
    },
    onStep: async (step, metrics) => {
      await appendJsonl(paths.metrics, [{ kind: "train", ...metrics, step }]);
      const line = progressLine({
        done: step,
        total: config.steps,
        startedAt: 0,
        elapsedSeconds: (performance.now() - loopStarted) / 1000,
        // the pairwise step logs `verdict_accuracy`, the scalar B-T step `accuracy`
        fields: { loss: metrics.loss, acc: metrics.verdict_accuracy ?? metrics.accuracy },
      });
      if (io.tty) await Deno.stdout.write(new TextEncoder().encode(`\r\x1b[2K${line}`));
      else if (step % 10 === 0 || step === config.steps) console.log(line);
    },
  });

  const set: EvalSet = {
    data: config.data,
    source: `${config.data} held-out split`,
    pairs: data.test.slice(0, config.evalPairs),
  };
  log(`train: evaluating on ${set.pairs.length} held-out pairs`);
  const report = await evaluateJudge({ ...trained.model, name: runDir }, set, {
    ks: [1],
    seed: config.seed,
  });
  const o = report.evaluation.summary.overall;
  await appendJsonl(paths.metrics, [{
    kind: "eval",
    step: config.steps,
    ...evalFields({
      ...evalLineFields(o, report.evaluation.summary.byDomain),
      judge_calls: report.evaluation.calls,
    }),
  }]);
  await writeFileAtomic(
    paths.evalItems(config.steps),
    report.evaluation.traces.map((t) => JSON.stringify(t) + "\n").join(""),
  );
  await saveJudgeModel(paths.checkpoint, {
    model: { ...trained.model, runConfig: { train: io.recorded } },
    state: {
      step: config.steps,
      dataCursor: null,
      prngState: createPrng(config.seed).state(),
      datasetFingerprint: data.fingerprint,
      extra: { trainSeconds: trained.seconds },
    },
  });
  disposeParams(trained.model.params);
  const logs = await readRunLogs(runDir);
  await writeFileAtomic(
    paths.report,
    reportHtml({ name: runDir, config: { ...config }, ...logs }, { plotlyJs: io.plotlyJs }),
  );
  const seconds = (performance.now() - started) / 1000;
  await appendJsonl(paths.metrics, [{
    kind: "session",
    step: config.steps,
    from: 0,
    to: config.steps,
    seconds,
    backend: io.backend.name,
    finished: true,
  }]);
  console.log(
    `\ntrain: ${config.model} baseline done in ${formatDuration(seconds)} (${
      seconds.toFixed(0)
    } s, training ${trained.seconds.toFixed(0)} s): held-out pairwise accuracy ${
      pct(o.accuracy)
    } ± ${pct(o.accuracySe)} (strict ${pct(o.strictAccuracy)}, ties ${pct(o.tieRate)}, ` +
      `parse errors ${pct(o.parseErrorRate)}, n ${o.n}, ${report.evaluation.calls} judge calls)`,
  );
  console.log(`train: checkpoint ${paths.checkpoint} (deno task eval ${paths.checkpoint})`);
  console.log(`train: report ${paths.report}`);
  return 0;
}
