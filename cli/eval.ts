/**
 * `deno task eval`: evaluate one or more judge checkpoints (pointwise GRM, pairwise GRM, scalar
 * Bradley-Terry; the kind is read from each checkpoint) on a preference data set.
 *
 *   deno task eval runs/mean/checkpoint                       # held-out synthetic pairs
 *   deno task eval --checkpoint a --checkpoint b --json out.json --items items.jsonl
 *   deno task eval ckpt --data rm-bench --data-path rm.jsonl --ks 1
 *   deno task eval ckpt --data judgebench --data-path jb.jsonl
 *
 * Prints a markdown report on stdout (accuracy under both conventions, ties, parse errors, per
 * domain; voting@k; RewardBench sections / RM-Bench levels / both-order figures when the data has
 * them; Spearman vs hidden quality on the synthetic suite; cost). Progress goes to stderr.
 * Repeated pairs in a data file are dropped (one line on stderr says which repeat which; the JSON
 * summary records `duplicates_dropped`). Bad flags, data rows or checkpoints exit with status 2
 * and one message.
 *
 * @module
 */
import { runCli } from "./run_cli.ts";
import { checkOutputPath, writeOutputFile } from "./output_file.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { BACKEND_FLAG } from "./backend_flag.ts";
import { disposeParams } from "../model/params.ts";
import { loadJudgeModel } from "../baselines/judge_checkpoint.ts";
import { describeDuplicates } from "../data/duplicates.ts";
import { EVAL_DATA, type EvalData, loadEvalSet } from "../eval_run/eval_set.ts";
import { DEFAULT_KS } from "../eval_run/evaluation.ts";
import { evalItems, evalJson, evalMarkdown } from "../eval_run/report.ts";
import { evaluateJudge, type JudgeReport } from "../eval_run/run_eval.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "../eval_run/pointwise_eval.ts";
import { promptFit } from "../train/judge.ts";

const SCHEMA: FlagSchema = {
  checkpoint: { kind: "string", help: "checkpoint directory (repeatable; positional works too)" },
  data: { kind: "choice", choices: EVAL_DATA, help: "data set format" },
  "data-path": { kind: "string", help: "JSONL file (all formats but synthetic)" },
  seed: {
    kind: "number",
    integer: true,
    min: 0,
    help: "synthetic held-out split and sampling seed",
  },
  "test-size": { kind: "number", integer: true, min: 1, help: "synthetic held-out pairs" },
  limit: {
    kind: "number",
    integer: true,
    min: 1,
    help: "first N distinct pairs (RM-Bench: items) of a file",
  },
  ks: { kind: "string", help: "voting@k values, comma-separated (1 = greedy)" },
  "calibration-sets": {
    kind: "number",
    integer: true,
    min: 0,
    help: "synthetic candidate sets for Spearman (0: off; default 64 on synthetic data, else 0)",
  },
  "calibration-n": { kind: "number", integer: true, min: 2, help: "candidates per set" },
  "max-new-tokens": {
    kind: "number",
    integer: true,
    min: 1,
    help: "generation cap per pointwise judgment (default: the trainer's)",
  },
  chunk: { kind: "number", integer: true, min: 1, help: "prompts per generation call" },
  readout: {
    kind: "choice",
    choices: ["greedy", "expected"],
    help: "pointwise score: the greedy digits, or the expected score after the greedy critique",
  },
  backend: BACKEND_FLAG,
  json: { kind: "string", help: "write the summary JSON here" },
  items: { kind: "string", help: "write per-item JSONL here" },
  quiet: { kind: "boolean", help: "no progress on stderr" },
};

const DEFAULTS = {
  data: "synthetic",
  seed: 0,
  "test-size": 256,
  ks: DEFAULT_KS.join(","),
  "calibration-n": 4,
  chunk: 64,
  readout: "greedy",
  backend: "auto",
};

const USAGE = `Usage: deno task eval [flags] <checkpoint dir>...

Evaluates judge checkpoints (pointwise GRM, pairwise GRM or scalar Bradley-Terry model; the kind
is recorded in each checkpoint) on preference pairs. Markdown report on stdout.

Flags:
`;

/**
 * Turns every `--flag X` / `--flag=X` into the positional argument `X`, keeping argv order
 * (parseFlags keeps one value per flag; checkpoints may be given either way).
 *
 * @example
 * ```ts
 * import { repeatedAsPositional } from "./eval.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(repeatedAsPositional(["a", "--checkpoint", "b", "--checkpoint=c", "--ks", "1"], "checkpoint"),
 *   ["a", "b", "c", "--ks", "1"]);
 * ```
 */
