/**
 * `deno task policy:grid <grid.json>`: the policy RL grid (policy/policy_grid.ts) as
 * `deno task policy` children, `--jobs` at a time, and its summary.
 *
 *   deno task policy:grid sweeps/policy_rl.json --jobs 2 --results results/policy_rl
 *   deno task policy:grid sweeps/policy_rl.json --collect --results results/policy_rl
 *
 * Writes `<run-dir>/<grid name>/`: one run directory per cell, `logs/<cell>.log`, `summary.md`
 * and `summary.jsonl` (rewritten as cells finish). A re-run skips finished cells and resumes
 * cut-off ones. `--results DIR` also writes what ships: the summary, per-step curves and
 * provenance (kit commit, command, judge and policy-start checkpoints with their SHA-256).
 *
 * @module
 */
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import {
  parsePolicyGrid,
  type PolicyGrid,
  type PolicyGridRun,
  policyOutcome,
  policySummaryMarkdown,
  summarizePolicyGrid,
} from "../policy/policy_grid.ts";
import { runOrder, type SweepCell } from "../train/sweep_grid.ts";
import type { PolicyConfig } from "../policy/policy_config.ts";
import { runCurves } from "../train/sweep_summary.ts";
import {
  claimOutputDir,
  inspectOutputDir,
  readJsonlRecords,
  runPaths,
  writeFileAtomic,
} from "../train/run_dir.ts";
import { formatDuration } from "../train/progress.ts";
import { kitCommit } from "./provenance.ts";
import {
  GRID_DEFAULTS,
  GRID_FLAGS,
  readGridFile,
  runLogged,
  runQueue,
  writeResultsFolder,
} from "./child_log.ts";
import { policyFlags } from "../policy/policy_flags.ts";

const SCHEMA: FlagSchema = GRID_FLAGS;

const DEFAULTS = GRID_DEFAULTS;

/** Columns of the shipped curves (after the step). */
export const POLICY_CURVE_COLUMNS = Object.freeze({
  eval: ["eval/quality", "eval/exact_rate", "eval/sampled_quality", "eval/sampled_exact_rate"],
  train: [
    "policy/quality",
    "policy/exact_rate",
    "judge/reward_mean",
    "judge/quality_corr",
    "judge/calls",
    "judge/seconds",
    "kl",
  ],
});

type Cell = SweepCell<PolicyConfig>;

async function cellState(dir: string): Promise<"new" | "finished" | "resume" | "broken"> {
  const found = await inspectOutputDir(dir);
  if (found.state === "absent" || found.state === "empty") return "new";
  if (found.state !== "kit") return "broken";
  const lines = await readJsonlRecords<Record<string, unknown>>(runPaths(dir).metrics).catch(
    () => [],
  );
  return policyOutcome(lines).finished ? "finished" : "resume";
}

async function collect(cells: readonly Cell[], gridDir: string): Promise<PolicyGridRun[]> {
  const runs: PolicyGridRun[] = [];
  for (const cell of cells) {
    const lines = await readJsonlRecords<Record<string, unknown>>(
      runPaths(`${gridDir}/${cell.name}`).metrics,
    )
      .catch(() => []);
    runs.push({
      group: cell.group,
      judge: cell.config.judge ?? "oracle",
      n: cell.config.samplesPerPrompt ?? 4,
      seed: cell.seed,
      outcome: policyOutcome(lines, { judge: cell.config.judge }),
    });
  }
  return runs;
}

async function writeSummary(parsed: PolicyGrid, gridDir: string) {
  const runs = await collect(parsed.cells, gridDir);
  const rows = summarizePolicyGrid(runs);
  const md = `# ${parsed.grid.name}\n\n${parsed.grid.claim}\n\n${policySummaryMarkdown(rows)}\n`;
  const jsonl = [
    ...rows.map((r) => JSON.stringify({ kind: "row", ...r })),
    ...runs.map((r) => JSON.stringify({ kind: "run", ...r })),
  ].join("\n") + "\n";
  await writeFileAtomic(`${gridDir}/summary.jsonl`, jsonl);
  await writeFileAtomic(`${gridDir}/summary.md`, md);
  return { md, jsonl, runs };
}

const USAGE = `Usage: deno task policy:grid <grid.json> [flags]

Runs every cell of a policy RL grid (sweeps/policy_*.json) as a \`deno task policy\` child, --jobs at
a time, and writes summary.md + summary.jsonl (final held-out policy quality, mean ± standard error
over seeds, judge calls and seconds per step). Re-running skips finished cells and resumes cut-off
ones.

Flags:
`;

let startCommit: string | null = null;

