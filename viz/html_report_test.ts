import { assertEquals, assertStringIncludes } from "@std/assert";
import { barChart, lineChart } from "./charts.ts";
import { selfContainedHtml } from "./html_report.ts";

const plotlyJs = {
  source: "window.Plotly = { id: 'PLOTLY-MARKER' };",
  version: "1.2.3",
  specifier: "fake",
};
const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test("selfContainedHtml inlines plotly.js once and keeps an SVG per figure in <noscript>", () => {
  const figures = [
    lineChart([{ x: [0, 1], y: [0, 1] }], { title: "one" }),
    barChart([{ categories: ["a", "b"], values: [1, 2] }], { title: "two" }),
    lineChart([{ x: [0, 1], y: [1, 0] }], { title: "three" }),
  ];
  const page = selfContainedHtml(figures, { title: "Report <1>", plotlyJs, captions: ["first"] });
  assertEquals(count(page, "PLOTLY-MARKER"), 1);
  assertEquals(count(page, "<noscript><svg "), 3);
  assertEquals(count(page, "Plotly.newPlot"), 3);
  assertEquals([count(page, 'id="fig-1"'), count(page, 'id="fig-3"')], [1, 1]);
  assertStringIncludes(page, "<title>Report &lt;1&gt;</title>");
  assertEquals(count(page, "<figcaption>"), 1);
  assertStringIncludes(page, "<figcaption>first</figcaption>");
  // plotly.js is in <head>, before any figure script runs.
  assertEquals(page.indexOf("PLOTLY-MARKER") < page.indexOf("<figure>"), true);
});

Deno.test("selfContainedHtml without plotly.js is a static page", () => {
  const page = selfContainedHtml([lineChart([{ x: [0, 1], y: [0, 1] }])]);
  assertEquals([count(page, "<script"), count(page, "<noscript"), count(page, "<svg ")], [0, 0, 1]);
  assertStringIncludes(page, "<!DOCTYPE html>");
});
