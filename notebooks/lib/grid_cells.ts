/**
 * What the results notebooks (03, 05, 06) do with a grid in their cells: load its shipped results
 * (re-running it first on request), say it is not shipped yet, and write a claim's verdict.
 *
 * @module
 */
import {
  type AblationResults,
  type ClaimCheck,
  loadAblationResults,
  RESULTS_DIR,
} from "./ablation_results.ts";

/** The command that produces `results/<grid>/` (`sweep` or `policy:grid`). */
export function gridCommand(grid: string, options: { task?: string } = {}): string {
  return `deno task ${options.task ?? "sweep"} sweeps/${grid}.json --results results/${grid}`;
}

/**
 * Runs a grid again by its own command (finished cells are skipped), from the kit's root; throws
 * naming the command when it fails. The notebooks call it when `IRPM_RERUN=1`.
 */
export async function rerunGrid(grid: string, options: { task?: string } = {}): Promise<void> {
  const task = options.task ?? "sweep";
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["task", task, `sweeps/${grid}.json`, "--results", `results/${grid}`],
    cwd: new URL("..", RESULTS_DIR).pathname,
  }).output();
  if (code !== 0) throw new Error(`${gridCommand(grid, { task })} failed (exit ${code})`);
}

/**
 * A grid's shipped results (`null` when not shipped); with `rerun` the grid is run again first by
 * its own command (the notebooks pass `IRPM_RERUN=1` here).
 */
export async function loadGrid(
  grid: string,
  options: { rerun?: boolean } = {},
): Promise<AblationResults | null> {
  if (options.rerun) await rerunGrid(grid);
  return await loadAblationResults(new URL(grid, RESULTS_DIR));
}

/**
 * Markdown for a grid that is not shipped yet: the command that produces it, and no verdict.
 *
 * @example
 * ```ts
 * import { notShippedText } from "./grid_cells.ts";
 * import { assertStringIncludes } from "@std/assert";
 * assertStringIncludes(notShippedText("kl"), "`deno task sweep sweeps/kl.json --results results/kl` produces it");
 * ```
 */
export function notShippedText(grid: string, options: { task?: string } = {}): string {
  return `\`results/${grid}\` is not shipped yet; \`${
    gridCommand(grid, options)
  }\` produces it.\n\n**verdict: not yet measured**`;
}

/**
 * The runs of a grid that are not finished (cut off, or running when its results were collected):
 * shipped results that hold some are partial, and a verdict from them is provisional.
 */
export function unfinishedRuns(results: Pick<AblationResults, "runs">): string[] {
  return results.runs.filter((r) => !r.outcome.finished).map((r) => r.name);
}

/**
 * Markdown for a claim's verdict: the verdict in bold, then each measured part. Given the grid's
 * `results` and some of its runs are unfinished, the verdict is marked provisional and a last
 * line names the runs missing from it and the command that finishes them.
 *
 * @example
 * ```ts
 * import { verdictText } from "./grid_cells.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(verdictText("G = 4 best", { verdict: "reproduced", parts: ["a", "b"] } as never),
 *   "**verdict (G = 4 best): reproduced**\n\n- a\n- b");
 * const run = (name: string, finished: boolean) => ({ name, outcome: { finished } });
 * const partial = { grid: "kl", runs: [run("kl-0.2_seed-0", true), run("kl-0.2_seed-1", false)] };
 * assertEquals(verdictText("KL", { verdict: "reproduced", parts: ["a"] }, partial as never).split("\n"), [
 *   "**verdict (KL): reproduced — provisional, 1 of 2 runs finished**",
 *   "",
 *   "- a",
 *   "- not yet in it: kl-0.2_seed-1 (`deno task sweep sweeps/kl.json --results results/kl` finishes them)",
 * ]);
 * ```
 */
export function verdictText(
  claim: string,
  check: Pick<ClaimCheck, "verdict" | "parts">,
  results?: Pick<AblationResults, "runs" | "grid">,
): string {
  const missing = results ? unfinishedRuns(results) : [];
  const provisional = missing.length === 0
    ? ""
    : ` — provisional, ${results!.runs.length - missing.length} of ${
      results!.runs.length
    } runs finished`;
  const parts = missing.length === 0 ? check.parts : [
    ...check.parts,
    `not yet in it: ${missing.join(", ")} (\`${gridCommand(results!.grid)}\` finishes them)`,
  ];
  return `**verdict (${claim}): ${check.verdict}${provisional}**\n\n${
    parts.map((p) => `- ${p}`).join("\n")
  }`;
}