async function main(argv: string[]): Promise<number> {
  startCommit = await kitCommit();
  const flags = parseFlags(argv, SCHEMA);
  if (flags.help) {
    console.log(USAGE + formatHelp(SCHEMA, DEFAULTS));
    return 0;
  }
  if (flags.positional.length !== 1) {
    throw new UsageError("give one grid file (see sweeps/policy_rl.json)");
  }
  const gridPath = flags.positional[0];
  const parsed = parsePolicyGrid(await readGridFile(gridPath), gridPath);
  const flag = <T>(name: string) =>
    (flags.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const gridDir = `${flag<string>("run-dir").replace(/\/+$/, "")}/${parsed.grid.name}`;
  if (flags.values.collect) {
    if ((await inspectOutputDir(gridDir)).state !== "kit") {
      throw new UsageError(`--collect: ${gridDir} holds no policy grid (run it first)`);
    }
  } else {
    await claimOutputDir(gridDir, { force: true, keep: true, kind: "sweep", what: "grid folder" });
    await Deno.mkdir(`${gridDir}/logs`, { recursive: true });
    const queue: { cell: Cell; state: "new" | "resume" }[] = [];
    let skipped = 0;
    for (const cell of parsed.cells) {
      const state = await cellState(`${gridDir}/${cell.name}`);
      if (state === "broken") {
        throw new UsageError(
          `${gridDir}/${cell.name}: exists and is not a run of the kit; move it away`,
        );
      }
      if (state === "finished") skipped++;
      else queue.push({ cell, state });
    }
    const jobs = flag<number>("jobs");
    console.log(
      `policy:grid ${parsed.grid.name}: ${parsed.cells.length} cells (${skipped} finished, ` +
        `${queue.length} to run), ${jobs} at a time, in ${gridDir}`,
    );
    const total = queue.length;
    let done = 0, failed = 0;
    await runQueue(runOrder(queue, parsed.grid.seeds), {
      jobs,
      interrupted: "policy:grid: interrupted; run the same command again to continue",
      work: async ({ cell, state }) => {
        const t0 = performance.now();
        console.log(`policy:grid: start ${cell.name}${state === "resume" ? " (resuming)" : ""}`);
        const args = state === "resume"
          ? ["--resume", `${gridDir}/${cell.name}`]
          : ["--run-dir", gridDir, "--name", cell.name, ...policyFlags(cell.config)];
        const code = await runLogged(new URL("./policy.ts", import.meta.url), args, {
          logPath: `${gridDir}/logs/${cell.name}.log`,
        });
        const outcome = (await collect([cell], gridDir))[0].outcome;
        const seconds = (performance.now() - t0) / 1000;
        if (code === 0 && outcome.finished) {
          done++;
          console.log(
            `policy:grid: [${done + failed}/${total}] ${cell.name} done in ${
              formatDuration(seconds)
            }: ` +
              `held-out quality ${outcome.start?.quality?.toFixed(2) ?? "-"} -> ${
                outcome.final?.quality?.toFixed(2)
              }, ` +
              `${outcome.callsPerStep?.toFixed(0)} judge calls/step`,
          );
        } else {
          failed++;
          console.log(
            `policy:grid: [${
              done + failed
            }/${total}] ${cell.name} FAILED (exit ${code}): see ${gridDir}/logs/${cell.name}.log`,
          );
        }
        await writeSummary(parsed, gridDir);
      },
    });
    if (failed > 0) console.log(`policy:grid: ${failed} cell(s) failed`);
  }
  const { md, jsonl, runs } = await writeSummary(parsed, gridDir);
  console.log(`\n${md}`);
  if (flags.values.results) await writeResults(parsed, gridDir, flags, argv, { md, jsonl, runs });
  return runs.every((r) => r.outcome.finished) ? 0 : 1;
}

async function writeResults(
  parsed: PolicyGrid,
  gridDir: string,
  flags: ReturnType<typeof parseFlags>,
  argv: readonly string[],
  summary: { md: string; jsonl: string; runs: PolicyGridRun[] },
): Promise<void> {
  const dir = flags.values.results as string;
  const every = (flags.values["curve-every"] as number | undefined) ?? DEFAULTS["curve-every"];
  const curves: string[] = [];
  const runInfo: Record<string, unknown>[] = [];
  for (const cell of parsed.cells) {
    const paths = runPaths(`${gridDir}/${cell.name}`);
    const lines = await readJsonlRecords<Record<string, unknown>>(paths.metrics).catch(() => []);
    if (lines.length === 0) continue;
    curves.push(
      JSON.stringify({
        cell: cell.name,
        group: cell.group,
        seed: cell.seed,
        ...runCurves(lines, every, POLICY_CURVE_COLUMNS),
      }),
    );
    const config = await Deno.readTextFile(paths.config).then(JSON.parse).catch(() => ({}));
    runInfo.push({
      cell: cell.name,
      backend: config.backend?.name ?? null,
      device: config.backend?.device ?? null,
      judge: config.judge ?? null,
      policyStart: config.policyStart ?? null,
    });
  }
  await writeResultsFolder(dir, {
    md: summary.md,
    jsonl: summary.jsonl,
    curves,
    provenance: {
      grid: parsed.grid.name,
      claim: parsed.grid.claim,
      kind: "policy",
      cellWallSecondsTotal: summary.runs.reduce((a, r) => a + (r.outcome.wallSeconds ?? 0), 0),
      judgeCheckpoints: parsed.judgeCheckpoints,
      curveColumns: {
        eval: ["step", ...POLICY_CURVE_COLUMNS.eval],
        train: ["step", ...POLICY_CURVE_COLUMNS.train],
      },
      runs: runInfo,
    },
    command: ["deno", "task", "policy:grid", ...argv],
    kitCommit: startCommit,
    collect: flags.values.collect === true,
  });
  console.log(
    `policy:grid: results in ${dir}/ (summary.md, summary.jsonl, curves.jsonl, provenance.json)`,
  );
}

if (import.meta.main) await runCli("policy:grid", main);
