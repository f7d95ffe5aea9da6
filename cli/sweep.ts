/**
 * `deno task sweep <grid.json>`: run an ablation grid (train/sweep_grid.ts) as `deno task train`
 * children, `--jobs` at a time, and summarise it (train/sweep_summary.ts).
 *
 *   deno task sweep sweeps/group_size.json                 # every cell, one per core
 *   deno task sweep sweeps/group_size.json --jobs 16 --backend webgpu
 *   deno task sweep sweeps/group_size.json --print-commands   # one shell line per cell
 *   deno task sweep sweeps/group_size.json --collect          # summary from gathered run dirs
 *   deno task sweep sweeps/group_size.json --collect --results results/group_size
 *
 * Writes `<run-dir>/<grid name>/`: `configs/<cell>.json` (each cell's full config), one run
 * directory per cell, `logs/<cell>.log` (its output), `summary.jsonl` and `summary.md` (rewritten as
 * cells finish). A re-run skips finished cells and resumes cut-off ones; cells run seed by seed
 * ({@link runOrder}). `--results DIR` also
 * writes what ships with the kit: the summary, per-step curves and provenance.
 *
 * @module
 */
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { BACKENDS } from "../train/config.ts";
import {
  gridCells,
  parseGrid,
  runOrder,
  type SweepCell,
  type SweepGrid,
} from "../train/sweep_grid.ts";
import {
  GRM_CURVE_COLUMNS,
  runCurves,
  runOutcome,
  summarizeSweep,
  summaryMarkdown,
  type SweepRun,
} from "../train/sweep_summary.ts";
import {
  claimOutputDir,
  inspectOutputDir,
  readJsonlRecords,
  runPaths,
  writeFileAtomic,
} from "../train/run_dir.ts";
import { formatDuration } from "../train/progress.ts";
import { kitCommit, shellCommand } from "./provenance.ts";
import {
  GRID_DEFAULTS,
  GRID_FLAGS,
  readGridFile,
  runLogged,
  runQueue,
  writeResultsFolder,
} from "./child_log.ts";

const SCHEMA: FlagSchema = {
  ...GRID_FLAGS,
  backend: { kind: "choice", choices: BACKENDS, help: "tfjs backend of every cell" },
  "print-commands": {
    kind: "boolean",
    help: "print one `deno task train` command per cell (for GNU parallel, SLURM, ...) and exit",
  },
};

const DEFAULTS = GRID_DEFAULTS;

const USAGE = `Usage: deno task sweep <grid.json> [flags]

Runs every cell of an ablation grid (sweeps/*.json) as a \`deno task train\` child with its own run
directory, --jobs at a time, and writes summary.jsonl + summary.md (mean ± standard error over
seeds, paired differences against the grid's baseline). Re-running skips finished cells and
resumes cut-off ones. Cut-off cells run first, then seed by seed (every setting of seed 0 before
seed 1), so a grid stopped early still has whole seeds to compare.

Flags:
`;

type Cell = SweepCell;

/** Where a cell stands on disk. */
async function cellState(runDir: string): Promise<"new" | "finished" | "resume" | "broken"> {
  const found = await inspectOutputDir(runDir);
  if (found.state === "absent" || found.state === "empty") return "new";
  if (found.state !== "kit") return "broken";
  const lines = await readJsonlRecords<Record<string, unknown>>(runPaths(runDir).metrics)
    .catch(() => []);
  return runOutcome(lines).finished ? "finished" : "resume";
}

/** The `deno task train` arguments of a cell in its current state. */
function trainArgs(cell: Cell, sweepDir: string, state: "new" | "resume"): string[] {
  return state === "resume" ? ["--resume", `${sweepDir}/${cell.name}`] : [
    "--config",
    `${sweepDir}/configs/${cell.name}.json`,
    "--run-dir",
    sweepDir,
    "--name",
    cell.name,
  ];
}

/** Reads every cell's outcome (unstarted cells count as unfinished). */
async function collectRuns(cells: readonly Cell[], sweepDir: string): Promise<SweepRun[]> {
  const runs: SweepRun[] = [];
  for (const cell of cells) {
    const lines = await readJsonlRecords<Record<string, unknown>>(
      runPaths(`${sweepDir}/${cell.name}`).metrics,
    ).catch(() => []);
    runs.push({
      group: cell.group,
      seed: cell.seed,
      name: cell.name,
      settings: cell.settings,
      outcome: runOutcome(lines),
    });
  }
  return runs;
}

