/**
 * Builders for the four chart kinds the kit draws: each takes a list of series plus an options
 * object and returns a plain {@link Figure} (plotly figure JSON). Inputs are checked here, once,
 * so both renderers can trust the figure.
 *
 * @module
 */
import type {
  BarTrace,
  BoxTrace,
  Figure,
  HistogramBins,
  HistogramNorm,
  HistogramTrace,
  Layout,
  ScatterMode,
  ScatterTrace,
} from "./figure.ts";
import { niceStep, stepDecimals } from "./scale.ts";

/** Options every chart builder accepts: titles, size and the legend switch. */
export type ChartOptions = {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  /** Default: shown when there is more than one series (plotly's rule). */
  showLegend?: boolean;
  /** Explicit x tick positions (numeric x axes), e.g. the G values of a sweep. */
  xTickValues?: readonly number[];
};

/** One series of a line chart; `errorY[i]` draws y[i] +/- errorY[i]. */
export type LineSeries = {
  name?: string;
  x: readonly number[];
  y: readonly number[];
  mode?: ScatterMode;
  color?: string;
  dash?: "solid" | "dash" | "dot";
  errorY?: readonly number[];
};

/** One series of a bar chart: a value per category. */
export type BarSeries = {
  name?: string;
  categories: readonly string[];
  values: readonly number[];
  color?: string;
};

/** One sample to bin into a histogram. */
export type HistogramSeries = { name?: string; values: readonly number[]; color?: string };

/** Options of {@link histogram}: explicit bins, or about `binCount` nice bins over all series. */
export type HistogramOptions = ChartOptions & {
  bins?: HistogramBins;
  binCount?: number;
  norm?: HistogramNorm;
};

/** One box of a box plot. */
export type BoxSeries = { name: string; values: readonly number[]; color?: string };

function checkFinite(values: readonly number[], where: string): number[] {
  if (!Array.isArray(values)) {
    throw new TypeError(`${where} must be an array, got ${String(values)}`);
  }
  values.forEach((value, index) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`${where}[${index}] must be a finite number, got ${String(value)}`);
    }
  });
  return [...values];
}

function checkSeriesList(series: readonly unknown[], where: string): void {
  if (!Array.isArray(series) || series.length === 0) {
    throw new RangeError(`${where}: needs at least one series, got ${JSON.stringify(series)}`);
  }
}

function checkSameLength(a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
  }
}

function layoutFrom(options: ChartOptions, extra: Partial<Layout> = {}): Layout {
  const layout: Layout = { ...extra };
  if (options.title !== undefined) layout.title = { text: options.title };
  if (options.xTitle !== undefined) {
    layout.xaxis = { ...layout.xaxis, title: { text: options.xTitle } };
  }
  if (options.yTitle !== undefined) {
    layout.yaxis = { ...layout.yaxis, title: { text: options.yTitle } };
  }
  if (options.width !== undefined) layout.width = options.width;
  if (options.height !== undefined) layout.height = options.height;
  if (options.showLegend !== undefined) layout.showlegend = options.showLegend;
  if (options.xTickValues !== undefined) {
    const tickvals = checkFinite(options.xTickValues, "options.xTickValues");
    layout.xaxis = { ...layout.xaxis, tickmode: "array", tickvals };
  }
  return layout;
}

/**
 * A line (and/or marker) chart, one scatter trace per series.
 *
 * @example
 * ```ts
 * import { lineChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = lineChart([{ name: "sd", x: [2, 4], y: [0.2, 0.1] }], { xTitle: "G" });
 * assertEquals(fig.data[0], { type: "scatter", name: "sd", x: [2, 4], y: [0.2, 0.1], mode: "lines+markers" });
 * assertEquals(fig.layout.xaxis, { title: { text: "G" } });
 * ```
 */
export function lineChart(series: readonly LineSeries[], options: ChartOptions = {}): Figure {
  checkSeriesList(series, "lineChart");
  const data = series.map((s, i): ScatterTrace => {
    const where = `lineChart: series[${i}]`;
    const x = checkFinite(s.x, `${where}.x`);
    const y = checkFinite(s.y, `${where}.y`);
    checkSameLength(x, y, `${where} x and y`);
    const trace: ScatterTrace = { type: "scatter", x, y, mode: s.mode ?? "lines+markers" };
    if (s.name !== undefined) trace.name = s.name;
    if (s.color !== undefined || s.dash !== undefined) {
      trace.line = {};
      if (s.color !== undefined) trace.line.color = s.color;
      if (s.dash !== undefined) trace.line.dash = s.dash;
    }
    if (s.color !== undefined) trace.marker = { color: s.color };
    if (s.errorY !== undefined) {
      const array = checkFinite(s.errorY, `${where}.errorY`);
      checkSameLength(y, array, `${where} y and errorY`);
      trace.error_y = { type: "data", array, visible: true };
    }
    return trace;
  });
  return { data, layout: layoutFrom(options) };
}

