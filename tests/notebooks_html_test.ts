/**
 * `deno task notebooks:html`: a saved notebook (plotly JSON + SVG only, no plotly.js) exported to a
 * page with plotly.js inlined once, where headless Chromium draws every chart the notebook holds.
 * Needs Jupyter and Chromium (`deno task setup`); IRPM_SKIP_NOTEBOOKS=1 or IRPM_SKIP_BROWSER=1
 * skips it visibly.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCli, withTempDir } from "./_cli.ts";
import { browser, drawnCharts, SKIP_BROWSER } from "./_browser.ts";

const skip = SKIP_BROWSER || Deno.env.get("IRPM_SKIP_NOTEBOOKS") === "1";
const notebook = new URL("../notebooks/01_bradley_terry.ipynb", import.meta.url).pathname;

Deno.test({
  name: skip
    ? "notebooks:html (skipped: IRPM_SKIP_NOTEBOOKS=1 or IRPM_SKIP_BROWSER=1)"
    : "notebooks:html: plotly.js inlined once, every saved chart drawn in Chromium",
  ignore: skip,
  async fn() {
    const saved = JSON.parse(await Deno.readTextFile(notebook));
    const charts = saved.cells.flatMap((c: { outputs?: { data?: object }[] }) => c.outputs ?? [])
      .filter((o: { data?: object }) => "application/vnd.plotly.v1+json" in (o.data ?? {}))
      .length;
    await withTempDir(async (dir) => {
      const out = await runCli("cli/notebooks_html.ts", [notebook, "--out", dir]);
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, `${dir}/01_bradley_terry.html`);
      const page = await Deno.readTextFile(`${dir}/01_bradley_terry.html`);
      assertEquals(page.split("inlined once */").length - 1, 1, "plotly.js inlined exactly once");
      const dom = await browser(["--dump-dom", `file://${dir}/01_bradley_terry.html`]);
      assertEquals(drawnCharts(dom), charts, `all ${charts} charts drawn`);
    });
  },
});

Deno.test("notebooks:html: a path that is not a notebook is one named error, exit 2", async () => {
  const out = await runCli("cli/notebooks_html.ts", ["README.md"]);
  assertEquals([out.code, out.stderr.trim()], [
    2,
    "notebooks:html: README.md: not a notebook (.ipynb)",
  ]);
});
