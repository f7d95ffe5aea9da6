/**
 * `deno task compare`: one table comparing the warm-start, IRPM with each reward design, the
 * scalar Bradley-Terry baseline and the pairwise GRM baseline, all trained on the same synthetic
 * pairs with the same model size, batch, step budget and optimizer, from the same warm-start:
 *
 *   1. warm-start checkpoint: shipped | fresh (run the recipe) | off (random) | <dir>;
 *   2. every judge trained by a `deno task train` child process on one pinned config: IRPM with
 *      `--design X` for each design, then `--model scalar-bt` and `--model pairwise`;
 *   3. every judge evaluated on the trainer's held-out pairs (accuracy under both conventions,
 *      ties, parse errors, voting@4), calibrated (Spearman vs hidden quality) and timed ranking
 *      best-of-8 candidate sets.
 *
 *   deno task compare                                  # the default CPU budget (long)
 *   deno task compare --steps 20 --rank-sets 4          # a reduced run
 *   deno task compare --train-arg --batch-pairs=8 --train-arg --group-size=2
 *
 * The markdown table goes to stdout (and `<run-dir>/compare.md`), details to
 * `<run-dir>/compare.json` and `<run-dir>/items.jsonl`; progress and the trainers' logs to stderr.
 *
 * @module
 */
import { runCli } from "./run_cli.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { parseKs } from "./eval.ts";
import { type BackendChoice, startBackend } from "../model/backend_choice.ts";
import { BACKEND_FLAG } from "./backend_flag.ts";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { DESIGNS, resolveTrainConfig, type TrainConfig } from "../train/config.ts";
import { PAPER_DESIGNS } from "../irpm/designs.ts";
import { SHIPPED_WARMSTARTS } from "../train/policy_init.ts";
import { DEFAULT_WARMSTART_CONFIG, runWarmStart } from "../train/warmstart.ts";
import { loadJudgeModel, saveJudgeModel } from "../baselines/judge_checkpoint.ts";
import { DEFAULT_PAIRWISE_WARMSTART } from "../baselines/pairwise_grm.ts";
import { compareMarkdown, type CompareRow, compareRow } from "../eval_run/compare_table.ts";
import { loadEvalSet } from "../eval_run/eval_set.ts";
import { rankingBench } from "../eval_run/ranking_bench.ts";
import { evalItems, evalJson } from "../eval_run/report.ts";
import { evaluateJudge, type JudgeReport } from "../eval_run/run_eval.ts";
import { claimOutputDir, writeFileAtomic } from "../train/run_dir.ts";

const SCHEMA: FlagSchema = {
  steps: { kind: "number", integer: true, min: 1, help: "optimizer steps of every trained judge" },
  designs: { kind: "string", help: "IRPM designs, comma-separated" },
  preset: { kind: "string", help: "model preset" },
  "warm-start": { kind: "string", help: "shipped | fresh | off | <checkpoint dir>" },
  "warmstart-steps": { kind: "number", integer: true, min: 1, help: "steps of a fresh warm-start" },
  "pairwise-warm-start-steps": {
    kind: "number",
    integer: true,
    min: 0,
    help: "format warm-start steps of the pairwise GRM",
  },
  seed: { kind: "number", integer: true, min: 0, help: "seed of data, init, sampling" },
  backend: BACKEND_FLAG,
  "run-dir": { kind: "string", help: "where trainings, checkpoints and reports go" },
  reuse: {
    kind: "boolean",
    help: "reuse finished checkpoints (step = --steps) in run-dir instead of retraining",
  },
  force: {
    kind: "boolean",
    help: "replace an earlier comparison in run-dir (never a folder the kit did not write)",
  },
  ks: { kind: "string", help: "voting@k values for the evaluation (4 fills the voting@4 column)" },
  "calibration-sets": {
    kind: "number",
    integer: true,
    min: 0,
    help: "candidate sets for Spearman",
  },
  "rank-sets": { kind: "number", integer: true, min: 1, help: "best-of-8 candidate sets" },
  "train-arg": {
    kind: "string",
    help: "extra `deno task train` flag, repeatable (also used for baselines)",
  },
};
const DEFAULTS = {
  // the paper's designs the README's compare table reports (winrate and the kit's collapse fixes
  // are one --designs away)
  designs: PAPER_DESIGNS.filter((d) => d !== "winrate").join(","),
  preset: "small",
  "warm-start": "shipped",
  "pairwise-warm-start-steps": DEFAULT_PAIRWISE_WARMSTART.steps,
  seed: 0,
  backend: "auto",
  "run-dir": "runs/compare",
  ks: "1,4",
  "calibration-sets": 64,
  "rank-sets": 16,
};