/** Writes summary.jsonl and summary.md into the sweep folder; returns the markdown. */
async function writeSummary(grid: SweepGrid, cells: readonly Cell[], sweepDir: string) {
  const runs = await collectRuns(cells, sweepDir);
  const baseline = grid.baseline === null ? null : cells.find((c) => c.settings === grid.baseline)!
    .group;
  const rows = summarizeSweep(runs, baseline);
  const md = `# ${grid.name}\n\n${grid.claim}\n\n${summaryMarkdown(rows, baseline)}\n`;
  await writeFileAtomic(
    `${sweepDir}/summary.jsonl`,
    [
      ...rows.map((r) => JSON.stringify({ kind: "cell", ...r })),
      ...runs.map((r) => JSON.stringify({ kind: "run", ...r })),
    ].join("\n") + "\n",
  );
  await writeFileAtomic(`${sweepDir}/summary.md`, md);
  return { md, runs, rows, baseline };
}

/**
 * BLAS threads per cell: the cores divided among the jobs (set in main), unless IRPM_BLAS_THREADS
 * is set, e.g. to keep a grid's cells on the thread count its earlier cells ran with while two
 * sweeps share the machine.
 */
let blasThreads = 1;

/** Runs one cell as a child process, its output into logs/<cell>.log; returns its exit code. */
function runCell(cell: Cell, sweepDir: string, state: "new" | "resume"): Promise<number> {
  return runLogged(new URL("./train.ts", import.meta.url), trainArgs(cell, sweepDir, state), {
    logPath: `${sweepDir}/logs/${cell.name}.log`,
    // --backend blas: the cores are shared between the jobs (spinning BLAS threads on a busy
    // machine cost more than they give)
    env: { IRPM_BLAS_THREADS: String(blasThreads) },
  });
}

/** The kit's commit when this sweep started (the code its cells run), for provenance. */
let startCommit: string | null = null;

async function main(argv: string[]): Promise<number> {
  startCommit = await kitCommit();
  const parsed = parseFlags(argv, SCHEMA);
  if (parsed.help) {
    console.log(USAGE + formatHelp(SCHEMA, DEFAULTS));
    return 0;
  }
  if (parsed.positional.length !== 1) {
    throw new UsageError(
      parsed.positional.length === 0
        ? "give one grid file (see sweeps/)"
        : `one grid file at a time, got ${parsed.positional.join(", ")}`,
    );
  }
  const gridPath = parsed.positional[0];
  const grid = parseGrid(await readGridFile(gridPath), gridPath);
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const backend = parsed.values.backend as string | undefined;
  const cells = gridCells(grid).map((c) =>
    backend ? { ...c, config: { ...c.config, backend } as Cell["config"] } : c
  );
  const sweepDir = `${flag<string>("run-dir").replace(/\/+$/, "")}/${grid.name}`;

  if (parsed.values.collect) {
    const found = await inspectOutputDir(sweepDir);
    if (found.state !== "kit") {
      throw new UsageError(
        `--collect: ${sweepDir} holds no sweep (run the grid, or gather its run dirs there)`,
      );
    }
    const { md } = await writeSummary(grid, cells, sweepDir);
    console.log(md);
    if (parsed.values.results) await writeResults(grid, cells, sweepDir, parsed, argv);
    return 0;
  }

  // the sweep folder is the kit's own (marker); re-running continues it in place
  await claimOutputDir(sweepDir, { force: true, keep: true, kind: "sweep", what: "sweep folder" });
  await Deno.mkdir(`${sweepDir}/configs`, { recursive: true });
  await Deno.mkdir(`${sweepDir}/logs`, { recursive: true });
  for (const cell of cells) {
    await writeFileAtomic(
      `${sweepDir}/configs/${cell.name}.json`,
      JSON.stringify({ ...cell.config, name: cell.name, runDir: sweepDir }, null, 2) + "\n",
    );
  }
  if (parsed.values["print-commands"]) {
    for (const cell of cells) {
      const state = await cellState(`${sweepDir}/${cell.name}`);
      if (state === "finished") continue;
      const args = trainArgs(cell, sweepDir, state === "resume" ? "resume" : "new");
      console.log(shellCommand(["deno", "task", "train", ...args]));
    }
    return 0;
  }

  const jobs = flag<number>("jobs");
  blasThreads = Number(Deno.env.get("IRPM_BLAS_THREADS") ?? "") ||
    Math.max(1, Math.floor(navigator.hardwareConcurrency / jobs));
  const started = performance.now();
  let done = 0, failed = 0, skipped = 0;
  const queue: { cell: Cell; state: "new" | "resume" }[] = [];
  for (const cell of cells) {
    const state = await cellState(`${sweepDir}/${cell.name}`);
    if (state === "broken") {
      throw new UsageError(
        `${sweepDir}/${cell.name}: exists and is not a run of the kit; move it away`,
      );
    }
    if (state === "finished") skipped++;
    else queue.push({ cell, state });
  }
  console.log(
    `sweep ${grid.name}: ${cells.length} cells (${skipped} finished, ${queue.length} to run), ` +
      `${jobs} at a time, in ${sweepDir}`,
  );
  const total = queue.length;
  await runQueue(runOrder(queue, grid.seeds), {
    jobs,
    interrupted: `sweep: interrupted; finished cells are kept, cut-off ones resume: run the same ` +
      `command again (deno task sweep ${gridPath}${argv.length > 1 ? " ..." : ""})`,
    work: async ({ cell, state }) => {
      const t0 = performance.now();
      console.log(`sweep: start ${cell.name}${state === "resume" ? " (resuming)" : ""}`);
      const code = await runCell(cell, sweepDir, state);
      const seconds = (performance.now() - t0) / 1000;
      const outcome = (await collectRuns([cell], sweepDir))[0].outcome;
      if (code === 0 && outcome.finished) {
        done++;
        const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
        console.log(
          `sweep: [${done + failed}/${total}] ${cell.name} done in ${formatDuration(seconds)}: ` +
            `held-out ${pct(outcome.startAccuracy)} -> ${pct(outcome.accuracy)} (ceiling ${
              pct(outcome.critiqueCeiling)
            }, ties ${pct(outcome.tieRate)})`,
        );
      } else {
        failed++;
        console.log(
          `sweep: [${done + failed}/${total}] ${cell.name} FAILED (exit ${code}) after ` +
            `${formatDuration(seconds)}: see ${sweepDir}/logs/${cell.name}.log`,
        );
      }
      await writeSummary(grid, cells, sweepDir);
    },
  });
  const { md } = await writeSummary(grid, cells, sweepDir);
  console.log(`\n${md}`);
  console.log(
    `sweep ${grid.name}: ${done} ran, ${skipped} already finished, ${failed} failed, in ${
      formatDuration((performance.now() - started) / 1000)
    }; summary ${sweepDir}/summary.md`,
  );
  if (parsed.values.results) await writeResults(grid, cells, sweepDir, parsed, argv);
  return failed > 0 ? 1 : 0;
}

