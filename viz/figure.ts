/**
 * The figure spec: a small, typed subset of plotly's figure JSON (`{ data, layout }`).
 *
 * A {@link Figure} is exactly what `Plotly.newPlot(div, figure.data, figure.layout)` takes and
 * what Jupyter's `application/vnd.plotly.v1+json` carries, so the same object feeds plotly.js in a
 * browser and the kit's static SVG renderer (`svg_figure.ts`). Only the fields below are used;
 * anything plotly computes in the browser (histogram bins, colours) is written out explicitly so
 * both renderers agree.
 *
 * @module
 */

/** How a scatter trace draws its points. */
export type ScatterMode = "lines" | "markers" | "lines+markers";

/** Line style of a scatter trace. */
export type LineStyle = { color?: string; width?: number; dash?: "solid" | "dash" | "dot" };

/** Marker style shared by all trace types. */
export type MarkerStyle = { color?: string; size?: number };

/** A line and/or marker series (plotly `type: "scatter"`), with optional symmetric error bars. */
export type ScatterTrace = {
  type: "scatter";
  name?: string;
  x: number[];
  y: number[];
  mode: ScatterMode;
  line?: LineStyle;
  marker?: MarkerStyle;
  /** Symmetric error bars: y[i] +/- array[i]. */
  error_y?: { type: "data"; array: number[]; visible: true };
};

/** One bar per category (plotly `type: "bar"`); several bar traces are grouped side by side. */
export type BarTrace = {
  type: "bar";
  name?: string;
  x: string[];
  y: number[];
  marker?: MarkerStyle;
};

/** Explicit histogram bin edges: bins [start + k size, start + (k + 1) size) up to `end`. */
export type HistogramBins = { start: number; end: number; size: number };

/** How histogram bar heights are normalised (plotly `histnorm`). */
export type HistogramNorm = "" | "probability" | "probability density";

/** Raw samples binned into explicit bins (plotly `type: "histogram"`). */
export type HistogramTrace = {
  type: "histogram";
  name?: string;
  x: number[];
  xbins: HistogramBins;
  histnorm: HistogramNorm;
  opacity?: number;
  marker?: MarkerStyle;
};

/** A box-and-whisker summary of raw samples (plotly `type: "box"`), one box per trace. */
export type BoxTrace = {
  type: "box";
  name: string;
  y: number[];
  boxpoints: "outliers" | false;
  marker?: MarkerStyle;
};

/** Any trace the kit draws. */
export type Trace = ScatterTrace | BarTrace | HistogramTrace | BoxTrace;

/** One axis: title, scale type and an optional fixed range. */
export type Axis = {
  title?: { text: string };
  type?: "linear" | "category";
  range?: [number, number];
  /** Explicit tick positions on a numeric axis (plotly `tickvals`); default: nice ticks. */
  tickmode?: "array";
  tickvals?: number[];
};

/** Figure layout: title, axes, how bars share a category, size and legend. */
export type Layout = {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  barmode?: "group" | "overlay";
  width?: number;
  height?: number;
  showlegend?: boolean;
};

/** A plotly figure: the traces and the layout. Plain JSON, no functions. */
export type Figure = { data: Trace[]; layout: Layout };

/** plotly's default colour cycle (`layout.colorway`), used when a trace sets no colour. */
export const defaultColorway: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/**
 * The colour a trace is drawn in: its own marker/line colour, else plotly's colour cycle by
 * trace index.
 *
 * @example
 * ```ts
 * import { traceColor } from "./figure.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(traceColor({ type: "bar", x: ["a"], y: [1] }, 1), "#ff7f0e");
 * assertEquals(traceColor({ type: "bar", x: ["a"], y: [1], marker: { color: "red" } }, 1), "red");
 * ```
 */
export function traceColor(trace: Trace, index: number): string {
  const own = trace.type === "scatter"
    ? trace.line?.color ?? trace.marker?.color
    : trace.marker?.color;
  return own ?? defaultColorway[index % defaultColorway.length];
}
