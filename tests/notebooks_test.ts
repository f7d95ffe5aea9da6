/**
 * Executes every `notebooks/*.ipynb` headless with the Deno kernel and checks the outputs:
 * no error output, every cell tagged `figure` shows a plot (plotly JSON + static SVG), every
 * cell tagged `table` shows a table, every cell tagged `verdict` a verdict, every plotly output
 * has its SVG, and plotly.js itself is never saved into a notebook; each saved notebook stays
 * under {@link MAX_NOTEBOOK_BYTES}.
 *
 * Needs Jupyter and the Deno kernelspec, which `deno task setup` installs (`deno task test` runs it). Without them the test
 * fails (it never passes silently); set IRPM_SKIP_NOTEBOOKS=1 to skip it visibly instead.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";

const notebooksDir = new URL("../notebooks/", import.meta.url);
const installHint = "run `deno task setup` (or set IRPM_SKIP_NOTEBOOKS=1 to skip notebook tests)";
const plotlyMime = "application/vnd.plotly.v1+json";
const svgMime = "image/svg+xml";
/** A notebook in git stays under 1 MiB: outputs hold plotly JSON + SVG, never plotly.js. */
const MAX_NOTEBOOK_BYTES = 1 << 20;

type Output = {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
};
type Cell = {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: Output[];
};
type Notebook = { cells: Cell[]; metadata: { kernelspec?: { name?: string } } };

const text = (value: unknown) => (Array.isArray(value) ? value.join("") : String(value ?? ""));

async function run(
  args: string[],
  cwd?: URL,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(args[0], {
    args: args.slice(1),
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Throws with the install hint unless `jupyter nbconvert` and a runnable Deno kernelspec exist. */
async function checkJupyter(): Promise<void> {
  let version;
  try {
    version = await run(["jupyter", "nbconvert", "--version"]);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`jupyter is not installed: ${installHint}`);
    }
    throw error;
  }
  if (version.code !== 0) {
    throw new Error(
      `\`jupyter nbconvert\` does not run (${version.stderr.trim()}): ${installHint}`,
    );
  }
  const list = await run(["jupyter", "kernelspec", "list", "--json"]);
  const deno = list.code === 0 ? JSON.parse(list.stdout).kernelspecs?.deno : undefined;
  if (!deno) throw new Error(`no "deno" Jupyter kernelspec: ${installHint}`);
  const denoPath: string = deno.spec.argv[0];
  const specPath = `${deno.resource_dir}/kernel.json`;
  const stat = await Deno.stat(denoPath).catch(() => null);
  if (!stat?.isFile) {
    throw new Error(
      `the Deno kernelspec ${specPath} points at a missing ${denoPath}: ${installHint}`,
    );
  }
}

/** Checks an executed notebook; returns a list of problems (empty when all is well). */
function problems(notebook: Notebook): string[] {
  const found: string[] = [];
  let plotlyInlined = 0;
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const where = `cell ${index} (${text(cell.source).split("\n")[0].slice(0, 60)})`;
    const outputs = cell.outputs ?? [];
    for (const output of outputs) {
      if (output.output_type === "error") found.push(`${where}: ${output.ename}: ${output.evalue}`);
      const data = output.data ?? {};
      if (plotlyMime in data && !(svgMime in data)) {
        found.push(`${where}: a plotly output without ${svgMime}`);
      }
      if (plotlyMime in data && !cell.metadata?.tags?.includes("figure")) {
        found.push(`${where}: shows a plot but is not tagged "figure"`);
      }
      plotlyInlined += text(data["text/html"]).split("/* plotly.js v").length - 1;
    }
    const isFigureCell = cell.metadata?.tags?.includes("figure") ?? false;
    const plots = outputs.filter((o) =>
      (o.output_type === "display_data" || o.output_type === "execute_result") &&
      plotlyMime in (o.data ?? {}) && svgMime in (o.data ?? {})
    );
    if (isFigureCell && plots.length === 0) {
      found.push(`${where}: tagged "figure" but displayed no plot`);
    }
    if (cell.metadata?.tags?.includes("table")) {
      const tables = outputs.filter((o) =>
        "text/html" in (o.data ?? {}) && !(plotlyMime in o.data!)
      );
      if (tables.length === 0) found.push(`${where}: tagged "table" but displayed no table`);
    }
    // a verdict cell must show its verdict line, computed in the cell
    if (cell.metadata?.tags?.includes("verdict")) {
      const shown = outputs.map((o) =>
        text(o.data?.["text/markdown"]) + text(o.data?.["text/plain"]) +
        text((o as { text?: unknown }).text)
      ).join("");
      if (!/\bverdict\b/i.test(shown)) {
        found.push(`${where}: tagged "verdict" but shows no verdict`);
      }
    }
  });
  if (plotlyInlined > 0) {
    found.push(
      `plotly.js is inlined ${plotlyInlined} time(s): a notebook keeps plotly JSON + SVG only`,
    );
  }
  return found;
}

