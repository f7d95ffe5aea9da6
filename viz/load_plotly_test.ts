import { assert, assertEquals, assertRejects } from "@std/assert";
import { loadPlotlyJs, plotlyVersion } from "./load_plotly.ts";

Deno.test("loadPlotlyJs reads the plotly.js bundle from the npm package", async () => {
  const plotlyJs = await loadPlotlyJs();
  assert(plotlyJs.source.length > 1_000_000, `plotly.js is ${plotlyJs.source.length} chars`);
  assert(plotlyJs.source.includes("window.Plotly"), "the bundle defines window.Plotly");
  assert(/^\d+\.\d+\.\d+$/.test(plotlyJs.version), `version ${plotlyJs.version}`);
  assert(["plotly.js-dist-min", "plotly.js-dist"].includes(plotlyJs.specifier));
});

Deno.test("loadPlotlyJs names every specifier it tried", async () => {
  await assertRejects(
    () => loadPlotlyJs({ specifiers: ["no-such-plotly-package"] }),
    Error,
    "no-such-plotly-package: not in the import map",
  );
});

Deno.test("plotlyVersion reads the banner", () => {
  assertEquals(plotlyVersion("/**\n* plotly.js v2.35.2\n*/"), "2.35.2");
});
