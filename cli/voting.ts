/**
 * `deno task voting`: ties and voting measured for pointwise GRM checkpoints (eval_run/
 * voting_study.ts): greedy vs voting@k at several sampling temperatures, with judge calls,
 * generated tokens and seconds, and the critique ceiling of greedy and sampled critiques.
 *
 *   deno task voting runs/mean/checkpoint --name mean --json results/voting/mean.json
 *
 * Prints a markdown table per checkpoint; `--json` writes rows, critiques and provenance (the
 * checkpoint's SHA-256, kit commit, backend, command) for notebook 04.
 *
 * @module
 */
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { checkOutputPath, writeOutputFile } from "./output_file.ts";
import { parseKs } from "./eval.ts";
import { type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { BACKEND_FLAG } from "./backend_flag.ts";
import { disposeParams } from "../model/params.ts";
import { loadJudgeModel } from "../baselines/judge_checkpoint.ts";
import { loadEvalSet } from "../eval_run/eval_set.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "../eval_run/pointwise_eval.ts";
import { type VotingStudy, votingStudy } from "../eval_run/voting_study.ts";
import { kitCommit, shellCommand } from "./provenance.ts";

const SCHEMA: FlagSchema = {
  temperatures: { kind: "string", help: "sampling temperatures, comma-separated" },
  ks: { kind: "string", help: "votes per response, comma-separated" },
  seed: { kind: "number", integer: true, min: 0, help: "held-out split and sampling seed" },
  "test-size": { kind: "number", integer: true, min: 1, help: "synthetic held-out pairs" },
  name: { kind: "string", help: "label of the checkpoint in the output" },
  backend: BACKEND_FLAG,
  json: { kind: "string", help: "write rows, critiques and provenance here" },
  readout: {
    kind: "boolean",
    help: "add the expected-score readout rows (--no-readout: off)",
  },
};
const DEFAULTS = {
  temperatures: "0.5,0.7,1",
  ks: "1,2,4,8",
  seed: 0,
  "test-size": 256,
  backend: "auto",
  readout: true,
};

/** Parses `--temperatures 0.5,0.7,1` (each > 0). */
export function parseTemperatures(text: string): number[] {
  const ts = text.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (ts.length === 0 || ts.some((t) => !Number.isFinite(t) || t <= 0)) {
    throw new UsageError(`--temperatures: expected comma-separated numbers > 0, got "${text}"`);
  }
  return ts;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The study as a markdown table. */
export function votingMarkdown(study: VotingStudy): string {
  const head =
    "| method | accuracy (tie 0.5) ± se | strict | ties | Spearman vs quality | judge calls | tokens | seconds |\n|---|---|---|---|---|---|---|---|";
  const rows = study.rows.map((r) =>
    `| ${r.method} | ${pct(r.accuracy)} ± ${pct(r.accuracySe)} | ${pct(r.strictAccuracy)} | ${
      pct(r.tieRate)
    } | ${
      r.spearman === null || r.spearman === undefined ? "-" : r.spearman.toFixed(3)
    } | ${r.calls} | ${r.tokens} | ${r.seconds.toFixed(1)} |`
  );
  const critiques = study.critiques.map((c) =>
    `- critique ceiling (${c.source === "greedy" ? "greedy" : `sampled at T=${c.source}`}): ${
      pct(c.ceiling)
    } (critique ties ${pct(c.tieRate)})`
  );
  return [head, ...rows, "", ...critiques].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, SCHEMA);
  if (parsed.help) {
    console.log(
      "Usage: deno task voting <checkpoint> [flags]\n\nFlags:\n" + formatHelp(SCHEMA, DEFAULTS),
    );
    return 0;
  }
  if (parsed.positional.length !== 1) throw new UsageError("give one checkpoint directory");
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const temperatures = parseTemperatures(flag<string>("temperatures"));
  const ks = parseKs(flag<string>("ks"));
  const json = parsed.values.json as string | undefined;
  if (json) await checkOutputPath(json, "--json");
  const dir = parsed.positional[0];
  const backend = await startBackend(flag<BackendChoice>("backend"));
  console.error(`voting: backend ${backend.name} on ${backend.device}`);
  const model = await loadJudgeModel(dir);
  if (model.kind !== "pointwise") {
    disposeParams(model.params);
    throw new UsageError(`${dir}: a ${model.kind} judge; the voting study needs a pointwise GRM`);
  }
  const set = await loadEvalSet("synthetic", {
    seed: flag<number>("seed"),
    testSize: flag<number>("test-size"),
  });
  let study: VotingStudy;
  const started = performance.now();
  try {
    study = await votingStudy(model, set.pairs, {
      temperatures,
      ks,
      seed: flag<number>("seed"),
      maxNewTokens: POINTWISE_MAX_NEW_TOKENS,
      readout: parsed.values.readout !== false,
      onProgress: (phase, done, total) => console.error(`voting: ${phase} ${done}/${total}`),
    });
  } finally {
    disposeParams(model.params);
  }
  console.log(votingMarkdown(study));
  if (json) {
    await writeOutputFile(
      { path: json, flag: "--json" },
      JSON.stringify(
        {
          name: (parsed.values.name as string | undefined) ?? dir,
          ...study,
          provenance: {
            checkpoint: dir,
            checkpointSha256: model.sidecar.sha256,
            data: set.source,
            kitCommit: await kitCommit(),
            command: shellCommand(["deno", "task", "voting", ...argv]),
            argv,
            backend,
            seconds: (performance.now() - started) / 1000,
            written: new Date().toISOString(),
          },
        },
        null,
        2,
      ) + "\n",
    );
  }
  return 0;
}

if (import.meta.main) await runCli("voting", main);