export function repeatedAsPositional(argv: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${flag}`) {
      if (i + 1 >= argv.length) throw new UsageError(`--${flag}: missing value`);
      out.push(argv[++i]);
    } else if (arg.startsWith(`--${flag}=`)) out.push(arg.slice(flag.length + 3));
    else out.push(arg);
  }
  return out;
}

/**
 * Parses `--ks 1,2,4,8` (integers >= 1); throws a UsageError quoting the flag value otherwise.
 *
 * @example
 * ```ts
 * import { parseKs } from "./eval.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseKs("1, 4"), [1, 4]);
 * assertThrows(() => parseKs("0"), Error, '--ks: expected comma-separated integers >= 1, got "0"');
 * ```
 */
export function parseKs(text: string): number[] {
  const ks = text.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new UsageError(`--ks: expected comma-separated integers >= 1, got "${text}"`);
  }
  return ks;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(repeatedAsPositional(argv, "checkpoint"), SCHEMA);
  if (parsed.help) {
    console.log(USAGE + formatHelp(SCHEMA, DEFAULTS));
    return 0;
  }
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const checkpoints = parsed.positional;
  if (checkpoints.length === 0) throw new UsageError("no checkpoint given (see --help)");
  const data = flag<EvalData>("data");
  if (data !== "synthetic" && !parsed.values["data-path"]) {
    throw new UsageError(`--data ${data} needs --data-path <file.jsonl>`);
  }
  if (data === "synthetic" && parsed.values["data-path"]) {
    throw new UsageError("--data-path needs a file format (--data helpsteer3, pairwise, ...)");
  }
  const ks = parseKs(flag<string>("ks"));
  // output paths are checked before the slow work, and written whole or not at all
  const json = parsed.values.json as string | undefined;
  const items = parsed.values.items as string | undefined;
  if (json && items && json === items) throw new UsageError(`--json and --items are both ${json}`);
  if (json) await checkOutputPath(json, "--json");
  if (items) await checkOutputPath(items, "--items");
  const sets = flag<number | undefined>("calibration-sets") ?? (data === "synthetic" ? 64 : 0);
  const quiet = flag<boolean | undefined>("quiet") ?? false;
  const progress = (name: string) => (done: number, total: number, phase: string) => {
    if (!quiet) console.error(`eval ${name}: ${phase} ${done}/${total}`);
  };
  const backend = await startBackend(flag<BackendChoice>("backend"));
  if (!quiet) console.error(`eval: backend ${backend.name} on ${backend.device}`);
  const set = await loadEvalSet(data, {
    dataPath: parsed.values["data-path"] as string | undefined,
    seed: flag<number>("seed"),
    testSize: flag<number>("test-size"),
    limit: parsed.values.limit as number | undefined,
  });
  if (set.duplicates && set.duplicates.length > 0) {
    // Always said, --quiet or not: the evaluated n is smaller than the file's row count.
    const noun = data === "rm-bench" ? "item" : "pair";
    console.error(
      `eval: ${set.source}: ${describeDuplicates(set.duplicates, { source: set.source, noun })}`,
    );
  }
  if (!quiet) console.error(`eval: ${set.pairs.length} pairs from ${set.source}`);
  const reports: JudgeReport[] = [];
  for (const dir of checkpoints) {
    const model = await loadJudgeModel(dir);
    if (model.kind === "pointwise") {
      // Always said: a judge that sees a cut prompt is judged on less than the data holds.
      const maxNewTokens = (parsed.values["max-new-tokens"] as number | undefined) ??
        POINTWISE_MAX_NEW_TOKENS;
      const fit = promptFit(set.pairs, { contextLength: model.config.contextLength, maxNewTokens });
      if (fit.truncated > 0) {
        console.error(
          `eval ${dir}: note: ${fit.truncated} of ${fit.prompts} judge prompts are longer than the ` +
            `${fit.room} tokens the ${model.config.contextLength}-token context leaves after ` +
            `${maxNewTokens} generated tokens (longest ${fit.longest}): their start is cut off`,
        );
      }
    }
    try {
      reports.push(
        await evaluateJudge({ ...model, name: dir }, set, {
          ks,
          seed: flag<number>("seed"),
          // The cap is the pointwise GRM's; the pairwise judge keeps its own (longer prompts).
          maxNewTokens: model.kind === "pointwise"
            ? parsed.values["max-new-tokens"] as number | undefined
            : undefined,
          chunk: flag<number>("chunk"),
          readout: flag<"greedy" | "expected">("readout"),
          onProgress: progress(dir),
          calibration: sets > 0 ? { sets, n: flag<number>("calibration-n") } : null,
        }),
      );
    } finally {
      disposeParams(model.params);
    }
  }
  console.log(evalMarkdown(reports, set));
  if (json) {
    await writeOutputFile(
      { path: json, flag: "--json" },
      JSON.stringify(evalJson(reports, set), null, 2) + "\n",
    );
  }
  if (items) {
    await writeOutputFile(
      { path: items, flag: "--items" },
      evalItems(reports).map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
  }
  return 0;
}

if (import.meta.main) await runCli("eval", main);
