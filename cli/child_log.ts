/**
 * What the grid runners (`deno task sweep`, `deno task policy:grid`) share: their common flags,
 * reading a grid file, running a kit CLI as a child process with its stdout and stderr appended
 * (interleaved as a terminal shows them) to a log file, and a queue of cells `--jobs` at a time.
 *
 * @module
 */
import { type FlagSchema, UsageError } from "../config/flags.ts";
import { readTextFileStrict } from "../data/jsonl.ts";
import { claimOutputDir, writeFileAtomic } from "../train/run_dir.ts";
import { shellCommand } from "./provenance.ts";

/** Children running now, so an interrupted grid can stop them too. */
export const runningChildren: Set<Deno.ChildProcess> = new Set();

/**
 * Runs `deno run -A <script> <args>` (with `env` added to the environment) with its output into
 * `logPath`; returns its exit code.
 */
export async function runLogged(
  command: { script: URL; args: readonly string[]; env?: Record<string, string> },
  logPath: string,
): Promise<number> {
  const { script, args } = command;
  const log = await Deno.open(logPath, { create: true, append: true });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script.pathname, ...args],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...(command.env ?? {}) },
    }).spawn();
    runningChildren.add(child);
    // writes chained so none overlap
    let pending = Promise.resolve();
    const write = (chunk: Uint8Array) =>
      pending = pending.then(async () => {
        for (let at = 0; at < chunk.length;) at += await log.write(chunk.subarray(at));
      });
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) await write(chunk);
    };
    await Promise.all([pump(child.stdout), pump(child.stderr)]);
    await pending;
    const { code } = await child.status;
    runningChildren.delete(child);
    return code;
  } finally {
    log.close();
  }
}

/**
 * Runs `work` on every item, `jobs` at a time, in order; SIGINT or SIGTERM stops every running
 * child (each keeps its last checkpoint), prints `interrupted` and exits 130.
 */
export async function runQueue<T>(
  items: readonly T[],
  options: { jobs: number; work: (item: T) => Promise<void>; interrupted: string },
): Promise<void> {
  const queue = [...items];
  const onSignal = () => {
    for (const child of runningChildren) child.kill("SIGTERM");
    console.log(`\n${options.interrupted}`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const worker = async () => {
    while (queue.length > 0) await options.work(queue.shift()!);
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.jobs, Math.max(1, queue.length)) }, worker),
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

/** The flags both grid runners take (`deno task sweep`, `deno task policy:grid`). */
export const GRID_FLAGS: FlagSchema = Object.freeze({
  jobs: {
    kind: "number",
    integer: true,
    min: 1,
    help: "cells run at once (a wasm run uses a core)",
  },
  "run-dir": { kind: "string", help: "parent of the grid's folder" },
  collect: { kind: "boolean", help: "only build the summary from the cells' run directories" },
  results: { kind: "string", help: "also write the shippable results (summary, curves) here" },
  "curve-every": {
    kind: "number",
    integer: true,
    min: 1,
    help: "keep every N-th training step in the shipped curves",
  },
});

/** Their defaults: a cell per core, under runs/sweeps, every 5th training step in the curves. */
export const GRID_DEFAULTS = Object.freeze({
  jobs: navigator.hardwareConcurrency,
  "run-dir": "runs/sweeps",
  "curve-every": 5,
});

/** A grid file's JSON value; a missing file or bad JSON is a UsageError naming the file. */
export async function readGridFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readTextFileStrict(path));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new UsageError(`${path}: not valid JSON (${error.message})`);
    }
    throw error;
  }
}

/**
 * Writes a grid's shippable results into `dir`: summary.md, summary.jsonl, curves.jsonl and
 * provenance.json (the grid's own fields, then the command and kit commit that ran the cells;
 * with `collect`, the ones recorded by the run that made them, and this rebuild's beside them).
 */
export async function writeResultsFolder(
  dir: string,
  results: {
    md: string;
    jsonl: string;
    curves: readonly string[];
    provenance: Readonly<Record<string, unknown>>;
    command: readonly string[];
    kitCommit: string | null;
    collect: boolean;
  },
): Promise<void> {
  await claimOutputDir(dir, { force: true, keep: true, kind: "sweep", what: "--results" });
  const earlier = results.collect
    ? await Deno.readTextFile(`${dir}/provenance.json`).then(JSON.parse).catch(() => null)
    : null;
  // the code the cells of this invocation ran
  const thisCommand = { command: shellCommand(results.command), kitCommit: results.kitCommit };
  const { grid, claim, ...rest } = results.provenance;
  await writeFileAtomic(`${dir}/summary.md`, results.md);
  await writeFileAtomic(`${dir}/summary.jsonl`, results.jsonl);
  await writeFileAtomic(`${dir}/curves.jsonl`, results.curves.join("\n") + "\n");
  await writeFileAtomic(
    `${dir}/provenance.json`,
    JSON.stringify(
      {
        grid,
        claim,
        ...(rest.kind === undefined ? {} : { kind: rest.kind }),
        kitCommit: earlier?.kitCommit ?? thisCommand.kitCommit,
        command: earlier?.command ?? thisCommand.command,
        ...(earlier ? { summaryRebuiltBy: thisCommand } : {}),
        cores: navigator.hardwareConcurrency,
        ...rest,
        written: new Date().toISOString(),
      },
      null,
      2,
    ) + "\n",
  );
}
