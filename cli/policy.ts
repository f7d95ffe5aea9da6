/**
 * `deno task policy`: GRPO training of a small policy that answers the synthetic tasks, with a
 * judge's reward: the paper's downstream use of a GRM, where a pointwise judge scores n answers
 * with n judgments and a pairwise one needs n (n - 1).
 *
 *   deno task policy                                                # oracle reward (the ceiling)
 *   deno task policy --judge irpm --judge-checkpoint runs/<grm>/checkpoint
 *   deno task policy --judge pairwise --judge-checkpoint runs/<pairwise>/checkpoint --samples-per-prompt 8
 *   deno task policy --resume runs/<name>
 *
 * Writes runs/<name>/: config.json, metrics.jsonl (train, eval, hacking, session lines),
 * samples.jsonl, eval/step-N.jsonl (per held-out prompt), reference/ (the policy's start),
 * checkpoint/. Bad flags, a missing or wrong-kind checkpoint, and a run directory in the way exit 2.
 *
 * @module
 */
import { formatHelp } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { startBackend } from "../model/backend_choice.ts";
import { formatDuration, progressLine } from "../train/progress.ts";
import { checkNewRunDir, checkRunName, RunWriteError } from "../train/run_dir.ts";
import { TrainingDivergedError } from "../train/divergence.ts";
import {
  checkPolicyConfig,
  defaultPolicyRunName,
  POLICY_FLAGS,
  policyHelpDefaults,
  resolvePolicyConfig,
} from "../policy/policy_config.ts";
import { loadPolicyJudge } from "../policy/load_judge.ts";
import {
  openResumedPolicyRun,
  type PolicyRunContext,
  policyRunLoop,
  resumePolicyRun,
  startPolicyRun,
} from "../policy/policy_run.ts";
import { policyEvalLine } from "./policy_warmstart.ts";
import { loadPlotlyJs } from "../viz/load_plotly.ts";

const USAGE = `Usage: deno task policy [flags]

GRPO training of a small policy on the synthetic tasks (arith, reverse, sort), rewarded by a judge:
the hidden quality (oracle), IRPM's pointwise GRM, the pairwise GRM or the scalar Bradley-Terry
head. Output: runs/<name>/.

Flags:
`;

async function main(argv: string[]): Promise<number> {
  const invocation = resolvePolicyConfig(argv);
  if (invocation.help) {
    console.log(USAGE + formatHelp(POLICY_FLAGS, policyHelpDefaults()));
    return 0;
  }
  const tty = Deno.stdout.isTerminal();
  const log = (text: string) => console.log(text);
  const resume = invocation.resume;
  const config = resume
    ? await openResumedPolicyRun(resume, { stopAfter: invocation.config.stopAfter })
    : invocation.config;
  if (resume) checkPolicyConfig(config);
  const dir = resume ??
    `${config.runDir}/${checkRunName(config.name ?? defaultPolicyRunName(config))}`;
  if (!resume) {
    await checkNewRunDir(dir, { force: config.force, again: `deno task policy --resume ${dir}` });
  }
  const backend = await startBackend(config.backend);
  // the judge before the run directory: a missing or wrong-kind checkpoint leaves nothing behind
  const { judge, record } = await loadPolicyJudge(config);
  log(
    `policy: backend ${backend.name} on ${backend.device}; judge ${record.name}${
      record.checkpoint ? ` (${record.checkpoint}, sha256 ${record.sha256?.slice(0, 12)})` : ""
    }`,
  );
  // plotly.js for report.html; without it the report falls back to static SVG
  const plotlyJs = await loadPlotlyJs().catch(() => undefined);
  const ctx: PolicyRunContext = { config, dir, backend, judge, judgeRecord: record, log, plotlyJs };
  const prepared = resume ? await resumePolicyRun(ctx) : await startPolicyRun(ctx);
  if ("finished" in prepared) {
    log(`policy: ${dir} already finished all ${prepared.finished} steps; nothing to resume`);
    return 0;
  }
  const onSignal = () => {
    console.log(`\npolicy: interrupted; continue with: deno task policy --resume ${dir}`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const loopStarted = performance.now();
  let result;
  try {
    result = await policyRunLoop(ctx, prepared, {
      onStep: async (step, m) => {
        const line = progressLine({
          done: step,
          total: config.steps,
          startedAt: prepared.step,
          elapsedSeconds: (performance.now() - loopStarted) / 1000,
          fields: {
            quality: m["policy/quality"],
            "judge reward": m["judge/reward_mean"],
            calls: m["judge/calls"],
            "judge s": m["judge/seconds"],
          },
        });
        if (tty) await Deno.stdout.write(new TextEncoder().encode(`\r\x1b[2K${line}`));
        else if (step % 10 === 0 || step === config.steps) console.log(line);
      },
      onEval: (step, summary) => log(`${tty ? "\n" : ""}${policyEvalLine(step, summary)}`),
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      console.error(`\npolicy: ${error.message}`);
      return 1;
    }
    if (error instanceof RunWriteError) {
      console.error(`\npolicy: ${error.message}; continue with: deno task policy --resume ${dir}`);
      return 2;
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  if (result.outcome === "stopped") {
    log(
      `policy: stopped after step ${result.step} (--stop-after); continue with: ` +
        `deno task policy --resume ${dir}`,
    );
    return 0;
  }
  const first = result.firstEval, last = result.lastEval;
  log(
    `policy: done in ${formatDuration(result.seconds)}: held-out greedy quality ${
      first ? first.quality.toFixed(2) : "-"
    } -> ${last?.quality.toFixed(2)} /10, exact ${
      first ? (100 * first.exactRate).toFixed(1) + "%" : "-"
    } -> ${last ? (100 * last.exactRate).toFixed(1) : "-"}%; sampled quality ${
      first ? first.sampledQuality.toFixed(2) : "-"
    } -> ${last?.sampledQuality.toFixed(2)}; reward-hacking flags: ${
      result.hackingSteps.length ? `steps ${result.hackingSteps.join(", ")}` : "none"
    } (${dir}/report.html)`,
  );
  return 0;
}

if (import.meta.main) await runCli("policy", main);
