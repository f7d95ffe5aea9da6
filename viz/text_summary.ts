/**
 * A short plain-text description of a figure: the `text/plain` part of a MIME bundle, shown by
 * terminals and by tools that read notebooks as text.
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { formatValue } from "./scale.ts";
import { traceLabel } from "./svg_figure.ts";
import { boxStats } from "./trace_stats.ts";

function extent(values: readonly number[]): string {
  if (values.length === 0) return "none";
  let min = Infinity, max = -Infinity;
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return `${formatValue(min)}..${formatValue(max)}`;
}

function traceLine(trace: Trace, index: number): string {
  const name = JSON.stringify(traceLabel(trace, index));
  switch (trace.type) {
    case "scatter":
      return `${trace.type} ${name}: ${trace.x.length} points, x ${extent(trace.x)}, y ${
        extent(trace.y)
      }`;
    case "bar":
      return `bar ${name}: ${trace.y.length} bars, values ${extent(trace.y)}`;
    case "histogram": {
      const { start, end, size } = trace.xbins;
      const bins = Math.round((end - start) / size);
      return `histogram ${name}: ${trace.x.length} values in ${bins} bins of ${
        formatValue(size)
      } ` +
        `from ${formatValue(start)}, values ${extent(trace.x)}`;
    }
    case "box":
      return `box ${name}: ${trace.y.length} values, median ${
        formatValue(boxStats(trace.y).median)
      }`;
  }
}

/**
 * One header line (title and axis titles) and one line per trace.
 *
 * @example
 * ```ts
 * import { figureSummary } from "./text_summary.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const fig = lineChart([{ name: "sd", x: [2, 4], y: [0.2, 0.1] }], { title: "spread", xTitle: "G" });
 * assertEquals(figureSummary(fig), 'Figure "spread" (x: G)\n  scatter "sd": 2 points, x 2..4, y 0.1..0.2');
 * ```
 */
export function figureSummary(figure: Figure): string {
  const { layout } = figure;
  const axes = [
    layout.xaxis?.title ? `x: ${layout.xaxis.title.text}` : "",
    layout.yaxis?.title ? `y: ${layout.yaxis.title.text}` : "",
  ].filter((part) => part !== "");
  const header = `Figure${layout.title ? ` ${JSON.stringify(layout.title.text)}` : ""}` +
    (axes.length > 0 ? ` (${axes.join(", ")})` : "");
  return [header, ...figure.data.map((trace, i) => `  ${traceLine(trace, i)}`)].join("\n");
}
