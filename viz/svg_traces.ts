/**
 * Painters that turn one trace into SVG elements on laid-out axes. Every mark carries a class
 * (`trace-line`, `marker`, `error-bar`, `bar`, `hist-bin`, `box`, `box-median`, `whisker`,
 * `outlier`) so tests and stylesheets can find it.
 *
 * @module
 */
import type { BarTrace, BoxTrace, HistogramTrace, ScatterTrace, Trace } from "./figure.ts";
import { traceColor } from "./figure.ts";
import type { Axes, CategoryXAxis } from "./svg_axes.ts";
import { element, px } from "./svg.ts";
import { boxStats, histogramHeights } from "./trace_stats.ts";

/** Where a bar trace sits among the figure's bar traces (for side-by-side grouping). */
export type BarSlot = { index: number; count: number };

const dashArrays = { solid: undefined, dash: "6,4", dot: "2,3" } as const;

function linearX(axes: Axes, what: string): (value: number) => number {
  if (axes.x.kind !== "linear") throw new RangeError(`svgFigure: ${what} needs a numeric x axis`);
  return axes.x.toPixel;
}

function categoryX(axes: Axes, what: string): CategoryXAxis {
  if (axes.x.kind !== "category") {
    throw new RangeError(`svgFigure: ${what} needs a category x axis`);
  }
  return axes.x;
}

function paintScatter(trace: ScatterTrace, color: string, axes: Axes): string[] {
  const toX = linearX(axes, "a scatter trace");
  const points = trace.x.map((x, i) => [toX(x), axes.y.toPixel(trace.y[i])]);
  const marks: string[] = [];
  if (trace.error_y) {
    const d = trace.error_y.array.map((error, i) => {
      const [x] = points[i];
      const top = axes.y.toPixel(trace.y[i] + error), bottom = axes.y.toPixel(trace.y[i] - error);
      return `M${px(x)} ${px(top)}V${px(bottom)}M${px(x - 4)} ${px(top)}h8M${px(x - 4)} ${
        px(bottom)
      }h8`;
    }).join("");
    marks.push(
      element("path", { class: "error-bar", d, stroke: color, "stroke-width": 1.5, fill: "none" }),
    );
  }
  if (trace.mode !== "markers" && points.length > 0) {
    const d = points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${px(x)} ${px(y)}`).join("");
    marks.push(element("path", {
      class: "trace-line",
      d,
      fill: "none",
      stroke: color,
      "stroke-width": trace.line?.width ?? 2,
      "stroke-dasharray": dashArrays[trace.line?.dash ?? "solid"],
    }));
  }
  if (trace.mode !== "lines") {
    const r = (trace.marker?.size ?? 6) / 2;
    for (const [x, y] of points) {
      marks.push(element("circle", { class: "marker", cx: x, cy: y, r, fill: color }));
    }
  }
  return marks;
}

function paintBar(trace: BarTrace, color: string, axes: Axes, slot: BarSlot): string[] {
  const x = categoryX(axes, "a bar trace");
  const groupWidth = x.slotWidth * 0.8; // plotly's default bargap 0.2
  const barWidth = groupWidth / slot.count;
  const zero = axes.y.toPixel(0);
  return trace.y.map((value, i) => {
    const left = x.slotStart(trace.x[i]) + x.slotWidth * 0.1 + slot.index * barWidth;
    const top = Math.min(zero, axes.y.toPixel(value));
    const height = Math.abs(axes.y.toPixel(value) - zero);
    return element("rect", { class: "bar", x: left, y: top, width: barWidth, height, fill: color });
  });
}

function paintHistogram(trace: HistogramTrace, color: string, axes: Axes): string[] {
  const toX = linearX(axes, "a histogram trace");
  const { edges, heights } = histogramHeights(trace);
  const zero = axes.y.toPixel(0);
  const marks: string[] = [];
  heights.forEach((height, k) => {
    if (height === 0) return; // an empty bin draws nothing, as in plotly
    const top = axes.y.toPixel(height);
    marks.push(element("rect", {
      class: "hist-bin",
      x: toX(edges[k]),
      y: top,
      width: toX(edges[k + 1]) - toX(edges[k]),
      height: zero - top,
      fill: color,
      "fill-opacity": trace.opacity,
      stroke: "white",
      "stroke-width": 0.5,
    }));
  });
  return marks;
}

function paintBox(trace: BoxTrace, color: string, axes: Axes): string[] {
  const x = categoryX(axes, "a box trace");
  const stats = boxStats(trace.y);
  const width = x.slotWidth * 0.5;
  const left = x.slotStart(trace.name) + (x.slotWidth - width) / 2;
  const center = left + width / 2;
  const y = axes.y.toPixel;
  const line = { stroke: color, "stroke-width": 2 };
  const marks = [
    element("rect", {
      class: "box",
      x: left,
      y: y(stats.q3),
      width,
      height: y(stats.q1) - y(stats.q3),
      fill: color,
      "fill-opacity": 0.5,
      ...line,
    }),
    element("line", {
      class: "box-median",
      x1: left,
      x2: left + width,
      y1: y(stats.median),
      y2: y(stats.median),
      ...line,
    }),
    element("path", {
      class: "whisker",
      d: `M${px(center)} ${px(y(stats.q3))}V${px(y(stats.upperWhisker))}M${px(center)} ${
        px(y(stats.q1))
      }V${px(y(stats.lowerWhisker))}`,
      ...line,
    }),
  ];
  if (trace.boxpoints === "outliers") {
    for (const v of stats.outliers) {
      marks.push(
        element("circle", {
          class: "outlier",
          cx: center,
          cy: y(v),
          r: 3,
          fill: "none",
          stroke: color,
        }),
      );
    }
  }
  return marks;
}

/**
 * SVG elements for trace number `index` of a figure; `barSlot` places a bar trace within its
 * category group.
 *
 * @example
 * ```ts
 * import { paintTrace } from "./svg_traces.ts";
 * import { layoutAxes } from "./svg_axes.ts";
 * import { barChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = barChart([{ categories: ["a", "b"], values: [1, 2] }]);
 * const axes = layoutAxes(fig, { left: 0, top: 0, width: 200, height: 100 });
 * assertEquals(paintTrace(fig.data[0], { index: 0, axes, barSlot: { index: 0, count: 1 } }).length, 2);
 * ```
 */
export function paintTrace(
  trace: Trace,
  at: { index: number; axes: Axes; barSlot: BarSlot },
): string[] {
  const { index, axes, barSlot } = at;
  const color = traceColor(trace, index);
  switch (trace.type) {
    case "scatter":
      return paintScatter(trace, color, axes);
    case "bar":
      return paintBar(trace, color, axes, barSlot);
    case "histogram":
      return paintHistogram(trace, color, axes);
    case "box":
      return paintBox(trace, color, axes);
  }
}