/**
 * A bar chart; several series are grouped side by side within each category.
 *
 * @example
 * ```ts
 * import { barChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = barChart([{ name: "mean", categories: ["c1", "c2"], values: [1, -1] }]);
 * assertEquals(fig.data[0].type, "bar");
 * assertEquals(fig.layout.barmode, "group");
 * ```
 */
export function barChart(series: readonly BarSeries[], options: ChartOptions = {}): Figure {
  checkSeriesList(series, "barChart");
  const data = series.map((s, i): BarTrace => {
    const where = `barChart: series[${i}]`;
    const y = checkFinite(s.values, `${where}.values`);
    if (!Array.isArray(s.categories) || s.categories.some((c) => typeof c !== "string")) {
      throw new TypeError(`${where}.categories must be an array of strings`);
    }
    checkSameLength(s.categories, y, `${where} categories and values`);
    const trace: BarTrace = { type: "bar", x: [...s.categories], y };
    if (s.name !== undefined) trace.name = s.name;
    if (s.color !== undefined) trace.marker = { color: s.color };
    return trace;
  });
  return {
    data,
    layout: layoutFrom(options, { barmode: "group", xaxis: { type: "category" } }),
  };
}

/**
 * Nice histogram bins over `values`: size = niceStep((max - min) / binCount), edges on multiples
 * of the size, so that min >= start and max < end.
 *
 * @example
 * ```ts
 * import { niceBins } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * // (0.93 - 0.12) / 8 = 0.10125 -> size 0.2; start floor(0.12/0.2)*0.2 = 0; end (floor(0.93/0.2)+1)*0.2 = 1
 * assertEquals(niceBins([0.12, 0.5, 0.93], 8), { start: 0, end: 1, size: 0.2 });
 * ```
 */
export function niceBins(values: readonly number[], binCount = 20): HistogramBins {
  const finite = checkFinite(values, "niceBins: values");
  if (finite.length === 0) throw new RangeError("niceBins: values is empty");
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new RangeError(`niceBins: binCount must be a positive integer, got ${binCount}`);
  }
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const size = niceStep(max > min ? (max - min) / binCount : Math.max(Math.abs(min), 1) / 10);
  const decimals = stepDecimals(size);
  const start = Number((Math.floor(min / size + 1e-9) * size).toFixed(decimals));
  const end = Number(((Math.floor(max / size + 1e-9) + 1) * size).toFixed(decimals));
  return { start, end, size };
}

/**
 * Histograms of one or more samples over common bins (overlaid, semi-transparent when several).
 *
 * @example
 * ```ts
 * import { histogram } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = histogram([{ name: "G=2", values: [0.1, 0.35, 0.4] }], { bins: { start: 0, end: 0.5, size: 0.25 } });
 * assertEquals(fig.data[0].type, "histogram");
 * assertEquals(fig.layout.barmode, "overlay");
 * ```
 */
export function histogram(
  series: readonly HistogramSeries[],
  options: HistogramOptions = {},
): Figure {
  checkSeriesList(series, "histogram");
  const samples = series.map((s, i) => checkFinite(s.values, `histogram: series[${i}].values`));
  const bins = options.bins ?? niceBins(samples.flat(), options.binCount ?? 30);
  if (!(bins.size > 0) || !(bins.end > bins.start)) {
    throw new RangeError(
      `histogram: bins must have size > 0 and end > start, got ${JSON.stringify(bins)}`,
    );
  }
  const data = series.map((s, i): HistogramTrace => {
    const trace: HistogramTrace = {
      type: "histogram",
      x: samples[i],
      xbins: { ...bins },
      histnorm: options.norm ?? "",
    };
    if (s.name !== undefined) trace.name = s.name;
    if (series.length > 1) trace.opacity = 0.6;
    if (s.color !== undefined) trace.marker = { color: s.color };
    return trace;
  });
  return { data, layout: layoutFrom(options, { barmode: "overlay" }) };
}

/**
 * Box plots, one box per series, placed side by side by name.
 *
 * @example
 * ```ts
 * import { boxPlot } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = boxPlot([{ name: "chosen", values: [6, 7, 8] }]);
 * assertEquals(fig.data[0], { type: "box", name: "chosen", y: [6, 7, 8], boxpoints: "outliers" });
 * ```
 */
export function boxPlot(series: readonly BoxSeries[], options: ChartOptions = {}): Figure {
  checkSeriesList(series, "boxPlot");
  const data = series.map((s, i): BoxTrace => {
    const y = checkFinite(s.values, `boxPlot: series[${i}].values`);
    if (y.length === 0) throw new RangeError(`boxPlot: series[${i}].values is empty`);
    const trace: BoxTrace = { type: "box", name: String(s.name), y, boxpoints: "outliers" };
    if (s.color !== undefined) trace.marker = { color: s.color };
    return trace;
  });
  return { data, layout: layoutFrom(options) };
}