const skip = Deno.env.get("IRPM_SKIP_NOTEBOOKS") === "1";
const notebooks = [...Deno.readDirSync(notebooksDir)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
  .map((entry) => entry.name)
  .sort();

Deno.test("there is at least one notebook to execute", () => {
  assert(notebooks.length > 0, `no *.ipynb in ${notebooksDir.pathname}`);
});

for (const name of notebooks) {
  Deno.test({
    name: skip
      ? `notebook ${name} (skipped: IRPM_SKIP_NOTEBOOKS=1)`
      : `notebook ${name} executes cleanly with plots`,
    ignore: skip,
    async fn() {
      await checkJupyter();
      const source: Notebook = JSON.parse(await Deno.readTextFile(new URL(name, notebooksDir)));
      assertEquals(source.metadata.kernelspec?.name, "deno", `${name}: kernelspec name`);
      const outDir = await Deno.makeTempDir({ prefix: "irpm_notebooks_" });
      try {
        const result = await run([
          "jupyter",
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.kernel_name=deno",
          "--ExecutePreprocessor.timeout=600",
          "--output-dir",
          outDir,
          name,
        ], notebooksDir);
        if (result.code !== 0) {
          throw new Error(`nbconvert failed on ${name} (exit ${result.code}):\n${result.stderr}`);
        }
        const executed: Notebook = JSON.parse(await Deno.readTextFile(`${outDir}/${name}`));
        assertEquals(problems(executed), [], `${name}: problems in the executed notebook`);
      } finally {
        await Deno.remove(outDir, { recursive: true });
      }
    },
  });
}

Deno.test("the notebook checker catches errors, missing plots, tables, verdicts and plotly.js", () => {
  const figure = (outputs: Output[]): Cell => ({
    cell_type: "code",
    source: "show()",
    metadata: { tags: ["figure"] },
    outputs,
  });
  const plot = (html = ""): Output => ({
    output_type: "display_data",
    data: { [plotlyMime]: {}, [svgMime]: "<svg/>", "text/html": html },
  });
  assertEquals(problems({ cells: [figure([plot()]), figure([plot()])], metadata: {} }), []);
  assertEquals(problems({ cells: [figure([])], metadata: {} }), [
    'cell 0 (show()): tagged "figure" but displayed no plot',
  ]);
  assertEquals(
    problems({
      cells: [{
        cell_type: "code",
        source: "x",
        outputs: [{ output_type: "error", ename: "E", evalue: "v" }],
      }],
      metadata: {},
    }),
    ["cell 0 (x): E: v"],
  );
  assertEquals(
    problems({ cells: [figure([plot("/* plotly.js v3 */")]), figure([plot()])], metadata: {} }),
    ["plotly.js is inlined 1 time(s): a notebook keeps plotly JSON + SVG only"],
  );
  const tableCell = (outputs: Output[]): Cell => ({
    cell_type: "code",
    source: "table()",
    metadata: { tags: ["table"] },
    outputs,
  });
  const frame: Output = { output_type: "display_data", data: { "text/html": "<table></table>" } };
  assertEquals(problems({ cells: [tableCell([frame])], metadata: {} }), []);
  assertEquals(problems({ cells: [tableCell([])], metadata: {} }), [
    'cell 0 (table()): tagged "table" but displayed no table',
  ]);
  assertEquals(
    problems({ cells: [{ cell_type: "code", source: "y", outputs: [plot()] }], metadata: {} }),
    ['cell 0 (y): shows a plot but is not tagged "figure"'],
  );
  const verdictCell = (markdown: string): Cell => ({
    cell_type: "code",
    source: "verdict()",
    metadata: { tags: ["verdict"] },
    outputs: [{ output_type: "execute_result", data: { "text/markdown": markdown } }],
  });
  assertEquals(problems({ cells: [verdictCell("**verdict: reproduced**")], metadata: {} }), []);
  assertEquals(problems({ cells: [verdictCell("")], metadata: {} }), [
    'cell 0 (verdict()): tagged "verdict" but shows no verdict',
  ]);
});

Deno.test("every notebook in git stays under 1 MiB (plotly.js is not saved into it)", async () => {
  for (const name of notebooks) {
    const { size } = await Deno.stat(new URL(name, notebooksDir));
    assert(size < MAX_NOTEBOOK_BYTES, `${name} is ${size} bytes (limit ${MAX_NOTEBOOK_BYTES})`);
  }
});
