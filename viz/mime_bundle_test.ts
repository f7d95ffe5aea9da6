import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { barChart, lineChart } from "./charts.ts";
import { figureDisplay, jupyterDisplay, plotDisplay } from "./display.ts";
import type { BarTrace } from "./figure.ts";
import type { PlotlyJs } from "./load_plotly.ts";
import { mimeBundle } from "./mime_bundle.ts";
import { createPlotSession } from "./plot_session.ts";

// A stand-in bundle: a marker string we can count, with a "</script>" that must be defused.
const fakePlotly: PlotlyJs = {
  source: 'window.Plotly = { marker: "PLOTLY-SOURCE-MARKER", s: "</script>" };',
  version: "9.9.9",
  specifier: "fake",
};
const occurrences = (text: string, part: string) => text.split(part).length - 1;

Deno.test("mimeBundle has the four representations", () => {
  const fig = lineChart([{ name: "p", x: [0, 1], y: [0.5, 0.7] }], { title: "P" });
  const bundle = mimeBundle(fig, { session: createPlotSession({ idPrefix: "t" }) });
  assertEquals(Object.keys(bundle).sort(), [
    "application/vnd.plotly.v1+json",
    "image/svg+xml",
    "text/html",
    "text/plain",
  ]);
  assertEquals(bundle["application/vnd.plotly.v1+json"], fig);
  assert(bundle["image/svg+xml"].startsWith("<svg "));
  assertEquals(bundle["text/plain"], 'Figure "P"\n  scatter "p": 2 points, x 0..1, y 0.5..0.7');
  // The HTML draws the same figure JSON into the div, and holds the SVG until plotly draws.
  assertStringIncludes(bundle["text/html"], '<div id="t-1" class="irpm-plot"');
  assertStringIncludes(bundle["text/html"], JSON.stringify(fig.data));
  assertStringIncludes(bundle["text/html"], bundle["image/svg+xml"]);
});

Deno.test("the figure JSON in a bundle is a copy", () => {
  const fig = barChart([{ categories: ["a"], values: [1] }]);
  const bundle = mimeBundle(fig);
  (fig.data[0] as BarTrace).y[0] = 42;
  assertEquals((bundle["application/vnd.plotly.v1+json"].data[0] as BarTrace).y, [1]);
});

Deno.test("plotly.js is inlined exactly once across bundles of one session", () => {
  const session = createPlotSession({ plotlyJs: fakePlotly, idPrefix: "nb" });
  const fig = lineChart([{ x: [0, 1], y: [0, 1] }]);
  const first = mimeBundle(fig, { session });
  const second = mimeBundle(fig, { session });
  assertEquals(occurrences(first["text/html"], "PLOTLY-SOURCE-MARKER"), 1);
  assertEquals(occurrences(second["text/html"], "PLOTLY-SOURCE-MARKER"), 0);
  assertStringIncludes(second["text/html"], "window.Plotly");
  assert(session.plotlyInlined);
  // Distinct ids, and the bundle's "</script>" cannot close the inline script early.
  assertStringIncludes(first["text/html"], 'id="nb-1"');
  assertStringIncludes(second["text/html"], 'id="nb-2"');
  assertStringIncludes(first["text/html"], '"<\\/script>"');
  // A second session inlines again (a new notebook or page).
  const other = mimeBundle(fig, { session: createPlotSession({ plotlyJs: fakePlotly }) });
  assertEquals(occurrences(other["text/html"], "PLOTLY-SOURCE-MARKER"), 1);
});

Deno.test("without a session, ids come from the content and plotly.js is never inlined", () => {
  const a = mimeBundle(lineChart([{ x: [0, 1], y: [0, 1] }]));
  const b = mimeBundle(lineChart([{ x: [0, 1], y: [0, 2] }]));
  const id = (html: string) => /<div id="([^"]+)"/.exec(html)?.[1];
  assert(id(a["text/html"]) !== id(b["text/html"]));
  assertEquals(occurrences(a["text/html"], "<script"), 1); // only the drawing script
});

Deno.test("figure JSON inside the HTML script cannot break out of it", () => {
  const fig = lineChart([{ name: "</script><b>x</b>", x: [0], y: [0] }]);
  const html = mimeBundle(fig)["text/html"];
  assertEquals(occurrences(html, "</script>"), 1);
  assertStringIncludes(html, "\\u003c/script>");
});

Deno.test("createPlotSession rejects an id prefix that is not a valid id", () => {
  assertThrows(() => createPlotSession({ idPrefix: "1 bad" }), RangeError, '"1 bad"');
});

Deno.test("plotDisplay exposes the bundle through Symbol.for('Jupyter.display')", () => {
  const bundle = mimeBundle(lineChart([{ x: [0, 1], y: [0, 1] }]));
  const shown = plotDisplay(bundle) as Record<symbol, () => unknown>;
  assertEquals(shown[Symbol.for("Jupyter.display")](), bundle);
  const session = createPlotSession({ plotlyJs: fakePlotly });
  const viaFigure = figureDisplay(lineChart([{ x: [0, 1], y: [0, 1] }]), { session });
  assertStringIncludes(viaFigure[jupyterDisplay]()["text/html"], "PLOTLY-SOURCE-MARKER");
});
