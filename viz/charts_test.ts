import { assertEquals, assertThrows } from "@std/assert";
import { barChart, boxPlot, histogram, lineChart, niceBins } from "./charts.ts";

Deno.test("lineChart builds plotly scatter traces and layout", () => {
  const fig = lineChart(
    [
      { name: "sd", x: [2, 4], y: [0.2, 0.1], errorY: [0.01, 0.02], color: "#123456" },
      { x: [2, 4], y: [0.3, 0.2], mode: "lines", dash: "dash" },
    ],
    { title: "T", xTitle: "G", yTitle: "sd", width: 500, height: 300, xTickValues: [2, 4] },
  );
  assertEquals(fig, {
    data: [
      {
        type: "scatter",
        name: "sd",
        x: [2, 4],
        y: [0.2, 0.1],
        mode: "lines+markers",
        line: { color: "#123456" },
        marker: { color: "#123456" },
        error_y: { type: "data", array: [0.01, 0.02], visible: true },
      },
      { type: "scatter", x: [2, 4], y: [0.3, 0.2], mode: "lines", line: { dash: "dash" } },
    ],
    layout: {
      title: { text: "T" },
      xaxis: { title: { text: "G" }, tickmode: "array", tickvals: [2, 4] },
      yaxis: { title: { text: "sd" } },
      width: 500,
      height: 300,
    },
  });
  // The figure is plain JSON: a round trip changes nothing.
  assertEquals(JSON.parse(JSON.stringify(fig)), fig);
});

Deno.test("lineChart copies its inputs", () => {
  const x = [1, 2];
  const fig = lineChart([{ x, y: [3, 4] }]);
  x[0] = 99;
  assertEquals(fig.data[0].type === "scatter" && fig.data[0].x, [1, 2]);
});

Deno.test("chart builders reject bad input naming the field", () => {
  assertThrows(() => lineChart([]), RangeError, "at least one series");
  assertThrows(
    () => lineChart([{ x: [1, 2], y: [1] }]),
    RangeError,
    "series[0] x and y: lengths differ (2 vs 1)",
  );
  assertThrows(
    () => lineChart([{ x: [1], y: [NaN] }]),
    RangeError,
    "series[0].y[0] must be a finite number, got NaN",
  );
  assertThrows(() => lineChart([{ x: [1], y: [1], errorY: [1, 2] }]), RangeError, "y and errorY");
  assertThrows(
    () => barChart([{ categories: ["a"], values: [1, 2] }]),
    RangeError,
    "categories and values",
  );
  assertThrows(() => barChart([{ categories: [1 as never], values: [1] }]), TypeError, "strings");
  assertThrows(() => histogram([{ values: [1, Infinity] }]), RangeError, "values[1]");
  assertThrows(
    () => histogram([{ values: [1] }], { bins: { start: 1, end: 0, size: 1 } }),
    RangeError,
    "end > start",
  );
  assertThrows(() => boxPlot([{ name: "b", values: [] }]), RangeError, "empty");
});

Deno.test("barChart groups bars on a category axis", () => {
  const fig = barChart([
    { name: "mean", categories: ["c1", "r1"], values: [1, -1] },
    { name: "winrate", categories: ["c1", "r1"], values: [0.75, 0.25], color: "red" },
  ], { yTitle: "reward" });
  assertEquals(fig.layout, {
    barmode: "group",
    xaxis: { type: "category" },
    yaxis: { title: { text: "reward" } },
  });
  assertEquals(fig.data[1], {
    type: "bar",
    x: ["c1", "r1"],
    y: [0.75, 0.25],
    name: "winrate",
    marker: { color: "red" },
  });
});

Deno.test("niceBins: hand-computed edges", () => {
  // (0.93 - 0.12) / 8 = 0.10125 -> 0.2; start floor(0.6) * 0.2 = 0; end (floor(4.65) + 1) * 0.2 = 1
  assertEquals(niceBins([0.12, 0.93, 0.5], 8), { start: 0, end: 1, size: 0.2 });
  // (7 - -3) / 20 = 0.5 -> 0.5; start -3; max 7 sits on an edge, so end is 7.5 (7 < end)
  assertEquals(niceBins([-3, 7], 20), { start: -3, end: 7.5, size: 0.5 });
  // one distinct value 4: size niceStep(4 / 10) = 0.5 -> [4, 4.5)
  assertEquals(niceBins([4, 4], 20), { start: 4, end: 4.5, size: 0.5 });
  assertThrows(() => niceBins([], 5), RangeError, "empty");
  assertThrows(() => niceBins([1, 2], 0), RangeError, "binCount");
});

Deno.test("histogram shares one set of bins across series and overlays them", () => {
  const fig = histogram([{ name: "a", values: [0, 1] }, { name: "b", values: [2, 3.9] }], {
    binCount: 4,
    norm: "probability",
  });
  // (3.9 - 0) / 4 = 0.975 -> 1; edges 0 .. 4
  for (const trace of fig.data) {
    assertEquals(trace.type === "histogram" && [trace.xbins, trace.histnorm, trace.opacity], [
      { start: 0, end: 4, size: 1 },
      "probability",
      0.6,
    ]);
  }
  assertEquals(fig.layout.barmode, "overlay");
});
