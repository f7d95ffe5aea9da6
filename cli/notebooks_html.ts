/**
 * `deno task notebooks:html`: export notebooks to self-contained interactive HTML pages.
 *
 * A saved notebook keeps each chart as plotly JSON + a static SVG (small in git; drawn by
 * JupyterLab, shown as SVG on static viewers). Its `text/html` output is a div holding that SVG and
 * a script that draws the chart once `window.Plotly` exists (viz/plot_html.ts). This exports the
 * notebook with `jupyter nbconvert --to html` and inlines plotly.js once into the page's head, so
 * every chart is interactive offline, like `report.html`.
 *
 *   deno task notebooks:html                         # every notebooks/*.ipynb -> runs/html/
 *   deno task notebooks:html notebooks/03_ablations.ipynb --out /tmp/pages
 *
 * @module
 */
import { basename, dirname } from "node:path";
import { parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { checkOutputPath, writeOutputFile } from "./output_file.ts";
import { loadPlotlyJs, type PlotlyJs } from "../viz/load_plotly.ts";
import { plotlyScriptTag } from "../viz/plot_html.ts";

/**
 * Inlines plotly.js into an exported page: right before `</head>` (or at the top without one).
 *
 * @example
 * ```ts
 * import { inlinePlotly } from "./notebooks_html.ts";
 * import { assertEquals } from "@std/assert";
 * const js = { source: "window.Plotly={}", version: "3", specifier: "plotly.js-dist-min" };
 * const page = inlinePlotly("<html><head><title>t</title></head><body></body></html>", js);
 * assertEquals(page.indexOf("window.Plotly={}") < page.indexOf("</head>"), true);
 * assertEquals(page.split("plotly.js v3, inlined once").length, 2);
 * ```
 */
export function inlinePlotly(html: string, plotlyJs: PlotlyJs): string {
  const tag = plotlyScriptTag(plotlyJs);
  const head = html.search(/<\/head>/i);
  return head < 0 ? `${tag}\n${html}` : `${html.slice(0, head)}${tag}\n${html.slice(head)}`;
}

const USAGE = `Usage: deno task notebooks:html [notebook.ipynb ...] [--out DIR]

Exports notebooks (default: every notebooks/*.ipynb) with their saved outputs to DIR/<name>.html
(default runs/html), with plotly.js inlined once per page so every chart is interactive offline.
Needs Jupyter (\`deno task setup\`).
`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { out: { kind: "string", help: "output folder" } });
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const root = new URL("..", import.meta.url).pathname;
  const notebooks = parsed.positional.length > 0
    ? parsed.positional
    : [...Deno.readDirSync(`${root}notebooks`)]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
      .map((e) => `${root}notebooks/${e.name}`)
      .sort();
  for (const notebook of notebooks) {
    if (!notebook.endsWith(".ipynb")) {
      throw new UsageError(`${notebook}: not a notebook (.ipynb)`);
    }
    const stat = await Deno.stat(notebook).catch(() => null);
    if (!stat?.isFile) throw new UsageError(`${notebook}: no such notebook`);
  }
  const out = String(parsed.values.out ?? "runs/html");
  await Deno.mkdir(out, { recursive: true });
  const pages = notebooks.map((nb) => `${out}/${basename(nb, ".ipynb")}.html`);
  for (const page of pages) await checkOutputPath(page, "--out");
  const plotlyJs = await loadPlotlyJs();
  const tmp = await Deno.makeTempDir({ prefix: "irpm-nbhtml-" });
  try {
    for (const [i, notebook] of notebooks.entries()) {
      const convert = await new Deno.Command("jupyter", {
        args: ["nbconvert", "--to", "html", "--output-dir", tmp, basename(notebook)],
        cwd: dirname(notebook),
        stdout: "piped",
        stderr: "piped",
      }).output().catch((error) => {
        if (error instanceof Deno.errors.NotFound) {
          throw new UsageError("jupyter is not installed: run `deno task setup`");
        }
        throw error;
      });
      if (convert.code !== 0) {
        throw new Error(
          `jupyter nbconvert --to html ${notebook} failed (exit ${convert.code}):\n` +
            new TextDecoder().decode(convert.stderr),
        );
      }
      const html = await Deno.readTextFile(`${tmp}/${basename(notebook, ".ipynb")}.html`);
      await writeOutputFile({ path: pages[i], flag: "--out" }, inlinePlotly(html, plotlyJs));
      console.log(`${pages[i]} (${notebook}, plotly.js ${plotlyJs.version} inlined once)`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return 0;
}

if (import.meta.main) await runCli("notebooks:html", main);
