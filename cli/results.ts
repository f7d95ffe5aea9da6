/**
 * `deno task results`: the README's "Shipped results" block, generated from `results/` (what
 * `deno task sweep --results` and `deno task voting --json` wrote), so the README's numbers cannot
 * drift from the files behind them.
 *
 *   deno task results           # rewrite the block between the markers in README.md
 *   deno task results --check   # exit 1 when README.md's block differs (the test suite runs it)
 *
 * @module
 */
import { type FlagSchema, parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { summaryMarkdown, type SweepSummaryRow } from "../train/sweep_summary.ts";
import { votingMarkdown } from "./voting.ts";
import { policySummaryMarkdown, type PolicySummaryRow } from "../policy/policy_grid.ts";
import { readJsonlRecords } from "../train/run_dir.ts";
import type { VotingStudy } from "../eval_run/voting_study.ts";

/** The markers around the generated block in README.md. */
export const RESULTS_BEGIN = "<!-- results:begin (deno task results writes this block) -->";
export const RESULTS_END = "<!-- results:end -->";

const SCHEMA: FlagSchema = {
  check: { kind: "boolean", help: "only check that README.md's block is up to date" },
};

/** The generated markdown for every grid and voting study under `dir` (sorted by name). */
export async function renderResults(dir: string | URL): Promise<string> {
  const root = typeof dir === "string" ? dir : dir.pathname;
  const entries: string[] = [];
  try {
    for await (const e of Deno.readDir(root)) if (e.isDirectory) entries.push(e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const parts: string[] = [];
  for (const name of entries.sort()) {
    const base = `${root}/${name}`;
    let provenance: Record<string, unknown> | null = null;
    try {
      provenance = JSON.parse(await Deno.readTextFile(`${base}/provenance.json`));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (provenance !== null) {
      const lines = await readJsonlRecords<Record<string, unknown>>(`${base}/summary.jsonl`);
      const rows = lines.filter((l) => l.kind === "cell") as unknown as SweepSummaryRow[];
      // a policy grid (deno task policy:grid) has its own table
      const table = provenance.kind === "policy"
        ? policySummaryMarkdown(
          lines.filter((l) => l.kind === "row") as unknown as PolicySummaryRow[],
        )
        : summaryMarkdown(rows, (provenance.baseline as string | null) ?? null);
      const commit = String(provenance.kitCommit ?? "unknown").slice(0, 12);
      const wall = Number(provenance.cellWallSecondsTotal ?? 0);
      const runs = (provenance.runs ?? []) as { backend?: string; sameRunAs?: string }[];
      const backends = [...new Set(runs.map((r) => r.backend ?? "?"))];
      const reused = runs.filter((r) => r.sameRunAs);
      const reusedNote = reused.length === 0
        ? ""
        : ` ${reused.length} cells are the identical runs ` +
          `of another grid (${
            [...new Set(reused.map((r) => r.sameRunAs!.replace(/\/[^/]*$/, "")))].join(", ")
          }).`;
      parts.push(
        [
          `#### ${provenance.grid} (\`results/${name}/\`)`,
          "",
          String(provenance.claim ?? ""),
          "",
          table,
          "",
          `Command \`${provenance.command}\`; kit ${commit}; ${
            backends.join(", ")
          } on ${provenance.cores} cores; ${
            (wall / 60).toFixed(0)
          } min of cell wall time in all.${reusedNote}`,
        ].join("\n"),
      );
      continue;
    }
    // voting studies: results/<name>/*.json written by deno task voting --json
    const files: string[] = [];
    for await (const e of Deno.readDir(base)) {
      if (e.isFile && e.name.endsWith(".json")) files.push(e.name);
    }
    for (const file of files.sort()) {
      const study = JSON.parse(await Deno.readTextFile(`${base}/${file}`)) as VotingStudy & {
        name: string;
        provenance: Record<string, unknown>;
      };
      if (!Array.isArray(study.rows)) continue;
      const p = study.provenance;
      parts.push(
        [
          `#### ties and voting: ${study.name} (\`results/${name}/${file}\`)`,
          "",
          votingMarkdown(study),
          "",
          `Command \`${p.command}\`; checkpoint sha256 ${
            String(p.checkpointSha256).slice(0, 12)
          }; ${study.n} held-out pairs (${p.data}); kit ${
            String(p.kitCommit ?? "unknown").slice(0, 12)
          }.`,
        ].join("\n"),
      );
    }
  }
  return parts.length === 0 ? "No results shipped yet." : parts.join("\n\n");
}

/** README text with the block between the markers replaced by `block`. */
export function withResultsBlock(readme: string, block: string): string {
  const begin = readme.indexOf(RESULTS_BEGIN), end = readme.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) {
    throw new UsageError(`README.md has no "${RESULTS_BEGIN}" ... "${RESULTS_END}" block`);
  }
  return readme.slice(0, begin + RESULTS_BEGIN.length) + "\n\n" + block + "\n\n" +
    readme.slice(end);
}

/** Formats markdown as `deno fmt` would (the README is checked by `deno fmt --check`). */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: new URL("..", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`deno fmt: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, SCHEMA);
  if (parsed.help) {
    console.log("Usage: deno task results [--check]");
    return 0;
  }
  const root = new URL("..", import.meta.url);
  const readmePath = new URL("README.md", root);
  const readme = await Deno.readTextFile(readmePath);
  const updated = await formatMarkdown(
    withResultsBlock(readme, await renderResults(new URL("results", root))),
  );
  if (parsed.values.check) {
    if (updated !== readme) {
      console.error("results: README.md's results block is out of date: run deno task results");
      return 1;
    }
    console.log("results: README.md's results block matches results/");
    return 0;
  }
  await Deno.writeTextFile(readmePath, updated);
  console.log("results: README.md's results block rewritten from results/");
  return 0;
}

if (import.meta.main) await runCli("results", main);