/**
 * Splits every `--flag X` / `--flag=X` out of argv, the value taken verbatim (it may itself
 * start with `--`).
 *
 * @example
 * ```ts
 * import { takeRepeated } from "./compare.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(takeRepeated(["--a", "--b=1", "--steps", "3", "--a=--c"], "a"),
 *   { values: ["--b=1", "--c"], rest: ["--steps", "3"] });
 * ```
 */
export function takeRepeated(argv: readonly string[], flag: string): {
  values: string[];
  rest: string[];
} {
  const values: string[] = [], rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${flag}`) {
      if (i + 1 >= argv.length) throw new UsageError(`--${flag}: missing value`);
      values.push(argv[++i]);
    } else if (arg.startsWith(`--${flag}=`)) values.push(arg.slice(flag.length + 3));
    else rest.push(arg);
  }
  return { values, rest };
}

const log = (text: string) => console.error(`compare: ${text}`);
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** A checkpoint that recorded `steps` completed steps (an interrupted run's does not). */
async function finished(dir: string, steps: number): Promise<boolean> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`)).step === steps;
  } catch {
    return false;
  }
}
const root = new URL("..", import.meta.url).pathname;

/** Runs `cli/train.ts` as a child process, forwarding its output to stderr. */
async function spawnTrain(args: string[]): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}cli/train.ts`, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  await child.stdout.pipeTo(Deno.stderr.writable, { preventClose: true });
  const status = await child.status;
  if (!status.success) {
    throw new Error(`deno task train ${args.join(" ")} exited with status ${status.code}`);
  }
}

/**
 * The checkpoint directory a `--warm-start` source names (null: fresh/off, made later), checked
 * before anything is written, so a bad source leaves the run directory untouched.
 */
async function warmStartSource(source: string, preset: string): Promise<string | null> {
  if (source === "fresh" || source === "off") return null;
  const url = source === "shipped" ? SHIPPED_WARMSTARTS[preset] : undefined;
  const dir = source === "shipped" ? url?.pathname : source;
  if (!dir || !(await exists(`${dir}/model.safetensors`))) {
    throw new UsageError(
      source === "shipped"
        ? `--warm-start shipped: no shipped checkpoint for preset "${preset}"` +
          `${url ? ` at ${url.pathname}` : ""}; use --warm-start fresh, off or a checkpoint dir`
        : `--warm-start ${source}: no model.safetensors there`,
    );
  }
  return dir;
}

async function warmStartDir(
  source: string,
  checked: string | null,
  config: Readonly<TrainConfig>,
  runDir: string,
  steps: number | undefined,
): Promise<{ dir: string; seconds: number | null }> {
  if (checked !== null) return { dir: checked, seconds: null };
  const dir = `${runDir}/warm-start/checkpoint`;
  const started = performance.now();
  const model = presetConfig(config.preset);
  let params;
  if (source === "fresh") {
    const recipe = { ...DEFAULT_WARMSTART_CONFIG, preset: config.preset, seed: config.seed };
    log(`fresh warm-start (${steps ?? recipe.steps} steps)`);
    const result = await runWarmStart({ ...recipe, steps: steps ?? recipe.steps }, {
      onStep: (p) => {
        if (p.step % 100 === 0) log(`warm-start step ${p.step} loss ${p.loss.toFixed(4)}`);
      },
      onEval: (step, e) =>
        log(`warm-start step ${step}: format-valid ${e.formatValidRate.toFixed(3)}`),
    });
    params = result.params;
  } else {
    params = initParams(model, createPrng(config.seed));
  }
  await saveJudgeModel(dir, {
    model: { kind: "pointwise", params, config: model },
    state: {
      step: 0,
      dataCursor: null,
      prngState: createPrng(config.seed).state(),
      datasetFingerprint: source,
      extra: { warmStart: source },
    },
  });
  disposeParams(params);
  return { dir, seconds: (performance.now() - started) / 1000 };
}

async function main(argv: string[]): Promise<number> {
  const split = takeRepeated(argv, "train-arg");
  const parsed = parseFlags(split.rest, SCHEMA);
  if (parsed.help) {
    console.log("Usage: deno task compare [flags]\n\nFlags:\n" + formatHelp(SCHEMA, DEFAULTS));
    return 0;
  }
  if (parsed.positional.length > 0) throw new UsageError(`unexpected "${parsed.positional[0]}"`);
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const designs = flag<string>("designs").split(",").map((d) => d.trim()).filter(Boolean);
  for (const d of designs) {
    if (!(DESIGNS as readonly string[]).includes(d)) {
      throw new UsageError(`--designs: unknown design "${d}" (known: ${DESIGNS.join(", ")})`);
    }
  }
  const ks = parseKs(flag<string>("ks"));
  const shared = [
    ...split.values,
    "--preset",
    flag<string>("preset"),
    "--seed",
    String(flag<number>("seed")),
    "--backend",
    flag<string>("backend"),
    ...(parsed.values.steps === undefined ? [] : ["--steps", String(parsed.values.steps)]),
  ];
  const { config } = resolveTrainConfig(shared); // validates the train flags once, here
  const runDir = flag<string>("run-dir");
  const reuse = flag<boolean | undefined>("reuse") ?? false;
  const checkedWarmStart = await warmStartSource(flag("warm-start"), config.preset);
  // the one rule for output directories (train/run_dir.ts); --reuse continues one in place
  await claimOutputDir(runDir, {
    force: reuse || flag<boolean | undefined>("force") === true,
    keep: reuse,
    kind: "compare",
    what: "--run-dir",
    again: `deno task compare --reuse --run-dir ${runDir}`,
  });
  // Every child trainer reads this resolved config, so all judges share one budget even if the
  // trainer's defaults change while a long comparison runs.
  const configPath = `${runDir}/train-config.json`;
  const { design: _d, model: _m, runDir: _r, name: _n, warmStart: _w, force: _f, ...pinned } =
    config;
  await writeFileAtomic(configPath, JSON.stringify(pinned, null, 2) + "\n");
  const timesPath = `${runDir}/train-seconds.json`;
  const times: Record<string, number | null> = reuse && (await exists(timesPath))
    ? JSON.parse(await Deno.readTextFile(timesPath))
    : {};
  const saveTimes = () => writeFileAtomic(timesPath, JSON.stringify(times, null, 2) + "\n");
  const backend = await startBackend(flag<BackendChoice>("backend"));
  log(`backend ${backend.name} on ${backend.device}; ${config.steps} steps per judge`);

  // 1. The warm-start every judge starts from.
  const warm = await warmStartDir(
    flag("warm-start"),
    checkedWarmStart,
    config,
    runDir,
    parsed.values["warmstart-steps"] as number | undefined,
  );
  times["warm-start"] = warm.seconds;
  const judges: { name: string; dir: string }[] = [{ name: "warm-start", dir: warm.dir }];

  // 2. Every judge is a `deno task train` child on the pinned config from the same warm-start:
  //    IRPM with each design, then the two baselines (`--model`), so all share one budget.
  const trainings: { name: string; folder: string; flags: string[] }[] = [
    ...designs.map((design) => ({
      name: `IRPM-${design}`,
      folder: `irpm-${design}`,
      flags: ["--design", design],
    })),
    { name: "scalar B-T", folder: "scalar-bt", flags: ["--model", "scalar-bt"] },
    {
      name: "pairwise GRM",
      folder: "pairwise-grm",
      flags: [
        "--model",
        "pairwise",
        "--pairwise-warm-start-steps",
        String(flag<number>("pairwise-warm-start-steps")),
      ],
    },
  ];
  for (const { name, folder, flags } of trainings) {
    const dir = `${runDir}/${folder}/checkpoint`;
    judges.push({ name, dir });
    if (reuse && (await finished(dir, config.steps))) continue;
    log(`training ${name}`);
    const started = performance.now();
    await spawnTrain([
      "--config",
      configPath,
      ...flags,
      "--run-dir",
      runDir,
      "--name",
      folder,
      "--force",
      "--warm-start",
      warm.dir,
    ]);
    times[name] = (performance.now() - started) / 1000;
    await saveTimes();
  }

  // 4. Evaluate, calibrate and rank with every judge.
  const set = await loadEvalSet("synthetic", { seed: config.seed, testSize: config.testSize });
  const reports: JudgeReport[] = [];
  const rows: CompareRow[] = [];
  const sets = flag<number>("calibration-sets");
  for (const judge of judges) {
    log(`evaluating ${judge.name} on ${set.pairs.length} held-out pairs`);
    const model = { ...(await loadJudgeModel(judge.dir)), name: judge.name };
    try {
      const report = await evaluateJudge(model, set, {
        ks,
        seed: config.seed,
        maxNewTokens: model.kind === "pointwise" ? config.maxNewTokens : undefined,
        calibration: sets > 0 ? { sets, n: 4 } : null,
      });
      const [rank8] = await rankingBench([model], {
        ns: [8],
        sets: flag<number>("rank-sets"),
        seed: config.seed,
        maxNewTokens: config.maxNewTokens,
      });
      reports.push(report);
      rows.push(compareRow(report, { rank8, trainSeconds: times[judge.name] ?? null }));
    } finally {
      disposeParams(model.params);
    }
  }
  const table = compareMarkdown(rows);
  console.log(table);
  await writeFileAtomic(`${runDir}/compare.md`, table + "\n");
  await writeFileAtomic(
    `${runDir}/compare.json`,
    JSON.stringify(
      { config, warmStart: warm.dir, rows, details: evalJson(reports, set) },
      null,
      2,
    ) + "\n",
  );
  await writeFileAtomic(
    `${runDir}/items.jsonl`,
    evalItems(reports).map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  log(`wrote ${runDir}/compare.md, compare.json, items.jsonl`);
  return 0;
}

if (import.meta.main) await runCli("compare", main);
