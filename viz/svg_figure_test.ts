import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { barChart, boxPlot, histogram, lineChart } from "./charts.ts";
import type { Figure } from "./figure.ts";
import { svgFigure } from "./svg_figure.ts";

/** Minimal XML well-formedness check: balanced tags, quoted attributes, escaped ampersands. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let position = 0;
  for (const match of xml.matchAll(tag)) {
    const between = xml.slice(position, match.index);
    assert(
      !between.includes("<") && !between.includes(">"),
      `stray markup near ${between.slice(0, 60)}`,
    );
    assert(
      !/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(between),
      `unescaped & in ${between.slice(0, 60)}`,
    );
    const [, closing, name, , selfClosing] = match;
    if (closing) assertEquals(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) stack.push(name);
    position = match.index + match[0].length;
  }
  assertEquals(xml.slice(position), "", "text after the root element");
  assertEquals(stack, [], "unclosed elements");
  assert(xml.startsWith("<svg "), "root element is <svg>");
}

const count = (svg: string, cls: string) => svg.split(`class="${cls}"`).length - 1;
const labels = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, "g"))].map((m) => m[1]);

Deno.test("line chart: one path per series, one marker per point, nice ticks", () => {
  const fig = lineChart([{ x: [0, 2.5, 5, 10], y: [0, 1, 0.25, 0.5], mode: "lines" }]);
  const svg = svgFigure(fig);
  assertWellFormed(svg);
  assertEquals([count(svg, "trace-line"), count(svg, "marker"), count(svg, "legend-item")], [
    1,
    0,
    0,
  ]);
  // Plot area 620 x 400 px (700 - 60 left - 20 right; 450 - 20 top - 22 ticks - 8 bottom).
  // y: data [0, 1] padded 5% -> [-0.05, 1.05]; 400 / 50 = 8 intervals; 1.1 / 8 = 0.1375 -> 0.2
  assertEquals(labels(svg, "ytick"), ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
  // x: lines only, no padding -> [0, 10]; 620 / 80 -> 8 intervals; 10 / 8 = 1.25 -> 2
  assertEquals(labels(svg, "xtick"), ["0", "2", "4", "6", "8", "10"]);
  // Tick "4" at 60 + 0.4 * 620 = 308 px; tick "0.4" at 20 + 400 * (1.05 - 0.4) / 1.1 = 256.36 px
  assertStringIncludes(svg, '<text class="xtick" x="308" y="436"');
  assertStringIncludes(svg, '<line class="grid" x1="60" x2="680" y1="256.36" y2="256.36"');
  // First point (0, 0): x 60, y 20 + 400 * 1.05 / 1.1 = 401.82
  assertStringIncludes(svg, 'd="M60 401.82L');
});

Deno.test("two series with markers and error bars get a legend", () => {
  const fig = lineChart([
    {
      name: "sd <measured>",
      x: [2, 4, 8, 16],
      y: [0.2, 0.14, 0.1, 0.07],
      errorY: [0.01, 0.01, 0.01, 0.01],
    },
    {
      name: "reference",
      x: [2, 4, 8, 16],
      y: [0.2, 0.141, 0.1, 0.071],
      mode: "lines",
      dash: "dash",
    },
  ], { title: "Spread & G", xTitle: "G", yTitle: "sd", xTickValues: [2, 4, 8, 16] });
  const svg = svgFigure(fig);
  assertWellFormed(svg);
  assertEquals([count(svg, "trace-line"), count(svg, "marker"), count(svg, "error-bar")], [
    2,
    4,
    1,
  ]);
  assertEquals(count(svg, "legend-item"), 2);
  assertStringIncludes(svg, ">sd &lt;measured&gt;</text>");
  assertStringIncludes(svg, ">Spread &amp; G</text>");
  assertEquals(labels(svg, "xtick"), ["2", "4", "8", "16"]);
  assertStringIncludes(svg, 'stroke-dasharray="6,4"');
});

Deno.test("grouped bars: one rect per value, category ticks in order", () => {
  const fig = barChart([
    { name: "mean", categories: ["c1", "c2", "r1"], values: [1, -1, 1] },
    { name: "winrate", categories: ["c1", "c2", "r1"], values: [0.75, 0.25, 0.5] },
  ]);
  const svg = svgFigure(fig, { width: 600, height: 400 });
  assertWellFormed(svg);
  assertEquals(count(svg, "bar"), 6);
  assertEquals(labels(svg, "xtick"), ["c1", "c2", "r1"]);
  // y: bars keep 0; [-1, 1] padded by 5% of 2 -> [-1.1, 1.1]; 350 px / 50 = 7; 2.2 / 7 -> 0.5
  assertEquals(labels(svg, "ytick"), ["\u22121", "\u22120.5", "0", "0.5", "1"]);
  assertStringIncludes(svg, 'width="600" height="400"');
});

Deno.test("histogram: one rect per non-empty bin", () => {
  const fig = histogram([{ values: [0.1, 0.15, 0.3, 0.9] }], {
    bins: { start: 0, end: 1, size: 0.2 },
  });
  const svg = svgFigure(fig);
  assertWellFormed(svg);
  // bins [0,.2): 2, [.2,.4): 1, [.4,.6): 0, [.6,.8): 0, [.8,1): 1 -> three rects
  assertEquals(count(svg, "hist-bin"), 3);
  // y from 0 to max count 2 (+5%): ticks 0, 0.5, ..., 2 (2.1 / 8 = 0.2625 -> 0.5)
  assertEquals(labels(svg, "ytick"), ["0", "0.5", "1", "1.5", "2"]);
});

Deno.test("box plot: box, median, whiskers and outliers", () => {
  const svg = svgFigure(
    boxPlot([{ name: "a", values: [1, 2, 3, 4, 100] }, { name: "b", values: [5, 6] }]),
  );
  assertWellFormed(svg);
  assertEquals([
    count(svg, "box"),
    count(svg, "box-median"),
    count(svg, "whisker"),
    count(svg, "outlier"),
  ], [2, 2, 2, 1]);
  assertEquals(labels(svg, "xtick"), ["a", "b"]);
});

Deno.test("svgFigure rejects numeric and category traces in one figure", () => {
  const mixed: Figure = {
    data: [
      ...lineChart([{ x: [1], y: [1] }]).data,
      ...barChart([{ categories: ["a"], values: [1] }]).data,
    ],
    layout: {},
  };
  assertThrows(() => svgFigure(mixed), RangeError, "cannot mix");
});
