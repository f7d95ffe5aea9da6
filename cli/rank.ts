/**
 * `deno task rank`: best-of-n on synthetic candidate sets with every judge given (pointwise GRM:
 * n k generations; pairwise GRM: round robin, n (n - 1) generations with the order swap; scalar
 * B-T: n forward passes), for n in 2, 4, 8, 16. Reports judge calls, wall time, the hidden
 * quality of the picked candidate against the oracle's, and the cost ratios.
 *
 *   deno task rank runs/mean/checkpoint runs/pairwise/checkpoint runs/scalar/checkpoint
 *   deno task rank --random-preset tiny          # cost benchmark on random judges of each kind
 *
 * @module
 */
import { runCli } from "./run_cli.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { repeatedAsPositional } from "./eval.ts";
import { checkOutputPath, writeOutputFile } from "./output_file.ts";
import { type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { BACKEND_FLAG } from "./backend_flag.ts";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { type JudgeModel, loadJudgeModel, MODEL_KINDS } from "../baselines/judge_checkpoint.ts";
import { initScalarHead } from "../baselines/scalar_head.ts";
import { rankingBench } from "../eval_run/ranking_bench.ts";
import { rankingRatios } from "../eval_run/ranking_run.ts";
import { rankMarkdown } from "../eval_run/report.ts";

const SCHEMA: FlagSchema = {
  checkpoint: {
    kind: "string",
    help: "judge checkpoint directory (repeatable; positional works too)",
  },
  ns: { kind: "string", help: "candidate counts, comma-separated" },
  sets: { kind: "number", integer: true, min: 1, help: "candidate sets per n" },
  k: { kind: "number", integer: true, min: 1, help: "pointwise samples per candidate (1: greedy)" },
  seed: {
    kind: "number",
    integer: true,
    min: 0,
    help: "candidate sets, sampling and tie-break seed",
  },
  chunk: { kind: "number", integer: true, min: 1, help: "prompts per generation call" },
  "random-preset": {
    kind: "string",
    help: "no checkpoints: random judges of every kind (cost only)",
  },
  backend: BACKEND_FLAG,
  json: { kind: "string", help: "write rows and ratios as JSON here" },
};
const DEFAULTS = { ns: "2,4,8,16", sets: 32, k: 1, seed: 0, chunk: 64, backend: "auto" };

function parseNs(text: string): number[] {
  const ns = text.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (ns.length === 0 || ns.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new UsageError(`--ns: expected comma-separated integers >= 2, got "${text}"`);
  }
  return ns;
}

function randomJudges(preset: string): (JudgeModel & { name: string })[] {
  const config = presetConfig(preset);
  return MODEL_KINDS.map((kind, i) => {
    const body = initParams(config, createPrng(i));
    const params = kind === "scalar" ? { ...body, ...initScalarHead(config, createPrng(9)) } : body;
    return { kind, params, config, name: `random-${preset}-${kind}` };
  });
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(repeatedAsPositional(argv, "checkpoint"), SCHEMA);
  if (parsed.help) {
    console.log(
      "Usage: deno task rank [flags] <checkpoint dir>...\n\nBest-of-n with every judge given; " +
        "markdown on stdout.\n\nFlags:\n" + formatHelp(SCHEMA, DEFAULTS),
    );
    return 0;
  }
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const ns = parseNs(flag<string>("ns"));
  const preset = parsed.values["random-preset"] as string | undefined;
  if (parsed.positional.length === 0 && !preset) {
    throw new UsageError("no checkpoint given (or --random-preset for a cost-only benchmark)");
  }
  if (preset) {
    try {
      presetConfig(preset);
    } catch (error) {
      throw new UsageError(`--random-preset: ${(error as Error).message}`);
    }
  }
  const json = parsed.values.json as string | undefined;
  if (json) await checkOutputPath(json, "--json"); // before the slow work, not after it
  const backend = await startBackend(flag<BackendChoice>("backend"));
  console.error(`rank: backend ${backend.name} on ${backend.device}`);
  const judges = preset ? randomJudges(preset) : [];
  for (const dir of parsed.positional) judges.push({ ...(await loadJudgeModel(dir)), name: dir });
  try {
    const rows = await rankingBench(judges, {
      ns,
      sets: flag<number>("sets"),
      k: flag<number>("k"),
      seed: flag<number>("seed"),
      chunk: flag<number>("chunk"),
      onProgress: (judge, n) => console.error(`rank: ${judge} n=${n}`),
    });
    console.log(rankMarkdown(rows));
    if (json) {
      await writeOutputFile(
        { path: json, flag: "--json" },
        JSON.stringify({ rows, ratios: rankingRatios(rows) }, null, 2) + "\n",
      );
    }
  } finally {
    for (const j of judges) disposeParams(j.params);
  }
  return 0;
}

if (import.meta.main) await runCli("rank", main);
