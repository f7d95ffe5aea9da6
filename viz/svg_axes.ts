/**
 * Axis models for the static SVG: which data range each axis shows (plotly-like autorange), its
 * ticks, and the data-to-pixel maps the trace painters use.
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { formatTick, formatValue, linearScale, niceTicks, padRange } from "./scale.ts";
import { boxStats, histogramHeights } from "./trace_stats.ts";

/** The plotting rectangle in pixels. */
export type PlotArea = { left: number; top: number; width: number; height: number };

/** One tick: pixel position along its axis and its label. */
export type Tick = { position: number; label: string };

/** A numeric x axis. */
export type LinearXAxis = {
  kind: "linear";
  domain: [number, number];
  toPixel: (value: number) => number;
  ticks: Tick[];
};

/** A categorical x axis: equal slots, one per category, in order of first appearance. */
export type CategoryXAxis = {
  kind: "category";
  categories: string[];
  slotWidth: number;
  /** Left pixel edge of a category's slot. */
  slotStart: (category: string) => number;
  ticks: Tick[];
};

/** The y axis (always numeric). */
export type YAxis = { domain: [number, number]; toPixel: (value: number) => number; ticks: Tick[] };

/** Both axes of a figure laid onto a plot area. */
export type Axes = { x: LinearXAxis | CategoryXAxis; y: YAxis };

const isCategorical = (trace: Trace) => trace.type === "bar" || trace.type === "box";

/** Category labels of a trace: bar x values, or the box's own name. */
export function traceCategories(trace: Trace): string[] {
  if (trace.type === "bar") return trace.x;
  if (trace.type === "box") return [trace.name];
  return [];
}

function numericTicks(domain: [number, number], toPixel: (v: number) => number, target: number) {
  const { step, values } = niceTicks(domain[0], domain[1], target);
  return values.map((value) => ({ position: toPixel(value), label: formatTick(value, step) }));
}

function xDataRange(data: readonly Trace[]): [number, number] {
  let min = Infinity, max = -Infinity, padded = false;
  for (const trace of data) {
    if (trace.type === "scatter") {
      for (const x of trace.x) [min, max] = [Math.min(min, x), Math.max(max, x)];
      if (trace.mode !== "lines") padded = true; // markers get room, as in plotly
    } else if (trace.type === "histogram") {
      [min, max] = [Math.min(min, trace.xbins.start), Math.max(max, trace.xbins.end)];
    }
  }
  if (!Number.isFinite(min)) return [0, 1];
  const flat = max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-9;
  return padded || flat ? padRange([min, max]) : [min, max];
}

function yDataRange(data: readonly Trace[]): [number, number] {
  let min = Infinity, max = -Infinity, fromZero = false;
  const take = (v: number) => [min, max] = [Math.min(min, v), Math.max(max, v)];
  for (const trace of data) {
    if (trace.type === "scatter") {
      trace.y.forEach((y, i) => {
        const error = trace.error_y?.array[i] ?? 0;
        take(y - error);
        take(y + error);
      });
    } else if (trace.type === "bar") {
      trace.y.forEach(take);
      fromZero = true;
    } else if (trace.type === "histogram") {
      histogramHeights(trace).heights.forEach(take);
      fromZero = true;
    } else {
      const stats = boxStats(trace.y);
      take(Math.min(stats.lowerWhisker, ...stats.outliers));
      take(Math.max(stats.upperWhisker, ...stats.outliers));
    }
  }
  if (!Number.isFinite(min)) return [0, 1];
  if (!fromZero) return padRange([min, max]);
  // Bars grow from zero: keep 0 on the axis and pad only the far side(s).
  const low = Math.min(0, min), high = Math.max(0, max);
  const pad = (high - low || 1) * 0.05;
  return [low < 0 ? low - pad : 0, high > 0 ? high + pad : 0];
}

/**
 * Lays out both axes of `figure` on `area`: autorange (overridden by `layout.*axis.range`), nice
 * ticks (about one per 50 px vertically and 80 px horizontally), and category slots.
 * Throws a RangeError when numeric traces (scatter, histogram) and categorical ones (bar, box) are
 * mixed in one figure.
 *
 * @example
 * ```ts
 * import { layoutAxes } from "./svg_axes.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = lineChart([{ x: [0, 10], y: [0, 1], mode: "lines" }]);
 * const axes = layoutAxes(fig, { left: 0, top: 0, width: 500, height: 350 });
 * // lines only: x range exactly [0, 10]; 500 / 80 -> 6 intervals -> step niceStep(10/6) = 2
 * assertEquals(axes.x.ticks.map((t) => t.label), ["0", "2", "4", "6", "8", "10"]);
 * ```
 */
export function layoutAxes(figure: Figure, area: PlotArea): Axes {
  const { data, layout } = figure;
  const categorical = data.filter(isCategorical).length;
  if (categorical > 0 && categorical < data.length) {
    throw new RangeError(
      "svgFigure: cannot mix bar/box traces with scatter/histogram traces in one figure",
    );
  }
  const yDomain = layout.yaxis?.range ?? yDataRange(data);
  const yToPixel = linearScale(yDomain, [area.top + area.height, area.top]);
  const y = {
    domain: yDomain,
    toPixel: yToPixel,
    ticks: numericTicks(yDomain, yToPixel, Math.max(2, Math.round(area.height / 50))),
  };
  if (categorical > 0 || layout.xaxis?.type === "category") {
    const categories = [...new Set(data.flatMap(traceCategories))];
    const slotWidth = area.width / Math.max(1, categories.length);
    const slotStart = (category: string) => area.left + categories.indexOf(category) * slotWidth;
    const ticks = categories.map((c) => ({ position: slotStart(c) + slotWidth / 2, label: c }));
    return { x: { kind: "category", categories, slotWidth, slotStart, ticks }, y };
  }
  const xDomain = layout.xaxis?.range ?? xDataRange(data);
  const xToPixel = linearScale(xDomain, [area.left, area.left + area.width]);
  const tickvals = layout.xaxis?.tickvals;
  const xTicks = tickvals
    ? tickvals.map((v) => ({ position: xToPixel(v), label: formatValue(v) }))
    : numericTicks(xDomain, xToPixel, Math.max(2, Math.round(area.width / 80)));
  return { x: { kind: "linear", domain: xDomain, toPixel: xToPixel, ticks: xTicks }, y };
}