/** Writes the shippable results of a grid: summary, per-step curves, provenance. */
async function writeResults(
  grid: SweepGrid,
  cells: readonly Cell[],
  sweepDir: string,
  parsed: ReturnType<typeof parseFlags>,
  argv: readonly string[],
): Promise<void> {
  const dir = parsed.values.results as string;
  const { md, rows, runs, baseline } = await writeSummary(grid, cells, sweepDir);
  const every = (parsed.values["curve-every"] as number | undefined) ?? DEFAULTS["curve-every"];
  const curves: string[] = [];
  const runInfo: Record<string, unknown>[] = [];
  for (const cell of cells) {
    const paths = runPaths(`${sweepDir}/${cell.name}`);
    const lines = await readJsonlRecords<Record<string, unknown>>(paths.metrics).catch(() => []);
    if (lines.length === 0) continue;
    curves.push(
      JSON.stringify({
        cell: cell.name,
        group: cell.group,
        seed: cell.seed,
        ...runCurves(lines, every),
      }),
    );
    const config = await Deno.readTextFile(paths.config).then(JSON.parse).catch(() => ({}));
    const backend = (config.backend ?? null) as Record<string, unknown> | null;
    // a cell filled with another grid's identical run (same settings, seed and code path) says so
    const recorded = (config.config ?? {}) as { name?: string; runDir?: string };
    runInfo.push({
      cell: cell.name,
      backend: backend?.name ?? null,
      device: backend?.device ?? null,
      ...(recorded.name && recorded.name !== cell.name
        ? { sameRunAs: `${recorded.runDir}/${recorded.name}` }
        : {}),
    });
  }
  const wall = runs.reduce((a, r) => a + (r.outcome.wallSeconds ?? 0), 0);
  await writeResultsFolder(dir, {
    md,
    jsonl: [
      ...rows.map((r) => JSON.stringify({ kind: "cell", ...r })),
      ...runs.map((r) => JSON.stringify({ kind: "run", ...r })),
    ].join("\n") + "\n",
    curves,
    provenance: {
      grid: grid.name,
      claim: grid.claim,
      baseline,
      cellWallSecondsTotal: wall,
      curveColumns: {
        eval: ["step", ...GRM_CURVE_COLUMNS.eval],
        train: ["step", ...GRM_CURVE_COLUMNS.train],
      },
      runs: runInfo,
    },
    command: ["deno", "task", "sweep", ...argv],
    kitCommit: startCommit,
    collect: parsed.values.collect === true,
  });
  console.log(
    `sweep: results in ${dir}/ (summary.md, summary.jsonl, curves.jsonl, provenance.json)`,
  );
}

if (import.meta.main) await runCli("sweep", main);
