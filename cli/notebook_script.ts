/**
 * `deno task notebook:script <notebook.ipynb>`: run a notebook's code cells without Jupyter.
 *
 * The code cells are exported, in order, to one TypeScript module (`<out>/<name>.ts`) that runs
 * with plain `deno run` from the notebook's folder (as the kernel does): `Deno.jupyter` becomes the
 * stand-in of viz/script_jupyter.ts (markdown and tables printed, figures written as SVG and plotly
 * JSON into `<out>`), relative imports point at the notebook's folder, and each cell's start and
 * wall time are printed. This is how a notebook runs where Jupyter is absent or unwanted, e.g.
 * notebook 02 on a GPU machine (`IRPM_BACKEND=webgpu deno task notebook:script ...`).
 *
 *   deno task notebook:script notebooks/02_train_irpm.ipynb            # -> runs/notebook-scripts/02_train_irpm/
 *   deno task notebook:script notebooks/01_bradley_terry.ipynb --out /tmp/nb01 --no-run
 *
 * Exit status: the script's (0 when every cell ran), 2 on bad usage.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";

/** A notebook as far as the exporter reads it. */
export interface NotebookCells {
  readonly cells: readonly {
    readonly cell_type: string;
    readonly source: string | readonly string[];
  }[];
}

const RELATIVE_IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']*)\2/g;

/**
 * The code cells of a notebook as one module: `Deno.jupyter` replaced by the script stand-in
 * (imported from `shim` as `__jupyter`), relative import specifiers resolved against `notebook`
 * (the notebook file's URL), and a `__jupyter.cellStart(n)` before code cell n (1-based), then
 * `__jupyter.scriptEnd()`.
 *
 * @example
 * ```ts
 * import { notebookScript } from "./notebook_script.ts";
 * import { assertEquals } from "@std/assert";
 * const script = notebookScript({ cells: [
 *   { cell_type: "markdown", source: "# title" },
 *   { cell_type: "code", source: ['import { x } from "./lib/mod.ts";\n', "Deno.jupyter.md`${x}`"] },
 * ] }, { notebook: new URL("file:///kit/notebooks/01.ipynb"), shim: new URL("file:///kit/viz/s.ts") });
 * assertEquals(script.split("\n"), [
 *   'import * as __jupyter from "file:///kit/viz/s.ts";',
 *   "__jupyter.cellStart(1);",
 *   'import { x } from "file:///kit/notebooks/lib/mod.ts";',
 *   "__jupyter.md`${x}`",
 *   ";",
 *   "__jupyter.scriptEnd();",
 *   "",
 * ]);
 * ```
 */
export function notebookScript(
  notebook: NotebookCells,
  where: { notebook: URL; shim: URL },
): string {
  const lines = [`import * as __jupyter from "${where.shim.href}";`];
  let n = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source);
    const code = source
      .replace(/\bDeno\.jupyter\b/g, "__jupyter")
      .replace(
        RELATIVE_IMPORT,
        (_, head, quote, specifier) =>
          `${head}${quote}${new URL(specifier, where.notebook).href}${quote}`,
      );
    // imports are hoisted by the module system; everything else runs in cell order
    lines.push(`__jupyter.cellStart(${++n});`, code, ";");
  }
  lines.push("__jupyter.scriptEnd();", "");
  return lines.join("\n");
}

const SCHEMA: FlagSchema = {
  out: { kind: "string", help: "folder for the script and its figures" },
  "no-run": { kind: "boolean", help: "only write the script" },
};

const USAGE = `Usage: deno task notebook:script <notebook.ipynb> [flags]

Runs a notebook's code cells as a plain Deno script (no Jupyter): markdown and tables are printed,
figures written as SVG + plotly JSON, and each cell's wall time reported.

Flags:
`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, SCHEMA);
  if (parsed.help) {
    console.log(USAGE + formatHelp(SCHEMA, { out: "runs/notebook-scripts/<name>" }));
    return 0;
  }
  if (parsed.positional.length !== 1) {
    throw new UsageError(
      parsed.positional.length === 0
        ? "give one notebook (.ipynb)"
        : `one notebook at a time, got ${parsed.positional.join(", ")}`,
    );
  }
  const path = resolve(parsed.positional[0]);
  let notebook: NotebookCells;
  try {
    notebook = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new UsageError(
      `${parsed.positional[0]}: ${
        error instanceof Deno.errors.NotFound ? "no such file" : "not a notebook (JSON)"
      }`,
    );
  }
  if (!Array.isArray(notebook?.cells)) {
    throw new UsageError(`${parsed.positional[0]}: not a notebook (no "cells" list)`);
  }
  const name = basename(path).replace(/\.ipynb$/, "");
  const out = resolve((parsed.values.out as string | undefined) ?? `runs/notebook-scripts/${name}`);
  await Deno.mkdir(out, { recursive: true });
  const scriptPath = `${out}/${name}.ts`;
  await Deno.writeTextFile(
    scriptPath,
    notebookScript(notebook, {
      notebook: pathToFileURL(path),
      shim: new URL("../viz/script_jupyter.ts", import.meta.url),
    }),
  );
  console.error(`notebook:script: wrote ${scriptPath}`);
  if (parsed.values["no-run"]) return 0;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      scriptPath,
    ],
    cwd: dirname(path),
    env: { IRPM_SCRIPT_OUT: out },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) console.error(`notebook:script: ${name} failed (exit ${code})`);
  return code;
}

if (import.meta.main) await runCli("notebook:script", main);
