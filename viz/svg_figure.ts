/**
 * Static SVG rendering of a {@link Figure}, for viewers that run no JavaScript (GitHub's notebook
 * view, nbviewer without JS, PDFs). It follows plotly's default look: a light blue-grey plot area
 * with white grid lines, nice ticks, the legend on the right and the title on top.
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { traceColor } from "./figure.ts";
import { element, escapeXml, group, px } from "./svg.ts";
import { type Axes, layoutAxes, type PlotArea, traceCategories } from "./svg_axes.ts";
import { paintTrace } from "./svg_traces.ts";

/** Size and font of the SVG; defaults: layout width/height, else 700 x 450 (plotly's). */
export type SvgOptions = { width?: number; height?: number; fontFamily?: string };

const ink = "#2a3f5f"; // plotly's default text colour
const charWidth = 7; // rough width of one 12 px sans-serif character, for layout only

/** The label a trace shows in the legend. */
export function traceLabel(trace: Trace, index: number): string {
  return trace.name ?? `trace ${index}`;
}

function legendSymbol(trace: Trace, color: string, x: number, y: number): string {
  if (trace.type === "scatter" && trace.mode === "markers") {
    return element("circle", { cx: x + 10, cy: y, r: 3, fill: color });
  }
  if (trace.type === "scatter") {
    const dash = { solid: undefined, dash: "6,4", dot: "2,3" }[trace.line?.dash ?? "solid"];
    return element("line", {
      x1: x,
      x2: x + 20,
      y1: y,
      y2: y,
      stroke: color,
      "stroke-width": 2,
      "stroke-dasharray": dash,
    });
  }
  return element("rect", {
    x: x + 3,
    y: y - 6,
    width: 14,
    height: 12,
    fill: color,
    "fill-opacity": 0.8,
  });
}

function legend(data: readonly Trace[], x: number, top: number): string {
  const items = data.map((trace, i) => {
    const y = top + 10 + i * 20;
    return group({ class: "legend-item" }, [
      legendSymbol(trace, traceColor(trace, i), x, y),
      element("text", { x: x + 26, y: y + 4 }, traceLabel(trace, i)),
    ]);
  });
  return group({ class: "legend", fill: ink, "font-size": 12 }, items);
}

function axisMarks(axes: Axes, area: PlotArea, rotateX: boolean): string[] {
  const bottom = area.top + area.height;
  const marks: string[] = [];
  for (const tick of axes.y.ticks) {
    marks.push(element("line", {
      class: "grid",
      x1: area.left,
      x2: area.left + area.width,
      y1: tick.position,
      y2: tick.position,
      stroke: "white",
    }));
    marks.push(
      element("text", {
        class: "ytick",
        x: area.left - 6,
        y: tick.position + 4,
        "text-anchor": "end",
      }, tick.label),
    );
  }
  for (const tick of axes.x.ticks) {
    if (axes.x.kind === "linear") {
      marks.push(
        element("line", {
          class: "grid",
          x1: tick.position,
          x2: tick.position,
          y1: area.top,
          y2: bottom,
          stroke: "white",
        }),
      );
    }
    const y = bottom + 16;
    marks.push(element("text", {
      class: "xtick",
      x: tick.position,
      y,
      "text-anchor": rotateX ? "end" : "middle",
      transform: rotateX ? `rotate(-30 ${px(tick.position)} ${px(y)})` : undefined,
    }, tick.label));
  }
  return marks;
}

/**
 * Renders `figure` as a standalone SVG string: title, axes with nice ticks and titles, grid, the
 * traces (lines, markers, error bars, bars, histogram bins, boxes) and a legend.
 *
 * @example
 * ```ts
 * import { svgFigure } from "./svg_figure.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertStringIncludes } from "@std/assert";
 * const svg = svgFigure(lineChart([{ x: [1, 2, 3], y: [1, 4, 9] }], { title: "squares" }));
 * assertStringIncludes(svg, '<path class="trace-line" d="M');
 * assertStringIncludes(svg, ">squares</text>");
 * ```
 */
export function svgFigure(figure: Figure, options: SvgOptions = {}): string {
  const { data, layout } = figure;
  const width = options.width ?? layout.width ?? 700;
  const height = options.height ?? layout.height ?? 450;
  const fontFamily = options.fontFamily ?? "'Open Sans', Verdana, Arial, sans-serif";
  const showLegend = layout.showlegend ?? data.length > 1;
  const legendWidth = showLegend
    ? 40 + charWidth * Math.max(...data.map((t, i) => traceLabel(t, i).length))
    : 0;
  const title = layout.title?.text,
    xTitle = layout.xaxis?.title?.text,
    yTitle = layout.yaxis?.title?.text;

  // Rotate category labels that would not fit their slot; they then need a deeper bottom margin.
  const categories = [...new Set(data.flatMap(traceCategories))];
  const longest = Math.max(0, ...categories.map((c) => c.length));
  const roughSlot = (width - 80 - legendWidth) / Math.max(1, categories.length);
  const rotateX = categories.length > 0 && longest * charWidth > roughSlot * 0.95;
  const tickDepth = rotateX ? 16 + longest * charWidth * 0.5 : 22;

  const left = yTitle ? 80 : 60, top = title ? 60 : 20;
  const area: PlotArea = {
    left,
    top,
    width: Math.max(10, width - left - 20 - legendWidth),
    height: Math.max(10, height - top - tickDepth - (xTitle ? 30 : 8)),
  };
  const axes = layoutAxes(figure, area);

  // Bar traces sit side by side within a category: the k-th bar trace takes slot k of count.
  const barCount = data.filter((t) => t.type === "bar").length;
  let barIndex = 0;
  const traceMarks = data.flatMap((trace, i) =>
    paintTrace(trace, {
      index: i,
      axes,
      barSlot: { index: trace.type === "bar" ? barIndex++ : 0, count: barCount },
    })
  );
  const parts = [
    element("rect", { class: "background", x: 0, y: 0, width, height, fill: "white" }),
    element("rect", {
      class: "plot-area",
      x: area.left,
      y: area.top,
      width: area.width,
      height: area.height,
      fill: "#e5ecf6",
    }),
    group({ class: "axes", fill: ink, "font-size": 12 }, axisMarks(axes, area, rotateX)),
    group({ class: "traces" }, traceMarks),
  ];
  if (title) {
    parts.push(
      element("text", {
        class: "title",
        x: width / 2,
        y: 32,
        "text-anchor": "middle",
        "font-size": 17,
        fill: ink,
      }, title),
    );
  }
  if (xTitle) {
    const y = area.top + area.height + tickDepth + 20;
    parts.push(
      element("text", {
        class: "xtitle",
        x: area.left + area.width / 2,
        y,
        "text-anchor": "middle",
        "font-size": 14,
        fill: ink,
      }, xTitle),
    );
  }
  if (yTitle) {
    const x = 22, y = area.top + area.height / 2;
    parts.push(element("text", {
      class: "ytitle",
      x,
      y,
      "text-anchor": "middle",
      "font-size": 14,
      fill: ink,
      transform: `rotate(-90 ${x} ${px(y)})`,
    }, yTitle));
  }
  if (showLegend) parts.push(legend(data, area.left + area.width + 20, area.top));
  const label = escapeXml(title ?? "figure");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${
      escapeXml(fontFamily)
    }" role="img" aria-label="${label}"><title>${label}</title>${parts.join("")}</svg>`;
}
